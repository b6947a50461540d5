import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { fromEnvironment } from '../src/credentials/env.ts';

test('both keys set: used, with the session token and expiration', async () => {
  const result = await fromEnvironment({
    env: {
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'SECRET-env',
      AWS_SESSION_TOKEN: 'TOKEN-env',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
    },
  });
  assert.ok('credentials' in result);
  if (!('credentials' in result)) return;
  assert.is(result.credentials.accessKeyId, 'AKIDENV');
  assert.is(result.credentials.secretAccessKey, 'SECRET-env');
  assert.is(result.credentials.sessionToken, 'TOKEN-env');
  assert.is(result.credentials.expiration?.getTime(), Date.UTC(2030, 0, 1));
  assert.is(result.credentials.source, 'environment');
  assert.not.match(result.reason, 'SECRET-env');
});

test('the legacy AWS_SECURITY_TOKEN is read when AWS_SESSION_TOKEN is not', async () => {
  const result = await fromEnvironment({ env: { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S', AWS_SECURITY_TOKEN: 'legacy' } });
  assert.is('credentials' in result && result.credentials.sessionToken, 'legacy');
});

const skipCases: [string, Record<string, string>][] = [
  ['nothing set', {}],
  ['both empty', { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }],
  ['only a session token', { AWS_SESSION_TOKEN: 'T' }],
];
for (const [name, env] of skipCases) {
  test(`skipped: ${name}`, async () => {
    const result = await fromEnvironment({ env });
    assert.ok('skipped' in result);
  });
}

const errorCases: [string, Record<string, string>, RegExp][] = [
  ['key ID without secret', { AWS_ACCESS_KEY_ID: 'A' }, /AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/],
  ['secret without key ID', { AWS_SECRET_ACCESS_KEY: 'SECRET-half' }, /AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not/],
  [
    'bad expiration',
    { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S', AWS_CREDENTIAL_EXPIRATION: 'soon' },
    /AWS_CREDENTIAL_EXPIRATION "soon"/,
  ],
];
for (const [name, env, message] of errorCases) {
  test(`error: ${name}`, async () => {
    try {
      await fromEnvironment({ env });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, EcrError);
      assert.is((error as EcrError).code, 'CREDENTIALS_INVALID');
      assert.match((error as EcrError).message, message);
      assert.not.match((error as EcrError).message, 'SECRET-half');
    }
  });
}

test.run();
