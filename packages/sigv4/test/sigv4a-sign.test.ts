import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { HttpRequest as SdkRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4a } from '@smithy/signature-v4a';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  formatTrace,
  parseHttpRequest,
  presignV4a,
  regionSetIncludes,
  regionSetValue,
  signV4a,
  SigV4Error,
  verifyV4a,
  type VerifyV4aResult,
} from '@glassbox/sigv4';

// The aws-c-auth SigV4a suite's parameters: tests/aws-signing-test-suite/v4a/*/context.json.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const base = { credentials, regionSet: 'us-east-1', service: 'service', date: '20150830T123600Z' } as const;
const now = Date.UTC(2015, 7, 30, 12, 36, 0);
const byId = (id: string): string | undefined => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined);
// The SDK's own SigV4a signer, for the differential tests.
const smithy = new SignatureV4a({ credentials, region: '*', service: 'service', sha256: Sha256, applyChecksum: false });
const assertOk = (result: VerifyV4aResult): void => assert.ok(result.ok, result.ok ? '' : `${result.reason}: ${result.message}`);

// awslabs/aws-c-auth tests/aws-signing-test-suite/v4a/get-header-value-multiline/header-canonical-request.txt and
// header-string-to-sign.txt @ a81f52bb (the suite joins the folded value's lines with commas: three values of one header).
test('header signing: canonical request and string to sign match aws-c-auth get-header-value-multiline', async () => {
  const result = await signV4a(
    { method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'My-Header1': ['value1', 'value2', 'value3'] } },
    base,
  );
  assert.is(
    result.canonicalRequest,
    'GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1,value2,value3\nx-amz-date:20150830T123600Z\nx-amz-region-set:us-east-1\n\nhost;my-header1;x-amz-date;x-amz-region-set\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  assert.is(
    result.stringToSign,
    'AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n36317e3e7a8ef01ed0074aa23f0e60713ecce33c88fcfe5aa38e2a95a775dd68',
  );
  assert.match(
    result.authorization,
    /^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE\/20150830\/service\/aws4_request, SignedHeaders=host;my-header1;x-amz-date;x-amz-region-set, Signature=30[0-9a-f]+$/,
  );
  assert.is(result.request.headers['X-Amz-Region-Set'], 'us-east-1');
});

// aws-c-auth tests/aws-signing-test-suite/v4a/get-header-value-multiline/query-canonical-request.txt and query-string-to-sign.txt @ b081db54.
test('query signing: canonical request and string to sign match aws-c-auth get-header-value-multiline', async () => {
  const result = await presignV4a(
    { method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'My-Header1': ['value1', 'value2', 'value3'] } },
    { ...base, expiresIn: 3600 },
  );
  assert.is(
    result.canonicalRequest,
    'GET\n/\nX-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-Region-Set=us-east-1&X-Amz-SignedHeaders=host%3Bmy-header1\nhost:example.amazonaws.com\nmy-header1:value1,value2,value3\n\nhost;my-header1\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  assert.is(
    result.stringToSign,
    'AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n6499824882ee3c6b979d3eca4946f611d249740b8a01b79dec47dc83e95772c9',
  );
  assert.match(result.url, /&X-Amz-Signature=30[0-9a-f]+$/);
});

// aws-c-auth's suite signs with the key in key.pem, not one derived from context.json, so its
// published signatures verify with that key's public half (tests/aws-signing-test-suite/v4a/
// get-slash-dot-slash-unnormalized/key.pem and header-signed-request.txt, get-vanilla/header-signed-request.txt, all @ 0385a643).
const SUITE_KEY = createPublicKey(
  '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIEpgk4tfoSDrILbOaumZQT85i67bd/VXYrpSMcgHIxv1oAoGCCqGSM49AwEHoUQDQgAEpisc\nKYBmIH+6mwC3Lm5uFM4IW4OXZc9rH9ONIjdYf6AgQ97TGgeB29BAdKbjmO1lTuqUNJFzwMS9wNiNmwdN\nWA==\n-----END EC PRIVATE KEY-----\n',
);
const published = (path: string, signature: string): string =>
  `GET ${path} HTTP/1.1\nHost:example.amazonaws.com\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nAuthorization:AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=${signature}\nX-Amz-Date:20150830T123600Z\nX-Amz-Region-Set:us-east-1\n\n`;

test('verifies the signatures aws-c-auth publishes (get-vanilla, get-slash-dot-slash-unnormalized)', async () => {
  const vanilla = parseHttpRequest(
    published(
      '/',
      '304502204dee1bc53953b2c64d1908691917a5982bd27231a59b155d18b47f69d90927ea022100f7ff2627a7d6f44d1c37e8049ad3ded0505953921c7f7cdf6a7bb4b531c3b931',
    ),
  );
  assertOk(await verifyV4a(vanilla, { credentials: () => SUITE_KEY, now, region: 'us-east-1' }));
  const dot = parseHttpRequest(
    published(
      '/./',
      '3045022100d3a32f184a32ef10480b55c6b0caf6b7e250905203780a18f6e31008dee95b2e02206feb691854a4fa93b44ce4a933f096d61282c79d4327fd76576084ba3a7db3ca',
    ),
  );
  assertOk(await verifyV4a(dot, { credentials: () => SUITE_KEY, now, normalizePath: false }));
  // The same signature over the normalised path is a different request: it must not verify.
  const normalised = await verifyV4a(dot, { credentials: () => SUITE_KEY, now });
  assert.is(normalised.ok, false);
  assert.is(!normalised.ok && normalised.reason, 'SIGNATURE_MISMATCH');
});

test('our signature verifies with node:crypto against the suite key, and with the key derived from the secret', async () => {
  const suitePrivate = (await import('node:crypto')).createPrivateKey(
    '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIEpgk4tfoSDrILbOaumZQT85i67bd/VXYrpSMcgHIxv1oAoGCCqGSM49AwEHoUQDQgAEpisc\nKYBmIH+6mwC3Lm5uFM4IW4OXZc9rH9ONIjdYf6AgQ97TGgeB29BAdKbjmO1lTuqUNJFzwMS9wNiNmwdN\nWA==\n-----END EC PRIVATE KEY-----\n',
  );
  const withSuiteKey = await signV4a({ method: 'GET', url: 'https://example.amazonaws.com/' }, { ...base, privateKey: suitePrivate });
  assert.ok(
    cryptoVerify(
      'sha256',
      Buffer.from(withSuiteKey.stringToSign),
      { key: SUITE_KEY, dsaEncoding: 'der' },
      Buffer.from(withSuiteKey.signature, 'hex'),
    ),
  );
  const derived = await signV4a({ method: 'GET', url: 'https://example.amazonaws.com/' }, base);
  assert.ok(
    cryptoVerify(
      'sha256',
      Buffer.from(derived.stringToSign),
      { key: derived.publicKey, dsaEncoding: 'der' },
      Buffer.from(derived.signature, 'hex'),
    ),
  );
  assert.is.not(
    derived.signature,
    (await signV4a({ method: 'GET', url: 'https://example.amazonaws.com/' }, base)).signature,
    'ECDSA is randomised',
  );
});

test('@smithy/signature-v4a signatures verify with our verifier, and ours with the key derived from the same secret', async () => {
  const theirs = new SdkRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'example.amazonaws.com',
    path: '/a/b',
    query: { x: 'y z' },
    headers: { host: 'example.amazonaws.com', 'content-type': 'text/plain' },
    body: 'hello',
  });
  const signed = (await smithy.sign(theirs, { signingDate: new Date(now) })) as SdkRequest;
  assertOk(await verifyV4a(signed as never, { credentials: byId, now, region: 'eu-west-3', service: 'service' }));
  // The other direction: our header signature, checked by the server side of this package only through the public key.
  const ours = await signV4a(
    { method: 'POST', url: 'https://example.amazonaws.com/a/b?x=y%20z', headers: { 'content-type': 'text/plain' }, body: 'hello' },
    { ...base, regionSet: '*' },
  );
  assertOk(await verifyV4a(ours.request, { credentials: () => ours.publicKey, now }));
});

// The SDK's HTTP/2 clients name the host :authority, and SignatureV4a signs it: the verifier must read
// that SignedHeaders list (with its pseudo-header) and take :authority as the signed host, as SigV4 verify does.
test('an HTTP/2 request signed with :authority (and no host) by @smithy/signature-v4a verifies, and so does ours', async () => {
  const theirs = new SdkRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'example.amazonaws.com',
    path: '/',
    headers: { ':authority': 'example.amazonaws.com', 'content-type': 'application/json' },
    body: '{}',
  });
  const signed = (await smithy.sign(theirs, { signingDate: new Date(now) })) as SdkRequest;
  assert.match(signed.headers.authorization!, /SignedHeaders=:authority;content-type;/);
  assertOk(await verifyV4a(signed as never, { credentials: byId, now }));

  const ours = await signV4a(
    { method: 'GET', url: 'https://example.amazonaws.com/', headers: { ':authority': 'example.amazonaws.com' } },
    base,
  );
  assert.match(String(ours.request.headers.Authorization), /SignedHeaders=:authority;x-amz-date;x-amz-region-set,/);
  assertOk(await verifyV4a(ours.request, { credentials: byId, now }));
  const moved = { ...ours.request, headers: { ...ours.request.headers, ':authority': 'elsewhere.amazonaws.com' } };
  const result = await verifyV4a(moved, { credentials: byId, now });
  assert.is(!result.ok && result.reason, 'SIGNATURE_MISMATCH');
});

test('presigned URLs verify, expire, and carry the region set', async () => {
  const { url } = await presignV4a(
    { method: 'GET', url: 'https://bucket.s3-global.amazonaws.com/key' },
    { ...base, service: 's3', regionSet: ['us-*', 'eu-west-1'], expiresIn: 60, doubleEncode: false, normalizePath: false },
  );
  assert.match(url, /X-Amz-Region-Set=us-%2A%2Ceu-west-1/);
  const request = { method: 'GET', url };
  assertOk(await verifyV4a(request, { credentials: byId, now, region: 'us-west-2', doubleEncode: false, normalizePath: false }));
  const elsewhere = await verifyV4a(request, { credentials: byId, now, region: 'ap-south-1', doubleEncode: false, normalizePath: false });
  assert.is(!elsewhere.ok && elsewhere.reason, 'SCOPE_MISMATCH');
  const late = await verifyV4a(request, { credentials: byId, now: now + 61_000, doubleEncode: false, normalizePath: false });
  assert.is(!late.ok && late.reason, 'EXPIRED');
});

test('a changed header, a wrong secret or a SigV4 verifier all reject', async () => {
  const { request } = await signV4a({ method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'x-amz-meta-a': '1' } }, base);
  const tampered = { ...request, headers: { ...request.headers, 'x-amz-meta-a': '2' } };
  const result = await verifyV4a(tampered, { credentials: byId, now });
  assert.is(!result.ok && result.reason, 'SIGNATURE_MISMATCH');
  const wrongSecret = await verifyV4a(request, { credentials: () => 'not-the-secret', now });
  assert.is(!wrongSecret.ok && wrongSecret.reason, 'SIGNATURE_MISMATCH');
  const unknown = await verifyV4a(request, { credentials: () => undefined, now });
  assert.is(!unknown.ok && unknown.reason, 'UNKNOWN_ACCESS_KEY');
});

test('region sets: wildcards, lists, and bad names', () => {
  assert.is(regionSetValue(['us-east-1', ' eu-* ']), 'us-east-1,eu-*');
  assert.ok(regionSetIncludes('*', 'ap-southeast-2'));
  assert.ok(regionSetIncludes('us-*,eu-west-1', 'us-gov-west-1'));
  assert.not.ok(regionSetIncludes('us-*', 'eu-west-1'));
  assert.not.ok(regionSetIncludes('us-east-1', 'us-east-10'));
  assert.throws(
    () => regionSetValue('us east'),
    (e: unknown) => e instanceof SigV4Error && e.code === 'INVALID_REGION',
  );
  assert.throws(
    () => regionSetValue([]),
    (e: unknown) => e instanceof SigV4Error && e.code === 'INVALID_REGION',
  );
});

test('the trace shows the region set, the public key and the ECDSA steps, never the secret', async () => {
  const result = await signV4a(
    { method: 'GET', url: 'https://example.amazonaws.com/' },
    { ...base, credentials: { ...credentials, sessionToken: 'SESSION-TOKEN-VALUE' }, trace: true },
  );
  const ids = result.trace!.map((s) => s.id);
  for (const id of ['region-set', 'credential-scope', 'string-to-sign', 'ecdsa-key', 'signature', 'authorization'] as const)
    assert.ok(ids.includes(id), id);
  assert.not.ok(ids.includes('signing-key'));
  const text = formatTrace(result.trace!);
  assert.match(text, /AWS4-ECDSA-P256-SHA256\n/);
  assert.match(text, /public key X=[0-9a-f]{64}/);
  assert.not.match(text, credentials.secretAccessKey);
  assert.not.match(text, 'SESSION-TOKEN-VALUE');
});

test.run();
