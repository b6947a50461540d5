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
const readAll = async (body: unknown) =>
  Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());

for (const checksums of ['default (WHEN_SUPPORTED)', 'WHEN_REQUIRED'] as const) {
  const s3 = suite<{ server: VerifyingServer; client: S3Client }>(`S3 with GlassboxSigner, checksums ${checksums}`);
  s3.before(async (context) => {
    context.server = await startVerifyingServer({ keys: { [credentials.accessKeyId]: credentials.secretAccessKey }, region });
    context.client = s3Client(
      context.server,
      checksums === 'WHEN_REQUIRED' ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {},
    );
    await context.client.send(new CreateBucketCommand({ Bucket: 'glassbox' }));
  });
  s3.after(async ({ server, client }) => {
    client.destroy();
    await server.close();
  });
  s3.before.each(({ server }) => {
    server.seen.length = 0;
  });

  s3(
    'PutObject of a string, a Buffer, a Readable with ContentLength and a Readable with a precomputed x-amz-content-sha256, read back byte for byte',
    async ({ server, client }) => {
      const binary = bytes(70_000);
      const cases: [string, () => unknown, Buffer, Record<string, unknown>][] = [
        ['text key', () => 'h\u00e9llo text', Buffer.from('h\u00e9llo text'), {}],
        ['buffer key', () => binary, binary, {}],
        [
          'stream key',
          () => Readable.from([binary.subarray(0, 30_000), binary.subarray(30_000)]),
          binary,
          { ContentLength: binary.length },
        ],
      ];
      for (const [key, body, expected, extra] of cases) {
        await client.send(new PutObjectCommand({ Bucket: 'glassbox', Key: key, Body: body() as never, ...extra }));
        assert.ok(server.objects.get(`glassbox/${key}`)?.equals(expected), key);
        const got = await client.send(new GetObjectCommand({ Bucket: 'glassbox', Key: key }));
        assert.ok((await readAll(got.Body)).equals(expected), `${key} read back`);
      }
      // A hex x-amz-content-sha256 set by the caller, just before signing, is what gets signed; the
      // server checks it is the body's. (Under the default settings the SDK has made the body
      // aws-chunked by then, so the hash is set only where the body is sent as is.)
      const { createHash } = await import('node:crypto');
      const hashed = new PutObjectCommand({
        Bucket: 'glassbox',
        Key: 'hashed key',
        Body: Readable.from([binary]),
        ContentLength: binary.length,
      });
      const precompute = (next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
        const request = args.request as HttpRequest;
        if (!(request.headers['content-encoding'] ?? '').includes('aws-chunked'))
          request.headers['x-amz-content-sha256'] = createHash('sha256').update(binary).digest('hex');
        return next(args);
      };
      hashed.middlewareStack.addRelativeTo(precompute as never, {
        relation: 'before',
        toMiddleware: 'httpSigningMiddleware',
        name: 'precomputedSha256',
      });
      await client.send(hashed);
      assert.ok(server.objects.get('glassbox/hashed key')?.equals(binary));
      const sent = Object.fromEntries(
        server.seen.filter((s) => s.operation === 'PutObject').map((s) => [decodeURIComponent(s.path.split('/')[2]!), s]),
      );
      const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
      assert.is(sent['text key']?.contentSha256, hex('h\u00e9llo text'), 'an in-memory body is signed with its hash');
      assert.is(sent['buffer key']?.contentSha256, hex(binary));
      if (checksums === 'WHEN_REQUIRED') {
        assert.is(sent['stream key']?.contentSha256, 'UNSIGNED-PAYLOAD', 'a stream is signed UNSIGNED-PAYLOAD and sent as is');
        assert.is(sent['hashed key']?.contentSha256, hex(binary), 'the precomputed hash was signed');
        assert.not.ok(
          Object.values(sent).some((s) => s.chunked !== undefined || s.headers['x-amz-checksum-crc32'] !== undefined),
          'WHEN_REQUIRED sends no checksum',
        );
      } else {
        for (const key of ['stream key', 'hashed key']) {
          assert.is(
            sent[key]?.contentSha256,
            'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
            `${key}: the default settings stream with a checksum trailer`,
          );
          assert.equal(Object.keys(sent[key]!.chunked!.trailers), ['x-amz-checksum-crc32'], 'a CRC32 trailer, checked by the server');
        }
        for (const key of ['text key', 'buffer key'])
          assert.ok(
            sent[key]?.headers['x-amz-checksum-crc32'] !== undefined,
            `${key}: an in-memory body gets a CRC32 header, checked by the server`,
          );
      }
      assertAllVerified(server.seen, checksums);
    },
  );

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
    assert.equal(
      list.Contents?.map((c) => c.Key),
      [odd],
    );
    const deleted = await client.send(
      new DeleteObjectsCommand({ Bucket: 'glassbox', Delete: { Objects: [{ Key: odd }, { Key: 'copy of odd' }] } }),
    );
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
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'glassbox',
        Key: 'multi',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );
    assert.ok(server.objects.get('glassbox/multi')?.equals(Buffer.concat([part, last])));
    const streamed = bytes(6 * 1024 * 1024 + 77);
    await new Upload({
      client,
      params: {
        Bucket: 'glassbox',
        Key: 'lib-storage',
        Body: Readable.from([streamed.subarray(0, 1_000_000), streamed.subarray(1_000_000)]),
      },
    }).done();
    assert.ok(server.objects.get('glassbox/lib-storage')?.equals(streamed));
    assertAllVerified(server.seen, checksums);
  });

  s3.run();
}

const others = suite<{ server: VerifyingServer }>('STS (query protocol), ECR (JSON) and S3 Express with GlassboxSigner');
others.before(async (context) => {
  context.server = await startVerifyingServer({ keys: { [credentials.accessKeyId]: credentials.secretAccessKey }, region });
});
others.after(async ({ server }) => server.close());
others.before.each(({ server }) => {
  server.seen.length = 0;
});

others('STS GetCallerIdentity on the query protocol, with temporary credentials', async ({ server }) => {
  const temporary = { ...credentials, sessionToken: 'sts-session-token+/=' };
  const client = new STSClient({
    region,
    endpoint: server.endpoint,
    credentials: temporary,
    maxAttempts: 1,
    signer: new GlassboxSigner({ credentials: temporary, region, service: 'sts' }),
  });
  const out = await client.send(new GetCallerIdentityCommand({}));
  assert.is(out.Account, '123456789012');
  assert.is(out.UserId, credentials.accessKeyId);
  assert.is(server.seen[0]?.operation, 'GetCallerIdentity');
  assert.match(server.seen[0]!.headers['content-type']!, 'application/x-www-form-urlencoded');
  assert.match(server.seen[0]!.headers.authorization!, /SignedHeaders=[^,]*x-amz-security-token/);
  assertAllVerified(server.seen, 'sts');
  client.destroy();
});

others('ECR GetAuthorizationToken on JSON 1.1', async ({ server }) => {
  const client = new ECRClient({
    region,
    endpoint: server.endpoint,
    credentials,
    maxAttempts: 1,
    signer: new GlassboxSigner({ credentials, region, service: 'ecr' }),
  });
  const out = await client.send(new GetAuthorizationTokenCommand({}));
  assert.is(Buffer.from(out.authorizationData![0]!.authorizationToken!, 'base64').toString(), 'AWS:glassbox-registry-password');
  assert.match(server.seen[0]!.headers.authorization!, /SignedHeaders=[^,]*x-amz-target/);
  assertAllVerified(server.seen, 'ecr');
  client.destroy();
});

others('ECR and STS clients with a wrong secret are refused with the service error', async ({ server }) => {
  const wrong = { accessKeyId: credentials.accessKeyId, secretAccessKey: 'wrong' };
  const ecr = new ECRClient({
    region,
    endpoint: server.endpoint,
    credentials: wrong,
    maxAttempts: 1,
    signer: new GlassboxSigner({ credentials: wrong, region, service: 'ecr' }),
  });
  const sts = new STSClient({
    region,
    endpoint: server.endpoint,
    credentials: wrong,
    maxAttempts: 1,
    signer: new GlassboxSigner({ credentials: wrong, region, service: 'sts' }),
  });
  for (const [call, name] of [
    [() => ecr.send(new GetAuthorizationTokenCommand({})), 'InvalidSignatureException'],
    [() => sts.send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch'],
  ] as const) {
    try {
      await call();
      assert.unreachable();
    } catch (error) {
      assert.is((error as { name?: string }).name, name);
    }
  }
  assert.ok(server.seen.every((s) => s.glassbox?.ok === false && s.problems.some((p) => p.startsWith('smithy recomputed'))));
  ecr.destroy();
  sts.destroy();
});

// S3 Express One Zone: the client calls CreateSession (signed with the client's credentials), then
// signs each object request through signer.signWithCredentials with the session's credentials.
others('S3 Express One Zone: CreateSession, then PutObject and GetObject signed with the session credentials', async ({ server }) => {
  const client = s3Client(server);
  const bucket = 'glassbox--use1-az4--x-s3';
  const data = bytes(3000);
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'express', Body: data }));
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'express' }));
  assert.ok((await readAll(got.Body)).equals(data));
  const operations = server.seen.map((s) => s.operation);
  assert.equal(operations, ['CreateSession', 'PutObject', 'GetObject']);
  for (const s of server.seen.slice(1)) {
    assert.match(s.headers.authorization!, /Credential=ASIAEXPRESS/, 'signed with the session key');
    assert.ok(s.headers['x-amz-s3session-token'] !== undefined);
  }
  assertAllVerified(server.seen, 's3express');
  client.destroy();
});

// getSignedUrl builds its own S3RequestPresigner (and SignatureV4MultiRegion) from client.config:
// the client's signer is not used. GlassboxSigner, put in the presigner's place, gives the same URL.
others(
  'getSignedUrl ignores the client signer; GlassboxSigner in the S3RequestPresigner gives the same URL, which the server accepts',
  async ({ server }) => {
    const client = s3Client(server);
    await client.send(new PutObjectCommand({ Bucket: 'glassbox', Key: 'presigned key+~', Body: 'presigned body' }));
    const signingDate = new Date();
    const command = new GetObjectCommand({ Bucket: 'glassbox', Key: 'presigned key+~' });
    const sdkUrl = await getSignedUrl(client, command, { signingDate, expiresIn: 600 });
    // The request getSignedUrl presigns, captured where it presigns it.
    const captured: HttpRequest[] = [];
    const stack = client.middlewareStack.clone();
    const capture = () => async (args: { request: unknown }) => {
      const request = HttpRequest.clone(args.request as HttpRequest);
      for (const name of ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent']) delete request.headers[name];
      captured.push(request);
      return { response: {}, output: { $metadata: {} } };
    };
    stack.addRelativeTo(capture as never, { name: 'capture', relation: 'before', toMiddleware: 'awsAuthMiddleware', override: true });
    await command.resolveMiddleware(stack, client.config, {})({ input: command.input });
    const sdk = new S3RequestPresigner({ ...client.config });
    const withGlassbox = new S3RequestPresigner({ ...client.config });
    Object.assign(withGlassbox, { signer: new GlassboxSigner({ credentials, region, service: 's3', uriEscapePath: false }) });
    const options = { signingDate, expiresIn: 600, signingRegion: region };
    const theirs = await sdk.presign(HttpRequest.clone(captured[0]!), options);
    const ours = await withGlassbox.presign(HttpRequest.clone(captured[0]!), options);
    assert.equal(ours.query, theirs.query);
    assert.is(new URL(sdkUrl).searchParams.get('X-Amz-Signature'), ours.query?.['X-Amz-Signature']);
    // GlassboxSigner.presign on its own, with S3's defaults (UNSIGNED-PAYLOAD, no X-Amz-Content-Sha256 in the URL).
    const direct = await new GlassboxSigner({ credentials, region, service: 's3', uriEscapePath: false }).presign(
      HttpRequest.clone(captured[0]!),
      { signingDate, expiresIn: 600 },
    );
    server.seen.length = 0;
    for (const url of [
      sdkUrl,
      `${server.endpoint}${direct.path}?${new URLSearchParams(direct.query as Record<string, string>).toString().replace(/\+/g, '%20')}`,
    ]) {
      const response = await fetch(url);
      assert.is(response.status, 200, url);
      assert.is(await response.text(), 'presigned body');
    }
    assertAllVerified(server.seen, 'presigned');
    client.destroy();
  },
);

others.run();

const negative = suite('negative controls');
negative('an S3 client with a wrong secret is refused (SignatureDoesNotMatch), and the server says why', async () => {
  const server = await startVerifyingServer({ keys: { [credentials.accessKeyId]: credentials.secretAccessKey }, region });
  try {
    const client = s3Client(server, {}, 'not-the-secret');
    for (const body of ['text', Readable.from([Buffer.from('stream')])]) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket: 'glassbox', Key: 'k', Body: body as never, ContentLength: body === 'text' ? 4 : 6 }),
        );
        assert.unreachable('a wrong secret must be refused');
      } catch (error) {
        assert.is((error as { name?: string }).name, 'SignatureDoesNotMatch');
      }
    }
    assert.is(server.seen.length, 2);
    for (const s of server.seen) {
      assert.is(s.glassbox?.ok, false);
      assert.ok(
        s.problems.some((p) => p.startsWith('smithy recomputed')),
        'smithy disagrees too',
      );
    }
    client.destroy();
  } finally {
    await server.close();
  }
});
negative.run();
