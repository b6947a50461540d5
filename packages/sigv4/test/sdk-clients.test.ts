// GlassboxSigner as the `signer` of real AWS SDK v3 clients (@aws-sdk/client-s3 with the SDK's
// default checksum settings and with WHEN_REQUIRED, client-sts on the query protocol, client-ecr
// on JSON), against the local verifying server (support/verifying-server.ts), which checks every
// request with Glassbox's verify and with @smithy/signature-v4, and decodes every aws-chunked body
// and its trailer by hand. Each test ends by asserting that no check failed on any request.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl, S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { HttpRequest } from '@smithy/protocol-http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GlassboxSigner } from '../src/index.ts';
import { startVerifyingServer, type Seen, type VerifyingServer } from './support/verifying-server.ts';

const credentials = { accessKeyId: 'AKIDSDKCLIENTS', secretAccessKey: 'sdk-clients-test-secret/+K7MDENG' };
const region = 'us-east-1';

function assertAllVerified(seen: readonly Seen[], label = ''): void {
  assert.ok(seen.length > 0, `${label}: no request reached the server`);
  for (const s of seen) {
    assert.equal(s.problems, [], `${label} ${s.method} ${s.path} (${s.operation}, ${s.contentSha256})`);
    assert.ok(s.glassbox?.ok, `${label} ${s.operation}: glassbox verify`);
    assert.ok(s.smithySignature !== undefined, `${label} ${s.operation}: smithy recomputed`);
  }
}

function s3Client(server: VerifyingServer, extra: Partial<S3ClientConfig> = {}, secret = credentials.secretAccessKey): S3Client {
  const creds = { accessKeyId: credentials.accessKeyId, secretAccessKey: secret };
  return new S3Client({
    region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: creds,
    maxAttempts: 1,
    signer: new GlassboxSigner({ credentials: creds, region, service: 's3', uriEscapePath: false }),
    ...extra,
  });
}

const bytes = (n: number) => randomBytes(n);
const readAll = async (body: unknown) => Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());

for (const checksums of ['default (WHEN_SUPPORTED)', 'WHEN_REQUIRED'] as const) {
  const s3 = suite<{ server: VerifyingServer; client: S3Client }>(`S3 with GlassboxSigner, checksums ${checksums}`);
  s3.before(async (context) => {
    context.server = await startVerifyingServer({ keys: { [credentials.accessKeyId]: credentials.secretAccessKey }, region });
    context.client = s3Client(context.server, checksums === 'WHEN_REQUIRED' ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {});
    await context.client.send(new CreateBucketCommand({ Bucket: 'glassbox' }));
  });
  s3.after(async ({ server, client }) => {
    client.destroy();
    await server.close();
  });
  s3.before.each(({ server }) => {
    server.seen.length = 0;
  });

  s3('PutObject of a string, a Buffer, a Readable with ContentLength and a Readable with a precomputed x-amz-content-sha256, read back byte for byte', async ({ server, client }) => {
    const binary = bytes(70_000);
    const cases: [string, () => unknown, Buffer, Record<string, unknown>][] = [
      ['text key', () => 'h\u00e9llo text', Buffer.from('h\u00e9llo text'), {}],
      ['buffer key', () => binary, binary, {}],
      ['stream key', () => Readable.from([binary.subarray(0, 30_000), binary.subarray(30_000)]), binary, { ContentLength: binary.length }],
    ];
    for (const [key, body, expected, extra] of cases) {
      await client.send(new PutObjectCommand({ Bucket: 'glassbox', Key: key, Body: body() as never, ...extra }));
      assert.ok(server.objects.get(`glassbox/${key}`)?.equals(expected), key);
      const got = await client.send(new GetObjectCommand({ Bucket: 'glassbox', Key: key }));
      assert.ok((await readAll(got.Body)).equals(expected), `${key} read back`);
    }
    // A declared hex hash is what gets signed; the server checks it is the body's.
    const { createHash } = await import('node:crypto');
    const hashed = new PutObjectCommand({ Bucket: 'glassbox', Key: 'hashed key', Body: Readable.from([binary]), ContentLength: binary.length });
    hashed.middlewareStack.add((next) => async (args) => {
      (args.request as HttpRequest).headers['x-amz-content-sha256'] = createHash('sha256').update(binary).digest('hex');
      return next(args);
    }, { step: 'build', name: 'precomputedSha256' });
    await client.send(hashed);
    assert.ok(server.objects.get('glassbox/hashed key')?.equals(binary));
    const puts = server.seen.filter((s) => s.operation === 'PutObject');
    if (checksums === 'WHEN_REQUIRED') {
      assert.not.ok(puts.some((s) => s.contentSha256?.startsWith('STREAMING-')), 'WHEN_REQUIRED sends no aws-chunked body');
    } else {
      const trailer = puts.filter((s) => s.contentSha256 === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
      assert.ok(trailer.length >= 2, `the default settings stream with a checksum trailer: ${puts.map((s) => s.contentSha256).join(', ')}`);
      for (const s of trailer) assert.ok(s.chunked !== undefined && Object.keys(s.chunked.trailers).some((n) => n.startsWith('x-amz-checksum-')), 'a checksum trailer, checked by the server');
    }
    assert.ok(puts.some((s) => /^[0-9a-f]{64}$/.test(s.contentSha256 ?? '')), 'the precomputed hash was signed');
    assertAllVerified(server.seen, checksums);
  });

  s3('GetObject with a Range, HeadObject, ListObjectsV2, CopyObject with an odd source key, DeleteObjects', async ({ server, client }) => {
    const data = bytes(5000);
    const odd = 'dir/a b+c=d&e~f(g)h!i\u00e9\u4e16.bin';
    await client.send(new PutObjectCommand({ Bucket: 'glassbox', Key: odd, Body: data }));
    const range = await client.send(new GetObjectCommand({ Bucket: 'glassbox', Key: odd, Range: 'bytes=100-199' }));
    assert.ok((await readAll(range.Body)).equals(data.subarray(100, 200)));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'glassbox', Key: odd }));
    assert.is(head.ContentLength, 5000);
    await client.send(new CopyObjectCommand({ Bucket: 'glassbox', Key: 'copy of odd', CopySource: `glassbox/${encodeURIComponent(odd)}` }));
    assert.ok(server.objects.get('glassbox/copy of odd')?.equals(data));
    const list = await client.send(new ListObjectsV2Command({ Bucket: 'glassbox', Prefix: 'dir/' }));
    assert.equal(list.Contents?.map((c) => c.Key), [odd]);
    const deleted = await client.send(new DeleteObjectsCommand({ Bucket: 'glassbox', Delete: { Objects: [{ Key: odd }, { Key: 'copy of odd' }] } }));
    assert.is(deleted.Deleted?.length, 2);
    assert.not.ok(server.objects.has(`glassbox/${odd}`));
    assertAllVerified(server.seen, checksums);
  });

  s3('a multipart upload by hand, and @aws-sdk/lib-storage Upload of a stream', async ({ server, client }) => {
    const part = bytes(5 * 1024 * 1024);
    const last = bytes(1234);
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'glassbox', Key: 'multi' }));
    const p1 = await client.send(new UploadPartCommand({ Bucket: 'glassbox', Key: 'multi', UploadId, PartNumber: 1, Body: part }));
    const p2 = await client.send(new UploadPartCommand({ Bucket: 'glassbox', Key: 'multi', UploadId, PartNumber: 2, Body: last }));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: 'glassbox', Key: 'multi', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
    assert.ok(server.objects.get('glassbox/multi')?.equals(Buffer.concat([part, last])));
    const streamed = bytes(6 * 1024 * 1024 + 77);
    await new Upload({ client, params: { Bucket: 'glassbox', Key: 'lib-storage', Body: Readable.from([streamed.subarray(0, 1_000_000), streamed.subarray(1_000_000)]) } }).done();
    assert.ok(server.objects.get('glassbox/lib-storage')?.equals(streamed));
    assertAllVerified(server.seen, checksums);
  });

  s3.run();
}

const negative = suite('negative controls');
negative('an S3 client with a wrong secret is refused (SignatureDoesNotMatch), and the server says why', async () => {
  const server = await startVerifyingServer({ keys: { [credentials.accessKeyId]: credentials.secretAccessKey }, region });
  try {
    const client = s3Client(server, {}, 'not-the-secret');
    for (const body of ['text', Readable.from([Buffer.from('stream')])]) {
      try {
        await client.send(new PutObjectCommand({ Bucket: 'glassbox', Key: 'k', Body: body as never, ContentLength: body === 'text' ? 4 : 6 }));
        assert.unreachable('a wrong secret must be refused');
      } catch (error) {
        assert.is((error as { name?: string }).name, 'SignatureDoesNotMatch');
      }
    }
    assert.is(server.seen.length, 2);
    for (const s of server.seen) {
      assert.is(s.glassbox?.ok, false);
      assert.ok(s.problems.some((p) => p.startsWith('smithy recomputed')), 'smithy disagrees too');
    }
    client.destroy();
  } finally {
    await server.close();
  }
});
negative.run();
