// The verifying server (support/verifying-server.ts) specified on its own: it accepts what
// Glassbox's signChunked sends in every aws-chunked mode — including the trailer modes radosgw 16
// lacks — and presigned URLs, stores the decoded bytes exactly, and refuses a tampered chunk, a
// tampered trailer checksum and a tampered URL, each with the check that caught it.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { presign, signChunked, type ChecksumAlgorithm, type ChunkedMode } from '../src/index.ts';
import { startVerifyingServer, type VerifyingServer } from './support/verifying-server.ts';

const credentials = { accessKeyId: 'AKIDVERIFYINGSERVER', secretAccessKey: 'verifying-server-secret' };
const region = 'us-east-1';
const s3 = { credentials, region, service: 's3', doubleEncode: false, normalizePath: false } as const;

/** Sends headers and a body (bytes, chunk by chunk) with node:http; returns the status and the answer. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: AsyncIterable<Uint8Array> | undefined,
  tamper?: (chunk: Buffer, index: number) => Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    void (async () => {
      let index = 0;
      if (body) for await (const chunk of body) req.write(tamper ? tamper(Buffer.from(chunk), index++) : chunk);
      req.end();
    })().catch(reject);
  });
}

async function upload(
  server: VerifyingServer,
  key: string,
  data: Buffer,
  mode: ChunkedMode,
  checksum: ChecksumAlgorithm,
  tamper?: (chunk: Buffer, index: number) => Buffer,
) {
  const signed = await signChunked(
    {
      method: 'PUT',
      url: `${server.endpoint}/bucket/${key}`,
      body: (async function* () {
        yield data;
      })(),
    },
    { ...s3, decodedContentLength: data.length, mode, checksum, chunkSize: 8192 },
  );
  return send(signed.request.url, 'PUT', signed.request.headers as Record<string, string>, signed.body, tamper);
}

const test = suite<{ server: VerifyingServer }>('verifying server');
test.before(async (context) => {
  context.server = await startVerifyingServer({ keys: { [credentials.accessKeyId]: credentials.secretAccessKey }, region });
});
test.after(async ({ server }) => server.close());
test.before.each(({ server }) => {
  server.seen.length = 0;
});

for (const mode of ['signed', 'signed-trailer', 'unsigned-trailer'] as const) {
  for (const checksum of ['crc32', 'sha256'] as const) {
    test(`accepts a signChunked upload (${mode}, ${checksum}) and stores the decoded bytes exactly`, async ({ server }) => {
      const data = randomBytes(50_000);
      const { status, text } = await upload(server, `${mode}-${checksum}`, data, mode, checksum);
      assert.is(status, 200, text);
      assert.ok(server.objects.get(`bucket/${mode}-${checksum}`)?.equals(data));
      const seen = server.seen[0]!;
      assert.equal(seen.problems, []);
      assert.is(seen.chunked?.chunks, Math.ceil(data.length / 8192));
      if (mode !== 'signed') assert.equal(Object.keys(seen.chunked!.trailers), [`x-amz-checksum-${checksum}`]);
    });
  }
}

test('refuses a signed upload with one data byte changed: the chunk signature no longer matches', async ({ server }) => {
  const data = randomBytes(30_000);
  const flip = (chunk: Buffer, index: number) => {
    if (index !== 1) return chunk;
    const copy = Buffer.from(chunk);
    copy[copy.length - 10]! ^= 1; // inside the data of a chunk, not its header
    return copy;
  };
  const { status, text } = await upload(server, 'tampered', data, 'signed', 'crc32', flip);
  assert.is(status, 403);
  assert.match(text, 'SignatureDoesNotMatch');
  assert.ok(
    server.seen[0]!.problems.some((p) => /^chunk \d+: smithy computes/.test(p)),
    server.seen[0]!.problems.join('\n'),
  );
  assert.not.ok(server.objects.has('bucket/tampered'));
});

test('refuses an unsigned-trailer upload whose data changed: the trailing checksum no longer matches', async ({ server }) => {
  const data = Buffer.alloc(20_000, 0x61);
  const flip = (chunk: Buffer, index: number) =>
    index === 0 ? Buffer.from(chunk.toString('latin1').replace('aaaa', 'aaab'), 'latin1') : chunk;
  const { status } = await upload(server, 'tampered-trailer', data, 'unsigned-trailer', 'crc32', flip);
  assert.is(status, 403);
  assert.ok(
    server.seen[0]!.problems.some((p) => p.startsWith('x-amz-checksum-crc32 is')),
    server.seen[0]!.problems.join('\n'),
  );
});

test('accepts a presigned PUT and GET, and refuses a tampered or wrongly-keyed URL', async ({ server }) => {
  const put = await presign(
    { method: 'PUT', url: `${server.endpoint}/bucket/pre%20signed` },
    { ...s3, unsignedPayload: true, expiresIn: 60 },
  );
  assert.is(
    (
      await send(
        put.url,
        'PUT',
        {},
        (async function* () {
          yield Buffer.from('via url');
        })(),
      )
    ).status,
    200,
  );
  const get = await presign(
    { method: 'GET', url: `${server.endpoint}/bucket/pre%20signed` },
    { ...s3, unsignedPayload: true, expiresIn: 60 },
  );
  const got = await send(get.url, 'GET', {}, undefined);
  assert.equal(got, { status: 200, text: 'via url' });
  assert.equal(
    server.seen.map((s) => s.problems),
    [[], []],
  );
  const tampered = get.url.replace('pre%20signed', 'pre%20signee');
  assert.is((await send(tampered, 'GET', {}, undefined)).status, 403);
  const wrongKey = await presign(
    { method: 'GET', url: `${server.endpoint}/bucket/pre%20signed` },
    { ...s3, credentials: { ...credentials, secretAccessKey: 'wrong' }, unsignedPayload: true },
  );
  assert.is((await send(wrongKey.url, 'GET', {}, undefined)).status, 403);
  for (const s of server.seen.slice(2)) {
    assert.is(s.glassbox?.ok, false);
    assert.ok(s.problems.some((p) => p.startsWith('smithy recomputed')));
  }
});

test.run();
