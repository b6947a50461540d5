// The trace: the steps in the specification's order with the suite's own values, formatted with
// every title, and never a secret: no session token, no secret key, no signing key unless asked.
import { createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatTrace, parseHttpRequest, presign, redact, sign, type SignOptions, type TraceStep } from '@glassbox/sigv4';
import { loadVectors, sessionTokenFor, suiteParameters } from '../../../test/vectors.ts';

const vectors = loadVectors();
const vector = (name: string) => vectors.find((v) => v.name === name)!;
const output = (trace: readonly TraceStep[], id: TraceStep['id']): string | undefined => trace.find((s) => s.id === id)?.output;

test('records the steps in the order the specification gives them', async () => {
  const { trace } = await sign(parseHttpRequest(vector('get-vanilla').req), { ...suiteParameters, trace: true });
  const ids = trace!.map((s) => s.id);
  const order = [
    'canonical-uri',
    'canonical-query',
    'canonical-headers',
    'signed-headers',
    'payload-hash',
    'canonical-request',
    'canonical-request-hash',
    'credential-scope',
    'string-to-sign',
    'signing-key',
    'signature',
    'authorization',
  ] as const;
  const positions = order.map((id) => ids.indexOf(id));
  assert.not.ok(positions.includes(-1), `missing steps in ${ids.join(', ')}`);
  assert.equal(
    positions,
    [...positions].sort((a, b) => a - b),
  );
});

for (const name of ['get-vanilla', 'post-x-www-form-urlencoded', 'normalize-path/get-space', 'get-header-value-multiline']) {
  test(`holds the suite's canonical request, string to sign and Authorization for ${name}`, async () => {
    const v = vector(name);
    const { trace } = await sign(parseHttpRequest(v.req), { ...suiteParameters, trace: true });
    assert.fixture(output(trace!, 'canonical-request')!, v.creq);
    assert.fixture(output(trace!, 'string-to-sign')!, v.sts);
    assert.is(output(trace!, 'authorization'), v.authz);
    assert.is(output(trace!, 'canonical-request-hash'), v.sts.split('\n')[3]);
  });
}

test("formatTrace shows every step's title and explanation, numbered", async () => {
  const { trace } = await sign(parseHttpRequest(vector('post-vanilla').req), { ...suiteParameters, trace: true });
  const text = formatTrace(trace!);
  trace!.forEach((step, index) => {
    assert.ok(text.includes(`${index + 1}. ${step.title}`), step.title);
    assert.ok(text.includes(step.explanation), step.explanation);
  });
  assert.ok(text.includes(vector('post-vanilla').authz));
});

test('formatTrace colours only when asked', async () => {
  const { trace } = await sign(parseHttpRequest(vector('get-vanilla').req), { ...suiteParameters, trace: true });
  assert.not.ok(formatTrace(trace!).includes('\x1b['));
  assert.not.ok(formatTrace(trace!, { color: false }).includes('\x1b['));
  assert.ok(formatTrace(trace!, { color: true }).includes('\x1b['));
});

test('leaves the trace out unless asked', async () => {
  assert.is((await sign(parseHttpRequest(vector('get-vanilla').req), suiteParameters)).trace, undefined);
});

// Tokens as STS issues them are base64; the odd characters check every encoded form is hidden too.
const tokens = [sessionTokenFor(vector('post-sts-token/post-sts-header-after')).sessionToken!, 'Tok+en/with=base64!and*(odd)chars'];
for (const token of tokens) {
  for (const signSessionToken of [true, false]) {
    const options: SignOptions = {
      ...suiteParameters,
      credentials: { ...suiteParameters.credentials, sessionToken: token },
      signSessionToken,
      trace: true,
      revealSigningKey: true,
    };
    test(`keeps the session token (${token.slice(0, 8)}…, ${signSessionToken ? 'signed' : 'unsigned'}) out of the sign trace and its text`, async () => {
      const { trace } = await sign(parseHttpRequest(vector('get-vanilla').req), options);
      for (const text of [JSON.stringify(trace), formatTrace(trace!), formatTrace(trace!, { color: true })]) {
        assert.not.ok(text.includes(token), 'the raw token');
        assert.not.ok(text.includes(encodeURIComponent(token)), 'the encoded token');
        assert.not.ok(text.includes(suiteParameters.credentials.secretAccessKey), 'the secret');
      }
      assert.ok(JSON.stringify(trace).includes(`[redacted: session token, ${token.length} chars]`));
    });
    test(`keeps the session token (${token.slice(0, 8)}…, ${signSessionToken ? 'signed' : 'unsigned'}) out of the presign trace and its text`, async () => {
      const { trace } = await presign(parseHttpRequest(vector('get-vanilla').req), options);
      const rfc3986 = encodeURIComponent(token).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      for (const text of [JSON.stringify(trace), formatTrace(trace!)]) {
        assert.not.ok(text.includes(token), 'the raw token');
        assert.not.ok(text.includes(rfc3986), 'the RFC 3986-encoded token');
        assert.not.ok(text.includes(suiteParameters.credentials.secretAccessKey), 'the secret');
      }
    });
  }
}

test("hides the signing key unless revealSigningKey is set, and then shows the HMAC chain's result", async () => {
  const request = parseHttpRequest(vector('get-vanilla').req);
  let key: Buffer = Buffer.from(`AWS4${suiteParameters.credentials.secretAccessKey}`);
  for (const part of ['20150830', 'us-east-1', 'service', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const keyHex = key.toString('hex');

  const hidden = (await sign(request, { ...suiteParameters, trace: true })).trace!;
  assert.not.ok(JSON.stringify(hidden).includes(keyHex));
  assert.not.ok(formatTrace(hidden).includes(keyHex));
  assert.match(output(hidden, 'signing-key')!, /hidden/);

  const shown = (await sign(request, { ...suiteParameters, trace: true, revealSigningKey: true })).trace!;
  assert.is(output(shown, 'signing-key'), keyHex);
});

const redactTable: [text: string, secrets: (string | undefined)[], expected: string, why: string][] = [
  [
    'x-amz-security-token:abc',
    ['abc'],
    'x-amz-security-token:[redacted: session token, 3 chars]',
    'replaces the raw value and says how long it was',
  ],
  ['t=a%2Bb', ['a+b'], 't=[redacted: session token, 3 chars]', 'replaces the URI-encoded value'],
  ['t=a%28b', ['a(b'], 't=[redacted: session token, 3 chars]', 'replaces the RFC 3986-encoded value, as a presigned URL writes it'],
  [
    'x-amz-security-token:a b',
    ['a   b'],
    'x-amz-security-token:[redacted: session token, 5 chars]',
    'replaces the value as a canonical header writes it',
  ],
  ['t=\ud800', ['\ud800'], 't=[redacted: session token, 1 chars]', 'copes with a lone surrogate, which encodeURIComponent throws on'],
  ['abc abc', ['abc'], '[redacted: session token, 3 chars] [redacted: session token, 3 chars]', 'replaces every occurrence'],
  ['nothing here', [undefined, ''], 'nothing here', 'ignores absent and empty secrets'],
];
for (const [text, secrets, expected, why] of redactTable) {
  test(`redact ${why}`, () => assert.is(redact(text, secrets, 'session token'), expected));
}

test.run();
