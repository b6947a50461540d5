// A 256 MiB body streamed through sign() is hashed chunk by chunk: resident memory grows by far less
// than the body, and the payload hash equals node:crypto's over the same bytes, computed here apart.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sign } from '@glassbox/sigv4';

const MiB = 1024 * 1024;
const CHUNKS = 256;
const MAX_GROWTH = 64 * MiB;

/** Chunk `index` of the body: 1 MiB from a xorshift32 generator seeded by the index, so it is rebuilt identically. */
function chunk(index: number): Uint8Array {
  const words = new Uint32Array(MiB / 4);
  let x = ((index + 1) * 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer);
}

function* body(): Generator<Uint8Array> {
  for (let i = 0; i < CHUNKS; i++) yield chunk(i);
}

test('a 256 MiB streamed body is hashed with resident memory growth under 64 MiB, matching node:crypto', async () => {
  const expected = createHash('sha256');
  for (const piece of body()) expected.update(piece);
  const expectedHex = expected.digest('hex');

  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  // highWaterMark 1: the stream holds one chunk ahead, as a file or socket stream would.
  const stream = Readable.from(
    (function* () {
      for (const piece of body()) {
        peak = Math.max(peak, process.memoryUsage().rss);
        yield piece;
      }
    })(),
    { objectMode: true, highWaterMark: 1 },
  );
  let result;
  try {
    result = await sign(
      { method: 'PUT', url: 'https://examplebucket.s3.amazonaws.com/big.bin', body: stream },
      {
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        region: 'us-east-1',
        service: 's3',
        date: '20150830T123600Z',
      },
    );
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const growth = peak - before;
  console.log(`streaming: 256 MiB hashed, resident memory grew by ${(growth / MiB).toFixed(1)} MiB`);
  assert.is(result.payloadHash, expectedHex);
  assert.ok(result.canonicalRequest.endsWith(`\n${expectedHex}`), 'the canonical request ends with the payload hash');
  assert.ok(growth < MAX_GROWTH, `resident memory grew by ${(growth / MiB).toFixed(1)} MiB`);
});

test.run();
