import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { signChunked, verifyChunked } from '@glassbox/sigv4';

// A 1 GiB upload signed chunk by chunk and verified chunk by chunk, streamed straight from the
// encoder into the verifier: neither side may hold more than a few chunks, whatever the size.
const SIZE = 1024 * 1024 * 1024;
const PIECE = 1024 * 1024;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = Date.UTC(2015, 7, 30, 12, 36, 0);

test('1 GiB signed and verified in bounded memory (rss growth < 64 MiB)', async () => {
  const sent = createHash('sha256');
  const piece = new Uint8Array(PIECE);
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < SIZE / PIECE; i++) {
      piece.fill(i & 0xff); // one reused buffer: the source itself holds 1 MiB
      piece[0] = i >> 8;
      sent.update(piece);
      yield piece;
    }
  }
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const began = performance.now();
  const signed = await signChunked(
    { method: 'PUT', url: 'https://bucket.s3.amazonaws.com/big', body: source() },
    {
      credentials,
      region: 'us-east-1',
      service: 's3',
      date: now,
      doubleEncode: false,
      normalizePath: false,
      decodedContentLength: SIZE,
      mode: 'signed-trailer',
    },
  );
  const result = await verifyChunked(
    { method: 'PUT', url: signed.request.url, headers: signed.request.headers, body: signed.body },
    {
      credentials: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined),
      now,
      doubleEncode: false,
      normalizePath: false,
    },
  );
  assert.ok(result.ok);
  if (!result.ok) return;
  const received = createHash('sha256');
  let bytes = 0;
  let pieces = 0;
  for await (const data of result.body) {
    received.update(data);
    bytes += data.length;
    if (++pieces % 256 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - began) / 1000;
  assert.is(bytes, SIZE);
  assert.is(received.digest('hex'), sent.digest('hex'));
  assert.is(result.chunkTrace()[0]!.inputs['chunks'], String(SIZE / 65536 + 1));
  const growth = (peak - start) / 2 ** 20;
  if (process.env['GLASSBOX_VERBOSE'])
    console.log(`1 GiB aws-chunked sign+verify: ${seconds.toFixed(1)} s, rss growth ${growth.toFixed(1)} MiB`);
  assert.ok(growth < 64, `rss grew by ${growth.toFixed(1)} MiB`);
});

test.run();
