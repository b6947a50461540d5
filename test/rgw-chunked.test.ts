// signChunked (signed mode, STREAMING-AWS4-HMAC-SHA256-PAYLOAD) against Ceph's RADOS Gateway, which
// checks the seed signature and every chunk's signature in the chain. The uploads go out through a
// plain node:http PUT to 127.0.0.1; the objects are read back with the AWS SDK's own signer and
// compared byte for byte with the files.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { signChunked, type SignChunkedResult } from '@glassbox/sigv4';
import * as assert from 'uvu/assert';
import { radosgwSuite, type Radosgw } from './support/radosgw.ts';

const bucket = `glassbox-chunked-${randomBytes(4).toString('hex')}`;
const big = randomBytes(6 * 1024 * 1024 + 12_345); // not a whole number of chunks: the last one is short
// Written by the suite's before hook: a skipped suite leaves nothing behind.
let dir: string | undefined;
let bigFile: string;

/** Signs a chunked PUT of `body` (a file stream or bytes) to `key`. */
function signUpload(
  rgw: Radosgw,
  key: string,
  body: NodeJS.ReadableStream | Uint8Array,
  length: number,
  options: { chunkSize?: number; secret?: string } = {},
): Promise<SignChunkedResult> {
  return signChunked(
    {
      method: 'PUT',
      url: `${rgw.endpoint}/${bucket}/${key}`,
      headers: { 'Content-Type': 'application/octet-stream' },
      body: body as AsyncIterable<Uint8Array>,
    },
    {
      credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: options.secret ?? rgw.secretAccessKey },
      region: 'us-east-1',
      service: 's3',
      doubleEncode: false,
      normalizePath: false,
      decodedContentLength: length,
      ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    },
  );
}

/**
 * Sends a signed chunked upload with node:http, the encoded body piece by piece (optionally altered on
 * the way by `tamper`). Resolves with the status and body of the answer; a gateway that answers early
 * and closes the connection is an answer, not an error.
 */
function put(
  signed: SignChunkedResult,
  tamper?: (encoded: Uint8Array, offset: number) => Uint8Array,
): Promise<{ status: number; body: string }> {
  const url = new URL(signed.request.url);
  const headers = signed.request.headers as Record<string, string>;
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'PUT', headers });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => reject(error));
    void (async () => {
      let offset = 0;
      try {
        for await (const piece of signed.body) {
          const out = tamper ? tamper(piece, offset) : piece;
          offset += piece.length;
          if (!req.write(out)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      } catch {
        // the gateway refused and closed early: its answer is what the test reads
      }
    })();
  });
}

const sdk = (rgw: Radosgw): S3Client =>
  new S3Client({
    endpoint: rgw.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  });

async function readBack(rgw: Radosgw, key: string): Promise<Buffer> {
  const s3 = sdk(rgw);
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await got.Body!.transformToByteArray());
  } finally {
    s3.destroy();
  }
}

async function exists(rgw: Radosgw, key: string): Promise<boolean> {
  const s3 = sdk(rgw);
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  } finally {
    s3.destroy();
  }
}

/** The encoded length of one full chunk: `hex(size);chunk-signature=<64 hex>\r\n`, the data, `\r\n`. */
const chunkFrame = (size: number): number => size.toString(16).length + ';chunk-signature='.length + 64 + 2 + size + 2;

/** Changes the byte at `at` of the encoded stream (wherever the encoder's pieces fall). */
const alterByteAt =
  (at: number, change: (byte: number) => number) =>
  (piece: Uint8Array, offset: number): Uint8Array => {
    if (at < offset || at >= offset + piece.length) return piece;
    const copy = Uint8Array.from(piece);
    copy[at - offset] = change(copy[at - offset]!);
    return copy;
  };
const flipLowBit = (byte: number): number => byte ^ 0x01;
// Another hex digit, so the frame still parses and only the signature is wrong.
const otherHexDigit = (byte: number): number => (byte === 0x30 ? 0x31 : 0x30);

const test = radosgwSuite('signChunked uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) to radosgw');

test.before(async ({ rgw }) => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-rgw-chunked-'));
  bigFile = join(dir, 'big.bin');
  writeFileSync(bigFile, big);
  const s3 = sdk(rgw);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
});

test('a seed signed with a wrong secret is refused: 403 SignatureDoesNotMatch (the gateway verifies)', async ({ rgw }) => {
  const body = randomBytes(100_000);
  const signed = await signUpload(rgw, 'wrong-secret.bin', body, body.length, { secret: 'not-the-secret-of-this-user-0000000000000' });
  const res = await put(signed);
  assert.is(res.status, 403);
  assert.match(res.body, '<Code>SignatureDoesNotMatch</Code>');
  assert.not.ok(await exists(rgw, 'wrong-secret.bin'));
});

test('a 6 MiB file in 64 KiB chunks (the default), streamed from disk: stored byte for byte', async ({ rgw }) => {
  const signed = await signUpload(rgw, 'big.bin', createReadStream(bigFile), big.length);
  assert.is(
    signed.request.headers['x-amz-content-sha256'] ?? signed.request.headers['X-Amz-Content-Sha256'],
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  );
  const res = await put(signed);
  assert.is(res.status, 200, res.body);
  const stored = await readBack(rgw, 'big.bin');
  assert.is(stored.length, big.length);
  assert.is(createHash('sha256').update(stored).digest('hex'), createHash('sha256').update(big).digest('hex'));
});

test('1 MiB chunks and 8 KiB chunks (the smallest S3 allows): stored byte for byte', async ({ rgw }) => {
  for (const chunkSize of [1024 * 1024, 8 * 1024]) {
    const body = big.subarray(0, 3 * 1024 * 1024 + 7);
    const signed = await signUpload(rgw, `chunks-${chunkSize}.bin`, body, body.length, { chunkSize });
    const res = await put(signed);
    assert.is(res.status, 200, `${chunkSize}: ${res.body}`);
    assert.ok((await readBack(rgw, `chunks-${chunkSize}.bin`)).equals(body), `${chunkSize}: the stored object differs`);
  }
});

test('one flipped bit in the data of the third chunk is refused: 403 SignatureDoesNotMatch, nothing stored', async ({ rgw }) => {
  const signed = await signUpload(rgw, 'tampered-data.bin', createReadStream(bigFile), big.length);
  const frame = chunkFrame(64 * 1024);
  const thirdChunkData = 2 * frame + (frame - 64 * 1024 - 2);
  const res = await put(signed, alterByteAt(thirdChunkData + 100, flipLowBit));
  assert.is(res.status, 403);
  assert.match(res.body, '<Code>SignatureDoesNotMatch</Code>');
  assert.not.ok(await exists(rgw, 'tampered-data.bin'), 'the tampered upload was not stored');
});

test("one changed digit in the second chunk's signature is refused: 403 SignatureDoesNotMatch, nothing stored", async ({ rgw }) => {
  const signed = await signUpload(rgw, 'tampered-signature.bin', createReadStream(bigFile), big.length);
  const frame = chunkFrame(64 * 1024);
  // The second chunk's header starts at `frame`: "10000;chunk-signature=" then the 64 hex digits.
  const res = await put(signed, alterByteAt(frame + '10000;chunk-signature='.length + 5, otherHexDigit));
  assert.is(res.status, 403);
  assert.match(res.body, '<Code>SignatureDoesNotMatch</Code>');
  assert.not.ok(await exists(rgw, 'tampered-signature.bin'));
});

test.after(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});
test.run();
