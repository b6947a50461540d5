import { createServer, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  awsChunkedLength,
  crc32,
  decodeAwsChunked,
  deriveSigningKey,
  encodeAwsChunked,
  formatTrace,
  nodeSha256,
  signChunked,
  SigV4Error,
  verifyChunked,
  type ChunkedMode,
  type ChunkSigningContext,
  type SigV4ErrorCode,
} from '@glassbox/sigv4';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = Date.UTC(2015, 7, 30, 12, 36, 0);
const signing: ChunkSigningContext = {
  signingKey: deriveSigningKey(credentials.secretAccessKey, '20150830', 'us-east-1', 's3', nodeSha256),
  amzDate: '20150830T123600Z',
  credentialScope: '20150830/us-east-1/s3/aws4_request',
  seedSignature: 'a'.repeat(64),
  hash: nodeSha256,
};
const payload = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251));

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}
async function encoded(mode: ChunkedMode, chunkSize = 8192): Promise<Buffer> {
  return collect(encodeAwsChunked(payload, { mode, signing, chunkSize, decodedContentLength: payload.length }));
}
async function rejects(body: Uint8Array, mode: ChunkedMode, code: SigV4ErrorCode, decodedContentLength = payload.length): Promise<void> {
  try {
    await collect(decodeAwsChunked(body, { mode, signing, decodedContentLength }));
  } catch (error) {
    assert.instance(error, SigV4Error);
    assert.is((error as SigV4Error).code, code, (error as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('crc32 matches the standard check value', () => {
  assert.is(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

for (const mode of ['signed', 'signed-trailer', 'unsigned-trailer'] as const) {
  test(`${mode}: round trip, with the encoded length computed in advance`, async () => {
    const body = await encoded(mode);
    assert.is(body.length, awsChunkedLength(payload.length, { mode, chunkSize: 8192 }));
    assert.ok((await collect(decodeAwsChunked(body, { mode, signing, decodedContentLength: payload.length }))).equals(payload));
  });
}

test('signed-trailer ends with the crc32 checksum and a trailer signature', async () => {
  const text = (await encoded('signed-trailer')).toString('latin1');
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(payload));
  assert.match(
    text,
    new RegExp(
      `\\r\\n0;chunk-signature=[0-9a-f]{64}\\r\\nx-amz-checksum-crc32:${sum.toString('base64').replace(/[+/]/g, '\\$&')}\\r\\nx-amz-trailer-signature:[0-9a-f]{64}\\r\\n\\r\\n$`,
    ),
  );
});

test('a flipped data byte is rejected: CHUNK_SIGNATURE_MISMATCH', async () => {
  const body = await encoded('signed');
  body[200]! ^= 1;
  await rejects(body, 'signed', 'CHUNK_SIGNATURE_MISMATCH');
});

test('a flipped data byte with unsigned chunks is caught by the checksum: CHECKSUM_MISMATCH', async () => {
  const body = await encoded('unsigned-trailer');
  body[200]! ^= 1;
  await rejects(body, 'unsigned-trailer', 'CHECKSUM_MISMATCH');
});

test('a changed trailer is rejected: CHUNK_SIGNATURE_MISMATCH', async () => {
  const text = (await encoded('signed-trailer')).toString('latin1').replace(/x-amz-checksum-crc32:[^\r]+/, 'x-amz-checksum-crc32:AAAAAA==');
  await rejects(Buffer.from(text, 'latin1'), 'signed-trailer', 'CHUNK_SIGNATURE_MISMATCH');
});

test('two swapped chunks are rejected: the chain breaks', async () => {
  const body = await encoded('signed');
  const frame = 8192 + '2000;chunk-signature='.length + 64 + 4;
  const swapped = Buffer.concat([body.subarray(frame, 2 * frame), body.subarray(0, frame), body.subarray(2 * frame)]);
  await rejects(swapped, 'signed', 'CHUNK_SIGNATURE_MISMATCH');
});

test('a dropped chunk is rejected', async () => {
  const body = await encoded('signed');
  const frame = 8192 + '2000;chunk-signature='.length + 64 + 4;
  await rejects(Buffer.concat([body.subarray(0, frame), body.subarray(2 * frame)]), 'signed', 'CHUNK_SIGNATURE_MISMATCH');
});

test('a body cut anywhere is rejected as truncated or malformed, never accepted', async () => {
  const body = await encoded('signed-trailer');
  for (const cut of [0, 10, 100, 8300, 8302, body.length - 80, body.length - 2, body.length - 1]) {
    try {
      await collect(decodeAwsChunked(body.subarray(0, cut), { mode: 'signed-trailer', signing, decodedContentLength: payload.length }));
      assert.unreachable(`accepted a body cut at ${cut}`);
    } catch (error) {
      assert.instance(error, SigV4Error, `cut at ${cut}`);
      assert.ok(['TRUNCATED_PAYLOAD', 'INVALID_CHUNK'].includes((error as SigV4Error).code), `${cut}: ${(error as SigV4Error).code}`);
    }
  }
});

test('a length that disagrees with X-Amz-Decoded-Content-Length, bytes after the end, and an oversized chunk are rejected', async () => {
  const body = await encoded('signed');
  await rejects(body, 'signed', 'TRUNCATED_PAYLOAD', payload.length + 1);
  await rejects(body, 'signed', 'INVALID_CHUNK', payload.length - 1);
  await rejects(Buffer.concat([body, Buffer.from('x')]), 'signed', 'INVALID_CHUNK');
  await rejects(Buffer.from(`1000001;chunk-signature=${'0'.repeat(64)}\r\n`), 'signed', 'INVALID_CHUNK');
  await rejects(Buffer.from('garbage\r\n'), 'signed', 'INVALID_CHUNK');
});

test('the trace keeps the first chunks and the last, with a count between', async () => {
  const { ChunkTraceRecorder } = await import('@glassbox/sigv4');
  const recorder = new ChunkTraceRecorder();
  await collect(encodeAwsChunked(payload, { mode: 'signed', signing, chunkSize: 1000, trace: recorder }));
  const text = formatTrace(recorder.steps());
  assert.is(recorder.count, 51);
  assert.match(text, 'chunk 1 (1000 bytes)');
  assert.match(text, 'chunk 3 (1000 bytes)');
  assert.not.match(text, 'chunk 4 (');
  assert.match(text, '… 47 more chunks …');
  assert.match(text, 'chunk 51 (0 bytes)');
});

test('end to end over HTTP on 127.0.0.1: signChunked from a web ReadableStream, verifyChunked on the server', async () => {
  const received: { ok: boolean; bytes?: Buffer; error?: string } = { ok: false };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const result = await verifyChunked(
          { method: req.method!, url: req.url!, headers: req.headers as Record<string, string>, body: req },
          {
            credentials: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined),
            now,
            doubleEncode: false,
            normalizePath: false,
          },
        );
        if (!result.ok) throw new Error(result.reason);
        received.bytes = await collect(result.body);
        received.ok = true;
        res.end('ok');
      } catch (error) {
        received.error = (error as Error).message;
        res.statusCode = 403;
        res.end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const source = Readable.toWeb(Readable.from([payload.subarray(0, 12345), payload.subarray(12345)])) as ReadableStream<Uint8Array>;
    const signed = await signChunked(
      { method: 'PUT', url: `http://127.0.0.1:${port}/bucket/key`, body: source as never },
      {
        credentials,
        region: 'us-east-1',
        service: 's3',
        date: now,
        doubleEncode: false,
        normalizePath: false,
        decodedContentLength: payload.length,
        mode: 'signed-trailer',
        chunkSize: 16384,
      },
    );
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'PUT', path: '/bucket/key', headers: signed.request.headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      Readable.from(signed.body).pipe(req);
    });
    assert.is(status, 200, received.error);
    assert.ok(received.bytes!.equals(payload));
  } finally {
    server.close();
  }
});

test.run();
