// GlassboxSigner as the `signer` of a real AWS SDK v3 client (@aws-sdk/client-ecr), against a local
// node:http server on 127.0.0.1 that checks every request with verify().
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GlassboxSigner, SignatureV4, verify, type VerifyResult } from '../src/index.ts';
import { CapturingSignatureV4 } from './smithy-peer.ts';

const credentials = { accessKeyId: 'AKIDSDKSIGNER', secretAccessKey: 'sdk-signer-test-secret/+K7MDENG' };

interface Seen {
  verdict: VerifyResult;
  authorization: string | undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A fake ECR endpoint: verifies the signature with `serverSecret`, answers GetAuthorizationToken. */
async function ecrServer(serverSecret: string): Promise<{ server: Server; endpoint: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const verdict = await verify(
        { method: req.method!, url: req.url!, headers, body },
        { credentials: (id) => (id === credentials.accessKeyId ? serverSecret : undefined), region: 'us-east-1', service: 'ecr' },
      );
      seen.push({ verdict, authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (!verdict.ok) {
        res.statusCode = 400;
        res.setHeader('x-amzn-errortype', 'InvalidSignatureException');
        res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: verdict.message }));
        return;
      }
      if (req.headers['x-amz-target'] !== 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken') {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'UnknownOperationException' }));
        return;
      }
      res.end(JSON.stringify({ authorizationData: [{ authorizationToken: Buffer.from('AWS:secret-password').toString('base64'), expiresAt: 1_900_000_000, proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com' }] }));
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, seen };
}

function ecrClient(endpoint: string): ECRClient {
  return new ECRClient({
    region: 'us-east-1',
    endpoint,
    credentials,
    maxAttempts: 1,
    signer: new GlassboxSigner({ credentials, region: 'us-east-1', service: 'ecr' }),
  });
}

test('an ECR client signing with GlassboxSigner gets a token from a server that verifies the signature', async () => {
  const { server, endpoint, seen } = await ecrServer(credentials.secretAccessKey);
  try {
    const client = ecrClient(endpoint);
    const out = await client.send(new GetAuthorizationTokenCommand({}));
    assert.is(Buffer.from(out.authorizationData![0]!.authorizationToken!, 'base64').toString(), 'AWS:secret-password');
    assert.is(seen.length, 1);
    assert.ok(seen[0]!.verdict.ok, JSON.stringify(seen[0]!.verdict));
    assert.match(seen[0]!.authorization!, /^AWS4-HMAC-SHA256 Credential=AKIDSDKSIGNER\/\d{8}\/us-east-1\/ecr\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/);
    client.destroy();
  } finally {
    server.close();
  }
});

test('the same call fails when the server holds another secret', async () => {
  const { server, endpoint, seen } = await ecrServer('not-the-secret-the-client-has');
  try {
    const client = ecrClient(endpoint);
    try {
      await client.send(new GetAuthorizationTokenCommand({}));
      assert.unreachable('the call should fail');
    } catch (error) {
      assert.is((error as { name?: string }).name, 'InvalidSignatureException');
    }
    assert.is(seen.length, 1);
    assert.is(seen[0]!.verdict.ok, false);
    assert.is((seen[0]!.verdict as { reason: string }).reason, 'SIGNATURE_MISMATCH');
    client.destroy();
  } finally {
    server.close();
  }
});

// The same request, signed by both: same Authorization (so the SDK sees no difference). The path is
// already encoded, as the SDK's serializers write it: with uriEscapePath false SignatureV4 signs it
// verbatim and we encode it once, which is the same for an encoded path (a raw space would differ).
function sdkRequest(): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'api.ecr.us-east-1.amazonaws.com',
    path: '/v2/a%20b/./c',
    query: { b: '2', a: ['x y', '1'] },
    headers: { host: 'api.ecr.us-east-1.amazonaws.com', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'T', 'user-agent': 'ua', date: 'stale' },
    body: '{"x":1}',
  });
}

test('signs exactly as @smithy/signature-v4 does: signingDate (epoch seconds), region/service overrides, checksum, token', async () => {
  const creds = { ...credentials, sessionToken: 'session-token-value' };
  for (const applyChecksum of [true, false]) {
    for (const uriEscapePath of [true, false]) {
      const ours = new GlassboxSigner({ credentials: async () => creds, region: async () => 'us-east-1', service: 'ecr', applyChecksum, uriEscapePath });
      const theirs = new CapturingSignatureV4({ credentials: creds, region: 'us-east-1', service: 'ecr', applyChecksum, uriEscapePath });
      const options = { signingDate: 1_764_392_400, signingRegion: 'eu-west-1', signingService: 'ecr2', unsignableHeaders: new Set(['content-type']), signableHeaders: new Set(['user-agent']) };
      const a = await ours.sign(sdkRequest(), options);
      const b = await theirs.sign(sdkRequest(), options);
      assert.instance(a, HttpRequest);
      const header = (r: { headers: Record<string, string> }, name: string) => Object.entries(r.headers).find(([k]) => k.toLowerCase() === name)?.[1];
      assert.is(header(a, 'authorization'), header(b, 'authorization'), `applyChecksum ${applyChecksum}, uriEscapePath ${uriEscapePath}`);
      assert.is(header(a, 'x-amz-content-sha256'), header(b, 'x-amz-content-sha256'));
      assert.is(header(a, 'x-amz-date'), '20251129T050000Z');
      assert.is(header(a, 'date'), undefined, 'a stale Date header is dropped, as SignatureV4 does');
      assert.match(header(a, 'authorization')!, applyChecksum
        ? /\/eu-west-1\/ecr2\/aws4_request, SignedHeaders=host;user-agent;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target,/
        : /\/eu-west-1\/ecr2\/aws4_request, SignedHeaders=host;user-agent;x-amz-date;x-amz-security-token;x-amz-target,/);
    }
  }
});

test('presigns exactly as @smithy/signature-v4 does', async () => {
  const ours = new SignatureV4({ credentials: { ...credentials, sessionToken: 'tok' }, region: 'us-east-1', service: 's3', sha256: Sha256 });
  const theirs = new CapturingSignatureV4({ credentials: { ...credentials, sessionToken: 'tok' }, region: 'us-east-1', service: 's3' });
  const request = () => new HttpRequest({ method: 'GET', protocol: 'https:', hostname: 'b.s3.amazonaws.com', path: '/k', query: { 'list-type': '2' }, headers: { host: 'b.s3.amazonaws.com', 'x-amz-meta-a': 'v' } });
  const options = { signingDate: new Date('2026-11-29T05:00:00Z'), expiresIn: 900 };
  const a = await ours.presign(request(), options);
  const b = await theirs.presign(request(), options);
  assert.equal(a.query, b.query);
  assert.is(a.query?.['X-Amz-Expires'], '900');
  assert.is(a.headers['x-amz-meta-a'], undefined, 'x-amz-* headers move into the query');
});

test('presigns with unhoistableHeaders and hoistableHeaders exactly as @smithy/signature-v4 does', async () => {
  const ours = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const theirs = new CapturingSignatureV4({ credentials, region: 'us-east-1', service: 's3', uriEscapePath: false });
  const request = () => new HttpRequest({ method: 'PUT', protocol: 'https:', hostname: 'b.s3.amazonaws.com', path: '/k', headers: { host: 'b.s3.amazonaws.com', 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-meta-a': 'v', 'content-md5': 'abc=' } });
  const options = { signingDate: new Date('2026-11-29T05:00:00Z'), expiresIn: 900, unhoistableHeaders: new Set(['x-amz-server-side-encryption']), hoistableHeaders: new Set(['content-md5']) };
  const a = await ours.presign(request(), options);
  const b = await theirs.presign(request(), options);
  assert.equal(a.query, b.query);
  assert.is(a.headers['x-amz-server-side-encryption'], 'aws:kms', 'an unhoistable header stays a header');
  assert.match(String(a.query?.['X-Amz-SignedHeaders']), 'x-amz-server-side-encryption');
});

test('signs a string to sign like SignatureV4 (signed policies)', async () => {
  const ours = new GlassboxSigner({ credentials, region: 'us-east-1', service: 's3' });
  const theirs = new CapturingSignatureV4({ credentials, region: 'us-east-1', service: 's3' });
  const date = new Date('2026-11-29T05:00:00Z');
  assert.is(await ours.sign('policy-document-base64', { signingDate: date }), await theirs.sign('policy-document-base64', { signingDate: date }));
});

test('a streamed body is signed as UNSIGNED-PAYLOAD and left unread', async () => {
  const body = (async function* () {
    yield new TextEncoder().encode('stream');
  })();
  const signer = new GlassboxSigner({ credentials, region: 'us-east-1', service: 's3', uriEscapePath: false });
  const signed = await signer.sign(new HttpRequest({ method: 'PUT', hostname: 'b.s3.amazonaws.com', path: '/k', headers: { host: 'b.s3.amazonaws.com' }, body }));
  assert.is(signed.headers['X-Amz-Content-Sha256'] ?? signed.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
  assert.is(signed.body, body);
  assert.is((await body.next()).done, false, 'the stream was not consumed');
});

test.run();
