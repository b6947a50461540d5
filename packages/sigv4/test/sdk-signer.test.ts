// GlassboxSigner against @smithy/signature-v4's SignatureV4, the signer it replaces: the same
// request in, the same headers (names and values) and the same Authorization out, over every body
// kind and every way of declaring x-amz-content-sha256. SDK clients against a verifying server are
// in sdk-clients.test.ts; event-stream signing in sdk-event-signer.test.ts.
import { Readable } from 'node:stream';
import { Sha256 } from '@aws-crypto/sha256-js';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 as SmithySignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpRequest as IHttpRequest, SigningArguments } from '@smithy/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GlassboxSigner, SignatureV4, SigV4Error } from '../src/index.ts';
import { SignatureV4SignWithCredentials } from './support/sdk-internals.ts';

const credentials = { accessKeyId: 'AKIDSDKSIGNER', secretAccessKey: 'sdk-signer-test-secret/+K7MDENG' };
const withToken = { ...credentials, sessionToken: 'session-token-value' };
const signingDate = new Date('2026-11-29T05:00:00Z');
const smithyHash = Hash.bind(null, 'sha256');

function smithy(
  init: { credentials?: AwsCredentialIdentity; service?: string; uriEscapePath?: boolean; applyChecksum?: boolean } = {},
): SmithySignatureV4 {
  return new SmithySignatureV4({
    credentials: init.credentials ?? credentials,
    region: 'us-east-1',
    service: init.service ?? 's3',
    sha256: smithyHash,
    uriEscapePath: init.uriEscapePath ?? true,
    applyChecksum: init.applyChecksum ?? true,
  });
}
function glassbox(
  init: { credentials?: AwsCredentialIdentity; service?: string; uriEscapePath?: boolean; applyChecksum?: boolean } = {},
): GlassboxSigner {
  return new GlassboxSigner({
    credentials: init.credentials ?? credentials,
    region: 'us-east-1',
    service: init.service ?? 's3',
    uriEscapePath: init.uriEscapePath ?? true,
    applyChecksum: init.applyChecksum ?? true,
  });
}

const text = 'hello, bytes \u00e9\u4e16';
const bytes = () => new TextEncoder().encode(text);
/** Every body kind the SDK hands a signer; streams are made fresh for each signer. */
const BODIES: Record<string, () => unknown> = {
  'no body': () => undefined,
  'empty string': () => '',
  string: () => text,
  Uint8Array: bytes,
  Buffer: () => Buffer.from(text),
  ArrayBuffer: () => bytes().buffer,
  'DataView over part of a buffer': () => new DataView(Buffer.from(`xx${text}yy`).buffer, 2, bytes().length),
  'Readable stream': () => Readable.from([Buffer.from(text)]),
  'async iterable': () =>
    (async function* () {
      yield bytes();
    })(),
};
/** Every way the SDK declares the payload hash (absent, each STREAMING-* mode, unsigned, a hex hash), in two letter cases. */
const DECLARED: Record<string, Record<string, string>> = {
  'no x-amz-content-sha256': {},
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': {
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-trailer': 'x-amz-checksum-crc32',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '17',
  },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': {
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'x-amz-decoded-content-length': '17',
  },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' },
  'STREAMING-AWS4-HMAC-SHA256-EVENTS': {
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-EVENTS',
    'content-type': 'application/vnd.amazon.eventstream',
  },
  'UNSIGNED-PAYLOAD': { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  'a hex hash (of another body)': { 'x-amz-content-sha256': 'a'.repeat(64) },
  'X-Amz-Content-Sha256 (capitalised) UNSIGNED-PAYLOAD': { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
};

function request(body: unknown, declared: Record<string, string>, extra: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({
    method: 'PUT',
    protocol: 'https:',
    hostname: 'bucket.s3.us-east-1.amazonaws.com',
    path: '/dir/a%20key%2Bplus/./x',
    query: { 'x-id': 'PutObject', list: ['b', 'a c'] },
    headers: {
      host: 'bucket.s3.us-east-1.amazonaws.com',
      'content-type': 'text/plain',
      'user-agent': 'ua',
      'x-amz-meta-k': '  two  spaces ',
      authorization: 'stale',
      date: 'stale',
      ...declared,
      ...extra,
    },
    ...(body === undefined ? {} : { body }),
  });
}

test('signs every body kind × declared x-amz-content-sha256 × uriEscapePath × applyChecksum with the headers and Authorization SignatureV4 gives', async () => {
  let cases = 0;
  for (const [bodyName, makeBody] of Object.entries(BODIES)) {
    for (const [declaredName, declared] of Object.entries(DECLARED)) {
      for (const uriEscapePath of [true, false]) {
        for (const applyChecksum of [true, false]) {
          for (const creds of [credentials, withToken]) {
            const label = `${bodyName}, ${declaredName}, uriEscapePath ${uriEscapePath}, applyChecksum ${applyChecksum}, token ${'sessionToken' in creds}`;
            const ourBody = makeBody();
            const ours = await glassbox({ credentials: creds, uriEscapePath, applyChecksum }).sign(request(ourBody, declared), {
              signingDate,
            });
            const theirs = await smithy({ credentials: creds, uriEscapePath, applyChecksum }).sign(request(makeBody(), declared), {
              signingDate,
            });
            assert.instance(ours, HttpRequest, label);
            assert.equal(ours.headers, theirs.headers, label);
            assert.is(ours.body, ourBody, `${label}: the body goes out as it came in`);
            cases++;
          }
        }
      }
    }
  }
  assert.is(cases, 9 * 8 * 2 * 2 * 2);
});

test('a streamed body with a declared STREAMING-UNSIGNED-PAYLOAD-TRAILER is signed with that value and left unread', async () => {
  const body = Readable.from([Buffer.from('chunk')]);
  const signed = await glassbox({ uriEscapePath: false }).sign(request(body, DECLARED['STREAMING-UNSIGNED-PAYLOAD-TRAILER']!), {
    signingDate,
  });
  assert.is(signed.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  assert.is(signed.body, body);
  assert.is(body.readableDidRead, false, 'the stream was not consumed');
});

test('a streamed body without a declared hash is signed as UNSIGNED-PAYLOAD and left unread', async () => {
  const body = (async function* () {
    yield new TextEncoder().encode('stream');
  })();
  const signed = await glassbox({ uriEscapePath: false }).sign(
    new HttpRequest({ method: 'PUT', hostname: 'b.s3.amazonaws.com', path: '/k', headers: { host: 'b.s3.amazonaws.com' }, body }),
  );
  assert.is(signed.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
  assert.match(signed.headers.authorization!, /SignedHeaders=host;x-amz-content-sha256;x-amz-date,/);
  assert.is((await body.next()).done, false, 'the stream was not consumed');
});

test('writes x-amz-date, x-amz-security-token, x-amz-content-sha256 and authorization in lower case, as the SDK reads them back', async () => {
  const signed = await glassbox({ credentials: withToken }).sign(request('x', {}), { signingDate });
  for (const name of ['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'authorization'])
    assert.ok(name in signed.headers, name);
  assert.not.ok('Authorization' in signed.headers || 'X-Amz-Date' in signed.headers);
  assert.not.ok('date' in signed.headers, 'a stale Date header is dropped, as SignatureV4 does');
});

test('signingDate (epoch seconds), signingRegion, signingService, unsignableHeaders and signableHeaders as SignatureV4 reads them', async () => {
  const options = {
    signingDate: 1_764_392_400,
    signingRegion: 'eu-west-1',
    signingService: 'ecr2',
    unsignableHeaders: new Set(['content-type']),
    signableHeaders: new Set(['user-agent']),
  };
  const ours = await new GlassboxSigner({ credentials: async () => withToken, region: async () => 'us-east-1', service: 'ecr' }).sign(
    request('{}', {}),
    options,
  );
  const theirs = await smithy({ credentials: withToken, service: 'ecr' }).sign(request('{}', {}), options);
  assert.equal(ours.headers, theirs.headers);
  assert.is(ours.headers['x-amz-date'], '20251129T050000Z');
  assert.match(
    ours.headers.authorization!,
    /\/20251129\/eu-west-1\/ecr2\/aws4_request, SignedHeaders=host;user-agent;x-amz-content-sha256;x-amz-date;x-amz-meta-k;x-amz-security-token,/,
  );
});

// The SDK's host-header middleware gives HTTP/2 requests :authority instead of host, and SignatureV4 signs it.
test('signs an HTTP/2 request with :authority (and no host) as SignatureV4 does, adding no Host', async () => {
  const make = () =>
    new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: 'transcribestreaming.us-west-2.amazonaws.com',
      path: '/stream-transcription',
      headers: {
        ':authority': 'transcribestreaming.us-west-2.amazonaws.com',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-EVENTS',
        'content-type': 'application/vnd.amazon.eventstream',
      },
      body: Readable.from([]),
    });
  const ours = await glassbox({ service: 'transcribe' }).sign(make(), { signingDate });
  const theirs = await smithy({ service: 'transcribe' }).sign(make(), { signingDate });
  assert.equal(ours.headers, theirs.headers);
  assert.match(ours.headers.authorization!, /SignedHeaders=:authority;content-type;x-amz-content-sha256;x-amz-date,/);
});

test('does not change the request it was given', async () => {
  const original = request('x', {});
  const before = JSON.stringify(original.headers);
  await glassbox({ credentials: withToken }).sign(original, { signingDate });
  assert.is(JSON.stringify(original.headers), before);
});

// S3 Express One Zone: @aws-sdk/middleware-sdk-s3 calls signer.signWithCredentials(request, sessionCredentials, {}).
test('signWithCredentials signs with the session credentials, the token in x-amz-s3session-token, as SignatureV4SignWithCredentials does', async () => {
  const session = { accessKeyId: 'ASIASESSION', secretAccessKey: 'session-secret', sessionToken: 'express-session-token' };
  const theirs = new SignatureV4SignWithCredentials({
    credentials: withToken,
    region: 'us-west-2',
    service: 's3',
    sha256: smithyHash,
    uriEscapePath: false,
  });
  const ours = new GlassboxSigner({ credentials: withToken, region: 'us-west-2', service: 's3', uriEscapePath: false });
  for (const body of ['data', undefined]) {
    const a = await ours.signWithCredentials(request(body, DECLARED['STREAMING-UNSIGNED-PAYLOAD-TRAILER']!), session, { signingDate });
    const b = await theirs.signWithCredentials(request(body, DECLARED['STREAMING-UNSIGNED-PAYLOAD-TRAILER']!), session, { signingDate });
    assert.equal(a.headers, b.headers);
  }
  const signed = await ours.signWithCredentials(request('x', {}), session, { signingDate });
  assert.is(signed.headers['x-amz-s3session-token'], 'express-session-token');
  assert.is(signed.headers['x-amz-security-token'], undefined, 'S3 Express refuses X-Amz-Security-Token');
  assert.match(
    signed.headers.authorization!,
    /^AWS4-HMAC-SHA256 Credential=ASIASESSION\/20261129\/us-west-2\/s3\/aws4_request, SignedHeaders=[^ ]*x-amz-s3session-token/,
  );
  // The signer's own credentials are untouched for the next call.
  assert.match((await ours.sign(request('x', {}), { signingDate })).headers.authorization!, /Credential=AKIDSDKSIGNER\//);
});

test('presignWithCredentials puts the session token in X-Amz-S3session-Token, as SignatureV4SignWithCredentials does', async () => {
  const session = { accessKeyId: 'ASIASESSION', secretAccessKey: 'session-secret', sessionToken: 'express+token/=' };
  const theirs = new SignatureV4SignWithCredentials({
    credentials,
    region: 'us-west-2',
    service: 's3',
    sha256: smithyHash,
    uriEscapePath: false,
  });
  const ours = new GlassboxSigner({ credentials, region: 'us-west-2', service: 's3', uriEscapePath: false });
  const make = () =>
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: 'b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com',
      path: '/k',
      headers: { host: 'b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
  const a = await ours.presignWithCredentials(make(), session, { signingDate, expiresIn: 300 });
  const b = await theirs.presignWithCredentials(make(), session, { signingDate, expiresIn: 300 });
  assert.equal(a.query, b.query);
  assert.is(a.query?.['X-Amz-S3session-Token'], 'express+token/=');
  assert.is(a.query?.['X-Amz-Security-Token'], undefined);
});

test('presigns exactly as @smithy/signature-v4 does (a service other than S3)', async () => {
  const ours = new SignatureV4({
    credentials: { ...credentials, sessionToken: 'tok' },
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Sha256,
  });
  const theirs = smithy({ credentials: { ...credentials, sessionToken: 'tok' }, service: 'execute-api' });
  const make = () =>
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: 'api.example.com',
      path: '/a%20b/./c',
      query: { 'list-type': '2' },
      headers: { host: 'api.example.com', 'x-amz-meta-a': 'v' },
    });
  const options = { signingDate, expiresIn: 900 };
  const a = await ours.presign(make(), options);
  const b = await theirs.presign(make(), options);
  assert.equal(a.query, b.query);
  assert.equal(a.headers, b.headers);
  assert.is(a.query?.['X-Amz-Expires'], '900');
  assert.is(a.headers['x-amz-meta-a'], undefined, 'x-amz-* headers move into the query');
});

test('presigns with unhoistableHeaders and hoistableHeaders exactly as @smithy/signature-v4 does', async () => {
  const ours = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const theirs = smithy({ uriEscapePath: false });
  const make = () =>
    new HttpRequest({
      method: 'PUT',
      protocol: 'https:',
      hostname: 'b.s3.amazonaws.com',
      path: '/k',
      headers: {
        host: 'b.s3.amazonaws.com',
        'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-meta-a': 'v',
        'content-md5': 'abc=',
      },
    });
  const options = {
    signingDate,
    expiresIn: 900,
    unhoistableHeaders: new Set(['x-amz-server-side-encryption']),
    hoistableHeaders: new Set(['content-md5']),
  };
  const a = await ours.presign(make(), options);
  const b = await theirs.presign(make(), options);
  assert.equal(a.query, b.query);
  assert.is(a.headers['x-amz-server-side-encryption'], 'aws:kms', 'an unhoistable header stays a header');
  assert.match(String(a.query?.['X-Amz-SignedHeaders']), 'x-amz-server-side-encryption');
});

// The AWS S3 documentation's presigned URL example ("Authenticating Requests: Using Query Parameters").
test('presigns an S3 request without x-amz-content-sha256 as UNSIGNED-PAYLOAD: the S3 documentation example', async () => {
  const signer = new GlassboxSigner({
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    region: 'us-east-1',
    service: 's3',
    uriEscapePath: false,
  });
  const presigned = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: 'examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      headers: { host: 'examplebucket.s3.amazonaws.com' },
    }),
    { signingDate: new Date('2013-05-24T00:00:00Z'), expiresIn: 86400 },
  );
  assert.is(presigned.query?.['X-Amz-Signature'], 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  assert.is(presigned.query?.['X-Amz-Content-Sha256'], undefined);
});

test('presigns a request that declares x-amz-content-sha256 with that value, hoisted into the query, as SignatureV4 does', async () => {
  for (const value of ['UNSIGNED-PAYLOAD', 'b'.repeat(64)]) {
    const make = () =>
      new HttpRequest({
        method: 'PUT',
        protocol: 'https:',
        hostname: 'b.s3.amazonaws.com',
        path: '/k',
        headers: { host: 'b.s3.amazonaws.com', 'x-amz-content-sha256': value },
        body: Readable.from(['x']),
      });
    const a = await glassbox({ uriEscapePath: false }).presign(make(), { signingDate });
    const b = await smithy({ uriEscapePath: false }).presign(make(), { signingDate });
    assert.equal(a.query, b.query, value);
  }
});

test('signs a string to sign like SignatureV4 (signed policies), with eventStreamCredentials when given', async () => {
  const date = new Date('2026-11-29T05:00:00Z');
  assert.is(
    await glassbox().sign('policy-document-base64', { signingDate: date }),
    await smithy().sign('policy-document-base64', { signingDate: date }),
  );
  const other = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' };
  assert.is(
    await glassbox().sign('x', { signingDate: date, eventStreamCredentials: other }),
    await smithy().sign('x', { signingDate: date, eventStreamCredentials: other } as SigningArguments),
  );
});

test('refuses what is not an SDK request or credentials, with a code', async () => {
  const signer = glassbox();
  try {
    await signer.sign(null as unknown as IHttpRequest);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, SigV4Error);
    assert.is((error as SigV4Error).code, 'INVALID_REQUEST');
  }
  try {
    await signer.signWithCredentials(request('x', {}), { accessKeyId: 'A' } as never);
    assert.unreachable();
  } catch (error) {
    assert.is((error as SigV4Error).code, 'MISSING_CREDENTIALS');
  }
});

test.run();
