import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  MIN_SECRET_LENGTH,
  redact,
  redactCredentialShapes,
  redactDeep,
  redactHeaderValue,
  redactSecrets,
  rememberSecret,
} from '../src/redaction.ts';

// Each row: a text as a source might print it, and the values that must not survive.
const shapes: Array<[string, string, string[]]> = [
  [
    'a credential_process document',
    '{"Version":1,"AccessKeyId":"ASIAKEEP","SecretAccessKey":"shape-secret-1","SessionToken":"shape-token-1"}',
    ['shape-secret-1', 'shape-token-1'],
  ],
  [
    'JSON inside a JSON string',
    '{"message":"{\\"SecretAccessKey\\":\\"shape-secret-2\\",\\"Token\\":\\"shape-token-2\\"}"}',
    ['shape-secret-2', 'shape-token-2'],
  ],
  ['spaces around the colon, single quotes', `{ 'password' : 'shape-password-3', "Password": 12345678 }`, ['shape-password-3', '12345678']],
  [
    'SSO camelCase',
    '{"roleCredentials":{"secretAccessKey":"shape-secret-4","sessionToken":"shape-token-4","accessToken":"shape-access-4"}}',
    ['shape-secret-4', 'shape-token-4', 'shape-access-4'],
  ],
  [
    'STS XML',
    '<Credentials><AccessKeyId>ASIAKEEP</AccessKeyId><SecretAccessKey>shape-secret-5</SecretAccessKey><SessionToken>shape-token-5</SessionToken></Credentials>',
    ['shape-secret-5', 'shape-token-5'],
  ],
  [
    'an ini file quoted back',
    '[default]\naws_secret_access_key = shape-secret-6\naws_session_token=shape-token-6',
    ['shape-secret-6', 'shape-token-6'],
  ],
  ['key=value in a log line', 'failed: Token=shape-token-7; password: shape-password-7', ['shape-token-7', 'shape-password-7']],
  [
    'a signed header line echoed by a server',
    'host:ecr.us-east-1.amazonaws.com\nx-amz-security-token:shape-token-8\nx-amz-date:20260101T000000Z',
    ['shape-token-8'],
  ],
  ['a presigned query', 'GET /?X-Amz-Date=1&X-Amz-Security-Token=shape-token-9&X-Amz-Signature=abc', ['shape-token-9']],
  [
    "Docker's helper protocol and config.json",
    '{"ServerURL":"r","Username":"AWS","Secret":"shape-secret-10"} {"identitytoken":"shape-token-10"}',
    ['shape-secret-10', 'shape-token-10'],
  ],
];
for (const [name, text, hidden] of shapes) {
  test(`credential shapes: ${name}`, () => {
    const out = redactCredentialShapes(text);
    for (const value of hidden) assert.not.ok(out.includes(value), `${value} survived in ${out}`);
    assert.match(out, /\[redacted: [^,\]]+, \d+ chars\]/);
    assert.is(redactCredentialShapes(out), out, 'redacting twice changes nothing');
  });
}

test('credential shapes keep what is not a credential: the access key ID, prose, our own messages', () => {
  for (const text of [
    '{"AccessKeyId":"ASIAKEEPME","Expiration":"2026-01-01T00:00:00Z"}',
    'token: user AWS, expires 2026-01-01T00:00:00Z',
    'The password is empty.',
    'credential_process printed no SecretAccessKey (a non-empty string is required).',
    'answered without accessKeyId, secretAccessKey, sessionToken and expiration.',
  ]) {
    assert.is(redactCredentialShapes(text), text);
  }
});

test('the length of the hidden value is kept, as smithy-rs shows it', () => {
  assert.is(redactCredentialShapes('{"SecretAccessKey":"0123456789"}'), '{"SecretAccessKey":"[redacted: SecretAccessKey, 10 chars]"}');
});

test('a remembered secret is redacted in every later text, raw and URI-encoded, whatever its shape', () => {
  const secret = 'remembered/secret+value=0123456789';
  rememberSecret(secret, 'secret access key');
  const text = `plain ${secret} encoded ${encodeURIComponent(secret)} done`;
  const out = redactSecrets(text);
  assert.not.ok(out.includes(secret));
  assert.not.ok(out.includes(encodeURIComponent(secret)));
  assert.is(
    out,
    `plain [redacted: secret access key, ${secret.length} chars] encoded [redacted: secret access key, ${secret.length} chars] done`,
  );
});

test('the registry is shared by every copy of the module in the process (globalThis)', async () => {
  const secret = 'shared-by-copies-0123456789';
  rememberSecret(secret, 'session token');
  const copy = (await import(`../src/redaction.ts?copy=${Date.now()}`)) as typeof import('../src/redaction.ts');
  assert.is(copy.redactSecrets(`x ${secret}`), `x [redacted: session token, ${secret.length} chars]`);
});

test('values shorter than MIN_SECRET_LENGTH are not remembered (they would redact ordinary words)', () => {
  rememberSecret('short', 'secret');
  assert.is(MIN_SECRET_LENGTH, 8);
  assert.is(redactSecrets('a short word'), 'a short word');
});

test('shapes: false keeps credential-shaped fields (a body the user asked to see) but still hides remembered secrets', () => {
  const remembered = 'remembered-for-stdout-0123456789';
  rememberSecret(remembered, 'secret');
  const body = `<SecretAccessKey>fresh-from-sts-0123</SecretAccessKey> ${remembered}`;
  assert.is(
    redactSecrets(body, { shapes: false }),
    `<SecretAccessKey>fresh-from-sts-0123</SecretAccessKey> [redacted: secret, ${remembered.length} chars]`,
  );
});

test('redactDeep scrubs every string of a structured value', () => {
  const out = redactDeep({
    server: { message: '{"SessionToken":"deep-token-0123"}' },
    list: ['x-amz-security-token:deep-token-4567'],
    n: 1,
  });
  assert.not.ok(JSON.stringify(out).includes('deep-token'));
  assert.is(out.n, 1);
});

test('redactHeaderValue hides the signature and the session token of a request', () => {
  assert.is(
    redactHeaderValue('Authorization', 'AWS4-HMAC-SHA256 Credential=A/x, SignedHeaders=host, Signature=abc123'),
    'AWS4-HMAC-SHA256 Credential=A/x, SignedHeaders=host, Signature=[redacted]',
  );
  assert.is(redactHeaderValue('X-Amz-Security-Token', 'tok'), '[redacted: session token, 3 chars]');
  assert.is(redactHeaderValue('Content-Type', 'application/json'), 'application/json');
});

test('redact replaces only the given values, with the given label', () => {
  assert.is(redact('x-amz-security-token:abc', ['abc'], 'session token'), 'x-amz-security-token:[redacted: session token, 3 chars]');
});

test.run();
