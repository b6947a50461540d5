import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { profileIdentity } from '../src/profile-identity.ts';

// The description must stay byte-for-byte what the credential helper's token cache keyed on before
// (docker-config token-cache.ts credentialIdentity): a different string is a cache miss for every user.
// One deliberate difference: a file the AWS CLI cannot parse adds nothing (the old line scanner still
// picked settings out of it); the chain refuses such a file, so no token is fetched for it either way.
const dir = await mkdtemp(join(tmpdir(), 'glassbox-identity-'));
const config = join(dir, 'config');
await writeFile(
  config,
  [
    '[default]',
    'region = eu-west-1',
    'credential_process = /usr/bin/get-creds --quiet',
    '[profile dev]',
    'sso_session = corp',
    'role_arn = arn:aws:iam::123456789012:role/dev',
    'Source_Profile = base',
    'aws_secret_access_key = SECRET-never-in-identity',
    'external_id = ext-1',
    '[profile other]',
    'role_arn = arn:aws:iam::123456789012:role/other',
    '',
  ].join('\n'),
);
const broken = join(dir, 'broken');
await writeFile(broken, 'role_arn = arn:aws:iam::1:role/before-any-section\n[profile dev]\nrole_arn = x\n');
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);

const cases: Array<[string, Record<string, string>, string]> = [
  [
    'environment keys come first, identified by their access key ID',
    { AWS_ACCESS_KEY_ID: ' AKIAEXAMPLE ', AWS_SECRET_ACCESS_KEY: 'SECRET', AWS_PROFILE: 'dev', AWS_CONFIG_FILE: config },
    'env-access-key=AKIAEXAMPLE',
  ],
  [
    'an access key ID without a secret is not a source: the profile is',
    { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_CONFIG_FILE: config },
    `profile=default config=${config} credential_process=/usr/bin/get-creds --quiet`,
  ],
  [
    'AWS_DEFAULT_PROFILE is read before AWS_PROFILE',
    { AWS_DEFAULT_PROFILE: 'other', AWS_PROFILE: 'dev', AWS_CONFIG_FILE: config },
    `profile=other config=${config} role_arn=arn:aws:iam::123456789012:role/other`,
  ],
  [
    'the profile’s identity settings, sorted, lower-cased keys, never a secret or the region',
    { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: config },
    `profile=dev config=${config} external_id=ext-1 role_arn=arn:aws:iam::123456789012:role/dev source_profile=base sso_session=corp`,
  ],
  [
    'the config file defaults to $HOME/.aws/config',
    { AWS_PROFILE: 'dev', HOME: '/nonexistent-home' },
    'profile=dev config=/nonexistent-home/.aws/config',
  ],
  [
    'a profile the file does not define adds nothing',
    { AWS_PROFILE: 'absent', AWS_CONFIG_FILE: config },
    `profile=absent config=${config}`,
  ],
  [
    'an unparsable file adds nothing (the chain reports it)',
    { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: broken },
    `profile=dev config=${broken}`,
  ],
  [
    'a FIFO named as the config file is not read (it would block every pull)',
    { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: fifo },
    `profile=dev config=${fifo}`,
  ],
  [
    'the four identity variables, in order, after the profile',
    {
      AWS_PROFILE: 'other',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/creds',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/1',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/irsa',
    },
    'profile=other config=/nonexistent/config AWS_ROLE_ARN=arn:aws:iam::123456789012:role/irsa AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/credentials/1 AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9/creds',
  ],
  [
    'the identity variables follow environment keys too',
    { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'SECRET', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' },
    'env-access-key=AKIAEXAMPLE AWS_ROLE_ARN=arn:aws:iam::1:role/r',
  ],
];

for (const [name, env, expected] of cases) {
  test(`profileIdentity: ${name}`, () => {
    const { description } = profileIdentity(env);
    assert.is(description, expected);
    assert.not.ok(description.includes('SECRET'), 'no secret in the identity');
  });
}

test.after(() => rm(dir, { recursive: true, force: true }));
test.run();
