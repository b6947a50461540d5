// Presigned URLs: the AWS documentation's S3 example, the expiry range, the session token signed or
// appended, x-amz-* headers hoisted into the query, agreement with smithy, and verification.
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_PRESIGN_SECONDS, presign, SigV4Error, verify, type PresignOptions } from '@glassbox/sigv4';

class NodeSha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

// "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", Amazon S3 API
// Reference: the example presigned GET of examplebucket/test.txt.
const DOC = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  url: 'https://examplebucket.s3.amazonaws.com/test.txt',
  date: '20130524T000000Z',
  signature: 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
};
const s3Options: PresignOptions = {
  credentials: DOC.credentials,
  region: 'us-east-1',
  service: 's3',
  date: DOC.date,
  expiresIn: 86400,
  doubleEncode: false,
  normalizePath: false,
  unsignedPayload: true,
};
const secret = 'presign-test-secret';
const token = 'presign-test-token+/=';
const base: PresignOptions = {
  credentials: { accessKeyId: 'AKID', secretAccessKey: secret },
  region: 'us-east-1',
  service: 'rds-db',
  date: '20150830T123600Z',
};
const now = Date.parse('2015-08-30T12:36:10Z');
const withToken = { accessKeyId: 'AKID', secretAccessKey: secret, sessionToken: token };
const queryOf = (url: string): string[] => url.slice(url.indexOf('?') + 1).split('&');

test("gives the signature of the AWS documentation's S3 presigned URL example", async () => {
  const result = await presign({ method: 'GET', url: DOC.url }, s3Options);
  assert.is(result.signature, DOC.signature);
  assert.is(
    result.url,
    `${DOC.url}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=${DOC.signature}`,
  );
  assert.ok(result.canonicalRequest.endsWith('\nhost\nUNSIGNED-PAYLOAD'));
});

test('agrees with @smithy/signature-v4 on the S3 example (UNSIGNED-PAYLOAD declared, neither hoisted nor signed)', async () => {
  const signer = new SignatureV4({
    credentials: DOC.credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const theirs = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: 'examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      headers: { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    }),
    {
      signingDate: new Date('2013-05-24T00:00:00Z'),
      expiresIn: 86400,
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
    },
  );
  assert.is(theirs.query?.['X-Amz-Signature'], DOC.signature);
});

test('unhoistableHeaders keeps those x-amz-* headers as signed headers, with the signature @smithy/signature-v4 gives', async () => {
  const headers = {
    host: 'examplebucket.s3.amazonaws.com',
    'x-amz-server-side-encryption-customer-algorithm': 'AES256',
    'x-amz-meta-a': 'v',
  };
  const unhoistableHeaders = new Set(['X-Amz-Server-Side-Encryption-Customer-Algorithm']);
  const signingDate = new Date('2013-05-24T00:00:00Z');
  const signer = new SignatureV4({
    credentials: DOC.credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const theirs = await signer.presign(
    new HttpRequest({ method: 'GET', protocol: 'https:', hostname: headers.host, path: '/test.txt', headers }),
    { signingDate, expiresIn: 86400, unhoistableHeaders: new Set(['x-amz-server-side-encryption-customer-algorithm']) },
  );
  const ours = await presign(
    { method: 'GET', url: `https://${headers.host}/test.txt`, headers },
    {
      credentials: DOC.credentials,
      region: 'us-east-1',
      service: 's3',
      date: signingDate,
      expiresIn: 86400,
      doubleEncode: false,
      normalizePath: false,
      unhoistableHeaders,
    },
  );
  const query = new URL(ours.url).searchParams;
  assert.is(query.get('X-Amz-SignedHeaders'), 'host;x-amz-server-side-encryption-customer-algorithm');
  assert.is(query.get('X-Amz-SignedHeaders'), theirs.query?.['X-Amz-SignedHeaders']);
  assert.is(query.get('x-amz-meta-a'), 'v', 'headers not named stay hoisted');
  assert.is(query.get('x-amz-server-side-encryption-customer-algorithm'), null);
  assert.is(ours.request.headers['x-amz-server-side-encryption-customer-algorithm'], 'AES256');
  assert.is(query.get('X-Amz-Signature'), theirs.query?.['X-Amz-Signature']);
});

test('unhoistableHeaders that is not a list of names is INVALID_OPTION', async () => {
  const error = await presign({ method: 'GET', url: 'https://h.example/' }, { ...base, unhoistableHeaders: 5 as unknown as string[] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, SigV4Error);
  assert.is((error as SigV4Error).code, 'INVALID_OPTION');
});

const expiresTable: [expiresIn: unknown, ok: boolean][] = [
  [1, true],
  [3600, true],
  [MAX_PRESIGN_SECONDS, true],
  [0, false],
  [-1, false],
  [MAX_PRESIGN_SECONDS + 1, false],
  [1.5, false],
  [Number.NaN, false],
  ['3600', false],
];
for (const [expiresIn, ok] of expiresTable) {
  test(`${ok ? 'accepts' : 'rejects'} expiresIn ${String(expiresIn)}`, async () => {
    const attempt = presign({ method: 'GET', url: 'https://h.example/' }, { ...base, expiresIn: expiresIn as number });
    if (ok) {
      assert.ok(queryOf((await attempt).url).includes(`X-Amz-Expires=${expiresIn}`));
    } else {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.instance(error, SigV4Error);
      assert.is((error as SigV4Error).code, 'EXPIRES_OUT_OF_RANGE');
    }
  });
}

// X-Amz-Credential is `<access key id>/<scope>` with each "/" written %2F (the S3 example above shows it).
test('X-Amz-Credential follows the identity and scope of each presign when they change from call to call', async () => {
  const calls = [
    { accessKeyId: 'AKIDONE', date: '20150830T123600Z', region: 'us-east-1' },
    { accessKeyId: 'AKIDTWO', date: '20150830T123600Z', region: 'us-east-1' },
    { accessKeyId: 'AKIDONE', date: '20150831T000000Z', region: 'us-east-1' },
    { accessKeyId: 'AKIDONE', date: '20150831T000000Z', region: 'eu-west-1' },
    { accessKeyId: 'AKIDONE', date: '20150830T123600Z', region: 'us-east-1' },
  ];
  for (const { accessKeyId, date, region } of calls) {
    const { url } = await presign(
      { method: 'GET', url: 'https://example.amazonaws.com/' },
      { credentials: { accessKeyId, secretAccessKey: 'secret' }, region, service: 'service', date },
    );
    assert.is(new URL(url).searchParams.get('X-Amz-Credential'), `${accessKeyId}/${date.slice(0, 8)}/${region}/service/aws4_request`);
    assert.ok(url.includes(`X-Amz-Credential=${accessKeyId}%2F${date.slice(0, 8)}%2F${region}%2Fservice%2Faws4_request&`), url);
  }
});

test('expires in 3600 seconds by default, as the AWS SDKs do', async () => {
  assert.ok(queryOf((await presign({ method: 'GET', url: 'https://h.example/' }, base)).url).includes('X-Amz-Expires=3600'));
});

test('signs the session token by default: it is in the canonical query and before the signature', async () => {
  const result = await presign({ method: 'GET', url: 'https://h.example/' }, { ...base, credentials: withToken });
  const query = queryOf(result.url);
  const tokenAt = query.indexOf('X-Amz-Security-Token=presign-test-token%2B%2F%3D');
  assert.ok(tokenAt !== -1, 'the token is in the URL, RFC 3986-encoded');
  assert.ok(tokenAt < query.findIndex((p) => p.startsWith('X-Amz-Signature=')));
  assert.ok(result.canonicalRequest.split('\n')[2]!.includes('X-Amz-Security-Token=presign-test-token%2B%2F%3D'));
});

test('with signSessionToken:false appends the token after the signature and leaves it out of the canonical query', async () => {
  const result = await presign({ method: 'GET', url: 'https://h.example/' }, { ...base, credentials: withToken, signSessionToken: false });
  const query = queryOf(result.url);
  assert.is(query.at(-1), 'X-Amz-Signature=' + result.signature, 'the signature is last');
  assert.ok(query.at(-2)!.startsWith('X-Amz-Security-Token='), 'the token comes right before it');
  assert.not.ok(result.canonicalRequest.includes('X-Amz-Security-Token'));
});

test('verify accepts a URL whose token was appended after signing only when told the service does not sign it', async () => {
  const { url } = await presign({ method: 'GET', url: 'https://h.example/' }, { ...base, credentials: withToken, signSessionToken: false });
  const lookUp = (id: string): string | undefined => (id === withToken.accessKeyId ? withToken.secretAccessKey : undefined);
  const now = new Date('2015-08-30T12:36:30Z');
  const unsigned = await verify({ method: 'GET', url }, { credentials: lookUp, now, signSessionToken: false });
  assert.ok(unsigned.ok, 'an IoT-style server leaves the appended token out');
  const signed = await verify({ method: 'GET', url }, { credentials: lookUp, now });
  assert.is(signed.ok ? 'ok' : signed.reason, 'SIGNATURE_MISMATCH', 'a server that signs the token counts it and disagrees');
});

test('the signed token agrees with @smithy/signature-v4 presign', async () => {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: secret, sessionToken: token };
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'rds-db', sha256: NodeSha256 });
  const theirs = await signer.presign(
    new HttpRequest({ method: 'GET', hostname: 'h.example', path: '/', headers: { host: 'h.example' } }),
    { signingDate: new Date('2015-08-30T12:36:00Z') },
  );
  const ours = await presign({ method: 'GET', url: 'https://h.example/' }, { ...base, credentials });
  assert.is(ours.signature, theirs.query?.['X-Amz-Signature']);
});

test('hoists x-amz-* headers into the query, keeps other headers signed, and drops X-Amz-Date', async () => {
  const result = await presign(
    {
      method: 'PUT',
      url: 'https://h.example/key',
      headers: { 'X-Amz-Meta-Colour': 'blue green', 'Content-Type': 'text/plain', 'X-Amz-Date': '20150830T123600Z' },
    },
    { ...base, date: undefined },
  );
  const query = queryOf(result.url);
  assert.ok(query.includes('X-Amz-Meta-Colour=blue%20green'), 'the x-amz-* header travels in the query');
  assert.is(result.signedHeaders, 'content-type;host');
  assert.is(query.filter((p) => p.startsWith('X-Amz-Date=')).length, 1, "one X-Amz-Date, from the header's time");
  assert.ok(query.includes('X-Amz-Date=20150830T123600Z'));
  assert.equal(Object.keys(result.request.headers).sort(), ['Content-Type', 'Host']);
});

test('keeps the query the caller gave, and signs it with the added parameters', async () => {
  const result = await presign({ method: 'GET', url: 'https://h.example/p?b=2&a=1' }, base);
  assert.ok(result.url.startsWith('https://h.example/p?b=2&a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&'));
  assert.ok(result.canonicalRequest.split('\n')[2]!.startsWith('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential='));
  assert.ok(result.canonicalRequest.split('\n')[2]!.endsWith('&a=1&b=2'));
});

test('a presigned URL verifies with verify, and fails once its path, query or signature changes', async () => {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: secret, sessionToken: token };
  const { url } = await presign({ method: 'GET', url: 'https://h.example/db?Action=connect&DBUser=me' }, { ...base, credentials });
  const options = { credentials: (id: string) => (id === 'AKID' ? secret : undefined), now };
  const received = (target: string) => ({ method: 'GET', url: target, headers: { Host: 'h.example' } });
  assert.equal((await verify(received(url), options)).ok, true);
  for (const tampered of [
    url.replace('/db?', '/dc?'),
    url.replace('DBUser=me', 'DBUser=admin'),
    url.replace(/X-Amz-Signature=./, 'X-Amz-Signature=0'),
  ]) {
    assert.equal((await verify(received(tampered), options)).ok, false, tampered);
  }
});

test("the S3 documentation example URL verifies with S3's rules (UNSIGNED-PAYLOAD, path as sent)", async () => {
  const { url } = await presign({ method: 'GET', url: DOC.url }, s3Options);
  const result = await verify(
    { method: 'GET', url, headers: { Host: 'examplebucket.s3.amazonaws.com' } },
    {
      credentials: () => DOC.credentials.secretAccessKey,
      now: Date.parse('2013-05-24T00:00:10Z'),
      doubleEncode: false,
      normalizePath: false,
    },
  );
  assert.is(result.ok, true);
});

test('a presigned URL is refused by verify once it has expired', async () => {
  const { url } = await presign({ method: 'GET', url: 'https://h.example/' }, { ...base, expiresIn: 60 });
  const result = await verify(
    { method: 'GET', url, headers: { Host: 'h.example' } },
    { credentials: () => secret, now: Date.parse('2015-08-30T12:37:01Z') },
  );
  assert.is(result.ok, false);
  assert.is(!result.ok && result.reason, 'EXPIRED');
});

test.run();
