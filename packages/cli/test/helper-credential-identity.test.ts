// The credential helper's cache key (moved from packages/docker-config/test/token-cache.test.ts with the code).
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentialIdentity } from '../src/helper/credential-identity.ts';
import { tempDir } from './support/helper/paths.ts';

test("the identity stays the same while a profile's source keys rotate, and changes with the role", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const configFile = join(dir, 'config');
    const credentialsFile = join(dir, 'credentials');
    await writeFile(
      configFile,
      '[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/ci\nsource_profile = base\nregion = eu-west-1\n[profile other]\nrole_arn = arn:aws:iam::111122223333:role/x\n',
    );
    const env = { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, HOME: dir };
    await writeFile(
      credentialsFile,
      '[base]\naws_access_key_id = ASIAFIRST\naws_secret_access_key = first-secret\naws_session_token = tok1\n',
    );
    const first = credentialIdentity(env);
    // A login tool (saml2aws, gimme-aws-creds) rewrites the source profile's temporary keys every hour.
    await writeFile(
      credentialsFile,
      '[base]\naws_access_key_id = ASIASECOND\naws_secret_access_key = second-secret\naws_session_token = tok2\n',
    );
    assert.is(credentialIdentity(env).hash, first.hash);
    assert.match(first.description, /profile=dev/);
    assert.match(first.description, /role_arn=arn:aws:iam::111122223333:role\/ci/);
    assert.match(first.hash, /^[0-9a-f]{16}$/);

    await writeFile(configFile, '[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/admin\nsource_profile = base\n');
    assert.is.not(credentialIdentity(env).hash, first.hash);
    assert.is.not(credentialIdentity({ ...env, AWS_PROFILE: 'other' }).hash, credentialIdentity(env).hash);
    // Environment keys come first in the chain, AWS_PROFILE notwithstanding.
    assert.is(
      credentialIdentity({ ...env, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's' }).description,
      'env-access-key=AKIDENV',
    );
  } finally {
    await cleanup();
  }
});

test('the identity never contains a secret, even one written in the config file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const configFile = join(dir, 'config');
    await writeFile(
      configFile,
      '[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret-value\naws_session_token = config-session-value\n',
    );
    const fromProfile = credentialIdentity({ AWS_CONFIG_FILE: configFile, HOME: dir });
    assert.match(fromProfile.description, /aws_access_key_id=AKIDCONFIG/);
    assert.not.match(fromProfile.description, /config-secret-value|config-session-value/);
    const fromEnv = credentialIdentity({
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret-value',
      AWS_SESSION_TOKEN: 'env-session',
      HOME: dir,
    });
    assert.is(fromEnv.description, 'env-access-key=AKIDENV');
  } finally {
    await cleanup();
  }
});

test('an AWS config file that is a FIFO is never opened for the identity, so it cannot hang the helper', async () => {
  const { dir, cleanup } = await tempDir();
  const fifo = join(dir, 'config');
  assert.is(spawnSync('mkfifo', ['-m', '600', fifo]).status, 0);
  // A reader would be fed a profile again and again (and the test fail on it instead of hanging).
  const writer = spawn(
    '/bin/sh',
    ['-c', `while :; do printf '[default]\\nrole_arn = arn:aws:iam::111122223333:role/fed\\n' > '${fifo}'; sleep 0.1; done`],
    { stdio: 'ignore' },
  );
  try {
    const identity = credentialIdentity({ AWS_CONFIG_FILE: fifo, HOME: dir });
    assert.is(identity.description, `profile=default config=${fifo}`);
  } finally {
    writer.kill('SIGKILL');
    await cleanup();
  }
});

test.run();
