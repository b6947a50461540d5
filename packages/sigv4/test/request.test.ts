// Reading a request before signing: where Host comes from, what is never signed (fragment, user
// info), and what the request already carries (X-Amz-Date, a token, an old Authorization).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sign, SigV4Error, type HttpRequest, type SignOptions } from '@glassbox/sigv4';

const options: SignOptions = {
  credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' },
  region: 'us-east-1',
  service: 'svc',
  date: '20150830T123600Z',
};
const header = (headers: Record<string, string | string[]>, name: string) =>
  Object.entries(headers)
    .filter(([n]) => n.toLowerCase() === name)
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]));

const hostTable: [url: string, host: string, why: string][] = [
  ['https://example.com/', 'example.com', 'the URL host'],
  ['https://example.com:443/', 'example.com', 'no port when it is the https default (RFC 9110 §7.2)'],
  ['http://example.com:80/', 'example.com', 'no port when it is the http default'],
  ['https://example.com:8443/', 'example.com:8443', 'a non-default port'],
  ['http://example.com:443/', 'example.com:443', 'port 443 on http is not a default'],
  ['https://user:pass@example.com/', 'example.com', 'never user info'],
  ['HTTPS://example.com:443/', 'example.com', 'the scheme read case-insensitively'],
  ['https://[::1]:9000/', '[::1]:9000', 'an IPv6 literal with its brackets'],
];
for (const [url, host, why] of hostTable) {
  test(`takes Host from the URL: ${why}`, async () => {
    const result = await sign({ method: 'GET', url }, options);
    assert.equal(header(result.request.headers, 'host'), [host]);
    assert.ok(result.canonicalRequest.includes(`\nhost:${host}\n`));
  });
}

test('keeps a Host header the caller set, over the URL', async () => {
  const result = await sign({ method: 'GET', url: 'https://internal:8080/', headers: { Host: 'public.example.com' } }, options);
  assert.ok(result.canonicalRequest.includes('\nhost:public.example.com\n'));
});

test('takes Host from the header for an origin-form URL', async () => {
  const result = await sign({ method: 'GET', url: '/a?b', headers: { host: 'example.com' } }, options);
  assert.ok(result.canonicalRequest.startsWith('GET\n/a\nb=\nhost:example.com\n'));
});

test('never signs the fragment', async () => {
  const a = await sign({ method: 'GET', url: 'https://example.com/a?b=1#frag' }, options);
  const b = await sign({ method: 'GET', url: 'https://example.com/a?b=1' }, options);
  assert.is(a.signature, b.signature);
});

test('uses the X-Amz-Date the request carries, and the token it carries, without duplicating either', async () => {
  const request: HttpRequest = {
    method: 'GET',
    url: 'https://example.com/',
    headers: { 'X-Amz-Date': '20200102T030405Z', 'X-Amz-Security-Token': 'token' },
  };
  const result = await sign(request, { ...options, date: undefined });
  assert.is(result.amzDate, '20200102T030405Z');
  assert.equal(header(result.request.headers, 'x-amz-date'), ['20200102T030405Z']);
  assert.equal(header(result.request.headers, 'x-amz-security-token'), ['token']);
});

test("refuses a date option that contradicts the request's X-Amz-Date", async () => {
  const error = await sign({ method: 'GET', url: 'https://example.com/', headers: { 'X-Amz-Date': '20200102T030405Z' } }, options).catch(
    (e: unknown) => e,
  );
  assert.instance(error, SigV4Error);
  assert.is((error as SigV4Error).code, 'INVALID_DATE');
});

test('replaces an old Authorization header instead of signing or sending it twice', async () => {
  const result = await sign({ method: 'GET', url: 'https://example.com/', headers: { authorization: 'AWS4-HMAC-SHA256 old' } }, options);
  assert.equal(header(result.request.headers, 'authorization'), [result.authorization]);
  assert.not.ok(result.signedHeaders.includes('authorization'));
});

test('treats an empty session token as none, as the AWS SDKs do', async () => {
  const result = await sign(
    { method: 'GET', url: 'https://example.com/' },
    { ...options, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: '' } },
  );
  assert.equal(header(result.request.headers, 'x-amz-security-token'), []);
  assert.is(result.signedHeaders, 'host;x-amz-date');
});

test('accepts headers as [name, value] pairs and as a Headers object', async () => {
  const pairs = await sign(
    {
      method: 'GET',
      url: 'https://example.com/',
      headers: [
        ['X-A', '1'],
        ['x-a', '2'],
      ],
    },
    options,
  );
  assert.ok(pairs.canonicalRequest.includes('\nx-a:1,2\n'));
  const fetchHeaders = await sign({ method: 'GET', url: 'https://example.com/', headers: new Headers({ 'X-A': '1' }) }, options);
  assert.ok(fetchHeaders.canonicalRequest.includes('\nx-a:1\n'));
});

test("leaves the caller's request untouched", async () => {
  const request = { method: 'GET', url: 'https://example.com/', headers: { 'X-A': '1' } };
  const before = JSON.stringify(request);
  await sign(request, options);
  assert.is(JSON.stringify(request), before);
});

test.run();
