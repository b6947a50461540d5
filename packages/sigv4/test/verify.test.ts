// verify() against a real peer: every request @smithy/signature-v4 signs (header and presigned,
// generated with fast-check) is accepted, and each single-field change is rejected with its reason.
// The seed is printed on every run; GLASSBOX_SEED=<seed> replays a run exactly.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HttpRequest as SmithyHttpRequest } from '@smithy/protocol-http';
import { uriEncode, verify, type HttpRequest, type VerifyOptions, type VerifyResult } from '../src/index.ts';
import { peerPresign, peerSign, type PeerRequest } from './smithy-peer.ts';

const seed = process.env.GLASSBOX_SEED !== undefined ? Number(process.env.GLASSBOX_SEED) : (Date.now() % 2 ** 31) | 0;
if (!Number.isInteger(seed)) throw new Error(`GLASSBOX_SEED must be an integer, got '${process.env.GLASSBOX_SEED}'`);
console.log(`verify: fast-check seed ${seed} (replay with GLASSBOX_SEED=${seed})`);

const KEYS: Record<string, string> = {
  AKIDVERIFYONE: 'verify-secret-one/K7MDENG+bPxRfi',
  ASIAVERIFYTWO: 'verify-secret-two/wJalrXUtnFEMI',
};
const lookup = (id: string): string | undefined => KEYS[id];

/** The smithy-signed request as it arrives at a server: one URL, headers, body. */
function received(signed: SmithyHttpRequest): HttpRequest {
  const pieces: string[] = [];
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) pieces.push(`${uriEncode(key)}=${uriEncode(String(one ?? ''))}`);
  }
  const url = `https://${signed.hostname}${signed.path}${pieces.length ? `?${pieces.join('&')}` : ''}`;
  return { method: signed.method, url, headers: { ...signed.headers }, body: signed.body as string | undefined };
}

// --- Generated requests. ---
const segment = fc.constantFrom('a', 'Zz9', 'v2', 'my repo', 'é', '😀', 'a:b', '~t', 'x*y', '%20', 'k=v', '.', '..', "it's", 'a+b');
const queryText = fc.constantFrom('', 'a', '1', 'x y', 'é', 'a/b', 'p=q', '*', '~', 'A&B', '😀', 'a+b', 'Zz');
const headerText = fc.constantFrom('v', '  spaced   out  ', 'a,b', 'é', 'UPPER lower', '"quoted"', '1');

const requestArbitrary = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'),
  path: fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`),
  query: fc.dictionary(
    fc.constantFrom('a', 'B', 'list-type', 'key', 'é', 'x y', '_'),
    fc.oneof(queryText, fc.array(queryText, { minLength: 2, maxLength: 3 })),
    { maxKeys: 4 },
  ),
  headers: fc.dictionary(fc.constantFrom('x-amz-meta-one', 'X-Amz-Meta-Two', 'content-type', 'x-custom', 'accept'), headerText, {
    maxKeys: 4,
  }),
  body: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  accessKeyId: fc.constantFrom(...Object.keys(KEYS)),
  sessionToken: fc.option(fc.constantFrom('FwoGZXIvYXdzEJr//////////token', 'IQoJb3JpZ2luX2Vj+/='), { nil: undefined }),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
  service: fc.constantFrom('ecr', 'execute-api', 'service'),
  time: fc.integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 }).map((s) => new Date(s * 1000)),
  offset: fc.integer({ min: -299, max: 299 }),
  expiresIn: fc.integer({ min: 1, max: 604_800 }),
});
type Generated = typeof requestArbitrary extends fc.Arbitrary<infer T> ? T : never;

function peerRequest(g: Generated): PeerRequest {
  const hostname = `${g.service}.${g.region}.amazonaws.com`;
  const headers: Record<string, string> = { host: hostname };
  for (const [name, value] of Object.entries(g.headers)) headers[name] = value;
  return { method: g.method, hostname, path: g.path, query: g.query, headers, ...(g.body === undefined ? {} : { body: g.body }) };
}

function peerOptions(g: Generated) {
  const credentials = {
    accessKeyId: g.accessKeyId,
    secretAccessKey: KEYS[g.accessKeyId]!,
    ...(g.sessionToken ? { sessionToken: g.sessionToken } : {}),
  };
  return { credentials, region: g.region, service: g.service };
}

const options = (now: Date, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ credentials: lookup, now, ...extra });
const describe = (r: VerifyResult): string => (r.ok ? 'ok' : `${r.reason}: ${r.message}`);

test('accepts every request @smithy/signature-v4 signs in the Authorization header', async () => {
  await fc.assert(
    fc.asyncProperty(requestArbitrary, fc.boolean(), async (g, applyChecksum) => {
      const { signed } = await peerSign(peerRequest(g), { ...peerOptions(g), applyChecksum }, g.time);
      const result = await verify(
        received(signed),
        options(new Date(g.time.getTime() + g.offset * 1000), { region: g.region, service: g.service }),
      );
      assert.ok(result.ok, describe(result));
    }),
    { seed, numRuns: 300, includeErrorInReport: true },
  );
});

test('accepts every URL @smithy/signature-v4 presigns, until it expires', async () => {
  await fc.assert(
    fc.asyncProperty(requestArbitrary, async (g) => {
      const { signed } = await peerPresign(peerRequest(g), peerOptions(g), g.time, g.expiresIn);
      const atEnd = await verify(received(signed), options(new Date(g.time.getTime() + g.expiresIn * 1000)));
      assert.ok(atEnd.ok, describe(atEnd));
      const after = await verify(received(signed), options(new Date(g.time.getTime() + (g.expiresIn + 1) * 1000)));
      assert.is(after.ok ? 'ok' : after.reason, 'EXPIRED');
    }),
    { seed, numRuns: 300, includeErrorInReport: true },
  );
});

// --- Single-field mutations. ---
type Mutation = {
  field: string;
  reason: string;
  mutate: (r: HttpRequest) => HttpRequest;
  presigned?: boolean;
  verifyOptions?: Partial<VerifyOptions>;
};

const withHeader = (r: HttpRequest, name: string, change: (value: string | undefined) => string | undefined): HttpRequest => {
  const headers = { ...(r.headers as Record<string, string>) };
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name) ?? name;
  const next = change(headers[key]);
  if (next === undefined) delete headers[key];
  else headers[key] = next;
  return { ...r, headers };
};
const withAuthorization = (r: HttpRequest, change: (value: string) => string) => withHeader(r, 'authorization', (v) => change(v!));
const withQuery = (r: HttpRequest, change: (query: URLSearchParams) => void): HttpRequest => {
  const [base, query = ''] = r.url.split('?');
  const params = new URLSearchParams(query);
  change(params);
  return { ...r, url: `${base}?${params.toString().replace(/\+/g, '%20')}` };
};
const flipHex = (sig: string) => sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');

const mutations: Mutation[] = [
  { field: 'method', reason: 'SIGNATURE_MISMATCH', mutate: (r) => ({ ...r, method: 'PUT' }) },
  { field: 'path', reason: 'SIGNATURE_MISMATCH', mutate: (r) => ({ ...r, url: r.url.replace('/v2/repo/', '/v2/repo2/') }) },
  { field: 'query value', reason: 'SIGNATURE_MISMATCH', mutate: (r) => ({ ...r, url: r.url.replace('maxResults=10', 'maxResults=11') }) },
  { field: 'query parameter added', reason: 'SIGNATURE_MISMATCH', mutate: (r) => ({ ...r, url: `${r.url}&extra=1` }) },
  {
    field: 'a signed header value',
    reason: 'SIGNATURE_MISMATCH',
    mutate: (r) => withHeader(r, 'x-amz-target', () => 'AmazonEC2ContainerRegistry_V20150921.DeleteRepository'),
  },
  { field: 'a signed header removed', reason: 'SIGNED_HEADER_MISSING', mutate: (r) => withHeader(r, 'x-amz-target', () => undefined) },
  { field: 'body', reason: 'SIGNATURE_MISMATCH', mutate: (r) => ({ ...r, body: '{"registryIds":["000000000000"]}' }) },
  {
    field: 'body with x-amz-content-sha256',
    reason: 'PAYLOAD_HASH_MISMATCH',
    mutate: (r) => withHeader({ ...r, body: '{}' }, 'x-amz-content-sha256', () => 'a'.repeat(64)),
  },
  { field: 'date (same day)', reason: 'SIGNATURE_MISMATCH', mutate: (r) => withHeader(r, 'x-amz-date', (v) => v!.replace(/00Z$/, '01Z')) },
  {
    field: 'date (another day)',
    reason: 'DATE_MISMATCH',
    mutate: (r) => withHeader(r, 'x-amz-date', (v) => v!.replace(/^(\d{7})9/, '$18')),
    verifyOptions: { maxSkewSeconds: 200_000 },
  },
  {
    field: 'scope region',
    reason: 'SIGNATURE_MISMATCH',
    mutate: (r) => withAuthorization(r, (v) => v.replace('/us-east-1/', '/us-west-2/')),
  },
  {
    field: 'scope region, server pinned',
    reason: 'SCOPE_MISMATCH',
    mutate: (r) => withAuthorization(r, (v) => v.replace('/us-east-1/', '/us-west-2/')),
    verifyOptions: { region: 'us-east-1' },
  },
  {
    field: 'scope service, server pinned',
    reason: 'SCOPE_MISMATCH',
    mutate: (r) => withAuthorization(r, (v) => v.replace('/ecr/', '/ec2/')),
    verifyOptions: { service: 'ecr' },
  },
  {
    field: 'signed headers list',
    reason: 'SIGNATURE_MISMATCH',
    mutate: (r) => withAuthorization(r, (v) => v.replace(';x-amz-target', '')),
  },
  { field: 'signature', reason: 'SIGNATURE_MISMATCH', mutate: (r) => withAuthorization(r, (v) => v.replace(/[0-9a-f]{64}$/, flipHex)) },
  {
    field: 'signature (malformed)',
    reason: 'MALFORMED_AUTHORIZATION',
    mutate: (r) => withAuthorization(r, (v) => v.replace(/[0-9a-f]{64}$/, 'zz')),
  },
  {
    field: 'unknown access key',
    reason: 'UNKNOWN_ACCESS_KEY',
    mutate: (r) => withAuthorization(r, (v) => v.replace('AKIDVERIFYONE', 'AKIDNOBODYKNOWS')),
  },
  { field: 'session token', reason: 'SIGNATURE_MISMATCH', mutate: (r) => withHeader(r, 'x-amz-security-token', () => 'another-token') },
  { field: 'Authorization removed', reason: 'MISSING_AUTHORIZATION', mutate: (r) => withHeader(r, 'authorization', () => undefined) },
  // Presigned URLs.
  {
    field: 'presigned: signature',
    reason: 'SIGNATURE_MISMATCH',
    presigned: true,
    mutate: (r) => withQuery(r, (q) => q.set('X-Amz-Signature', flipHex(q.get('X-Amz-Signature')!))),
  },
  {
    field: 'presigned: expires',
    reason: 'SIGNATURE_MISMATCH',
    presigned: true,
    mutate: (r) => withQuery(r, (q) => q.set('X-Amz-Expires', '601')),
  },
  {
    field: 'presigned: expires out of range',
    reason: 'MALFORMED_AUTHORIZATION',
    presigned: true,
    mutate: (r) => withQuery(r, (q) => q.set('X-Amz-Expires', '604801')),
  },
  {
    field: 'presigned: date',
    reason: 'SIGNATURE_MISMATCH',
    presigned: true,
    mutate: (r) => withQuery(r, (q) => q.set('X-Amz-Date', q.get('X-Amz-Date')!.replace(/00Z$/, '01Z'))),
  },
  {
    field: 'presigned: query value',
    reason: 'SIGNATURE_MISMATCH',
    presigned: true,
    mutate: (r) => withQuery(r, (q) => q.set('maxResults', '11')),
  },
  {
    field: 'presigned: credential scope',
    reason: 'SIGNATURE_MISMATCH',
    presigned: true,
    mutate: (r) => withQuery(r, (q) => q.set('X-Amz-Credential', q.get('X-Amz-Credential')!.replace('/ecr/', '/ec2/'))),
  },
  { field: 'presigned: method', reason: 'SIGNATURE_MISMATCH', presigned: true, mutate: (r) => ({ ...r, method: 'PUT' }) },
];

const SIGNED_AT = new Date('2026-11-29T05:10:00Z'); // 9 in the day's last digit, for the "another day" change
const baseRequest: PeerRequest = {
  method: 'POST',
  hostname: 'api.ecr.us-east-1.amazonaws.com',
  path: '/v2/repo/manifests',
  query: { maxResults: '10' },
  headers: {
    host: 'api.ecr.us-east-1.amazonaws.com',
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
  },
  body: '{"registryIds":["123456789012"]}',
};
const baseOptions = {
  credentials: { accessKeyId: 'AKIDVERIFYONE', secretAccessKey: KEYS['AKIDVERIFYONE']!, sessionToken: 'token-for-mutations' },
  region: 'us-east-1',
  service: 'ecr',
};

for (const m of mutations) {
  test(`rejects a changed ${m.field}: ${m.reason}`, async () => {
    const { signed } = m.presigned
      ? await peerPresign(baseRequest, baseOptions, SIGNED_AT, 600)
      : await peerSign(baseRequest, baseOptions, SIGNED_AT);
    const original = received(signed);
    const untouched = await verify(original, options(SIGNED_AT, m.verifyOptions));
    assert.ok(untouched.ok, describe(untouched)); // the change alone is what fails
    const result = await verify(m.mutate(original), options(SIGNED_AT, m.verifyOptions));
    assert.is(result.ok ? 'ok' : result.reason, m.reason, describe(result));
  });
}

test('a signature mismatch names the step and carries what the server computed', async () => {
  const { signed, canonicalRequest, stringToSign } = await peerSign(baseRequest, baseOptions, SIGNED_AT);
  const result = await verify({ ...received(signed), method: 'PUT' }, options(SIGNED_AT));
  if (result.ok) return assert.unreachable('should fail');
  assert.is(result.firstDifferentStep, 'signature');
  assert.is(result.canonicalRequest, canonicalRequest.replace(/^POST\n/, 'PUT\n'));
  assert.is.not(result.stringToSign, stringToSign);
  const good = await verify(received(signed), options(SIGNED_AT));
  assert.ok(
    good.ok && good.canonicalRequest === canonicalRequest && good.stringToSign === stringToSign,
    'verify recomputes exactly what smithy signed',
  );
});

test('clock skew: 5 minutes either way by default, or maxSkewSeconds', async () => {
  const { signed } = await peerSign(baseRequest, baseOptions, SIGNED_AT);
  const request = received(signed);
  const at = (seconds: number, extra: Partial<VerifyOptions> = {}) =>
    verify(request, options(new Date(SIGNED_AT.getTime() + seconds * 1000), extra));
  assert.ok((await at(300)).ok);
  assert.ok((await at(-300)).ok);
  const late = await at(301);
  assert.is(late.ok ? 'ok' : late.reason, 'CLOCK_SKEW');
  assert.match(
    late.ok ? '' : late.message,
    /^Signature expired: 20261129T051000Z is now earlier than 20261129T051001Z \(20261129T051501Z - 5 min\.\)$/,
  );
  const early = await at(-301);
  assert.is(early.ok ? 'ok' : early.reason, 'CLOCK_SKEW');
  assert.match(early.ok ? '' : early.message, /^Signature not yet current: /);
  assert.is(early.ok ? '' : early.firstDifferentStep, 'signing-time');
  assert.ok((await at(301, { maxSkewSeconds: 900 })).ok);
  const strict = await at(61, { maxSkewSeconds: 60 });
  assert.is(strict.ok ? 'ok' : strict.reason, 'CLOCK_SKEW');
});

test('presigned expiry: valid through X-Amz-Expires, EXPIRED one second later, and not before it was signed', async () => {
  const { signed } = await peerPresign(baseRequest, baseOptions, SIGNED_AT, 600);
  const request = received(signed);
  const at = (seconds: number) => verify(request, options(new Date(SIGNED_AT.getTime() + seconds * 1000)));
  assert.ok((await at(600)).ok);
  const expired = await at(601);
  assert.is(expired.ok ? 'ok' : expired.reason, 'EXPIRED');
  const early = await at(-301);
  assert.is(early.ok ? 'ok' : early.reason, 'CLOCK_SKEW');
});

test('an unknown access key is UNKNOWN_ACCESS_KEY, and so is an empty secret from the lookup', async () => {
  const { signed } = await peerSign(baseRequest, baseOptions, SIGNED_AT);
  for (const credentials of [() => undefined, () => '', async () => undefined]) {
    const result = await verify(received(signed), { credentials, now: SIGNED_AT });
    assert.is(result.ok ? 'ok' : result.reason, 'UNKNOWN_ACCESS_KEY');
    assert.is(result.ok ? '' : result.firstDifferentStep, 'credentials');
  }
  const wrongSecret = await verify(received(signed), { credentials: () => 'not-the-secret', now: SIGNED_AT });
  assert.is(wrongSecret.ok ? 'ok' : wrongSecret.reason, 'SIGNATURE_MISMATCH');
});

test.run();
