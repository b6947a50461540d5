import { readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { CHAIN_ORDER, formatCredentialTrace, resolveCredentials } from '../src/credentials/chain.ts';
import { inOneHour, sendJson, startServer, startSts, tempHome, type TempHome, type TestServer } from './credentials-fixtures.ts';

type Source = 'env' | 'assume-role' | 'web-identity' | 'credentials-file' | 'process' | 'config-file' | 'container' | 'imds';
const ALL: Source[] = ['env', 'assume-role', 'web-identity', 'credentials-file', 'process', 'config-file', 'container', 'imds'];
const ROLE = 'arn:aws:iam::123456789012:role/chain';
const WEB_ROLE = 'arn:aws:iam::123456789012:role/web';

let sts: TestServer;
let container: TestServer;
let imds: TestServer;

test.before(async () => {
  sts = await startSts({
    keys: { AKIDBASE: 'SECRET-base' },
    roles: {
      [ROLE]: { accessKeyId: 'ASIAROLE', secretAccessKey: 'SECRET-role', sessionToken: 'TOKEN-role', expiration: inOneHour() },
      [WEB_ROLE]: { accessKeyId: 'ASIAWEB', secretAccessKey: 'SECRET-web', sessionToken: 'TOKEN-web', expiration: inOneHour() },
    },
    webIdentityTokens: ['jwt'],
  });
  container = await startServer((_request, response) =>
    sendJson(response, 200, { AccessKeyId: 'ASIACONTAINER', SecretAccessKey: 'SECRET-c', Token: 'TOKEN-c', Expiration: inOneHour() }),
  );
  imds = await startServer((request, response) => {
    if (request.method === 'PUT') return void response.end('t');
    if (request.url.endsWith('/security-credentials/')) return void response.end('r');
    sendJson(response, 200, {
      Code: 'Success',
      AccessKeyId: 'ASIAIMDS',
      SecretAccessKey: 'SECRET-i',
      Token: 'TOKEN-i',
      Expiration: inOneHour(),
    });
  });
});

test.after(async () => {
  await Promise.all([sts.close(), container.close(), imds.close()]);
});

/** Writes the files and environment for a set of configured sources, all for profile `profile`. */
async function configure(home: TempHome, profile: string, sources: Source[]): Promise<Record<string, string | undefined>> {
  const has = (source: Source) => sources.includes(source);
  const header = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  const config = [header, 'region = eu-west-1'];
  const credentials = ['[base]', 'aws_access_key_id = AKIDBASE', 'aws_secret_access_key = SECRET-base', `[${profile}]`];
  if (has('assume-role')) config.push(`role_arn = ${ROLE}`, 'source_profile = base');
  if (has('credentials-file')) credentials.push('aws_access_key_id = AKIDCREDFILE', 'aws_secret_access_key = SECRET-credfile');
  if (has('process')) {
    const script = await home.write(
      'creds.mjs',
      `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROCESS', SecretAccessKey: 'SECRET-process' }))`,
    );
    config.push(`credential_process = "${process.execPath}" "${script}"`);
  }
  if (has('config-file')) config.push('aws_access_key_id = AKIDCONFIGFILE', 'aws_secret_access_key = SECRET-configfile');
  await home.write('config', config.join('\n') + '\n');
  await home.write('credentials', credentials.join('\n') + '\n');
  const env: Record<string, string | undefined> = { ...home.env, AWS_ENDPOINT_URL_STS: sts.url };
  if (has('env')) Object.assign(env, { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'SECRET-env' });
  if (has('web-identity')) Object.assign(env, { AWS_WEB_IDENTITY_TOKEN_FILE: await home.write('jwt', 'jwt'), AWS_ROLE_ARN: WEB_ROLE });
  if (has('container')) env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = `${container.url}/creds`;
  if (has('imds')) {
    delete env['AWS_EC2_METADATA_DISABLED'];
    env['AWS_EC2_METADATA_SERVICE_ENDPOINT'] = imds.url;
  }
  return env;
}

const EXPECTED_KEY: Record<string, string> = {
  environment: 'AKIDENV',
  'assume-role': 'ASIAROLE',
  'web-identity': 'ASIAWEB',
  'shared-credentials-file': 'AKIDCREDFILE',
  'credential-process': 'AKIDPROCESS',
  'shared-config-file': 'AKIDCONFIGFILE',
  container: 'ASIACONTAINER',
  imds: 'ASIAIMDS',
};

const without = (...removed: Source[]) => ALL.filter((source) => !removed.includes(source));

// [description, configured sources, how the profile is selected, expected source]
const precedence: [string, Source[], 'default' | 'AWS_PROFILE' | 'explicit', string][] = [
  ['everything configured, default profile', ALL, 'default', 'environment'],
  ['env keys win over AWS_PROFILE (the AWS CLI; the JS SDK differs)', ALL, 'AWS_PROFILE', 'environment'],
  ['an explicit profile disables env keys', ALL, 'explicit', 'assume-role'],
  ["assume role beats the same profile's static keys", without('env'), 'AWS_PROFILE', 'assume-role'],
  ['web identity comes next', without('env', 'assume-role'), 'AWS_PROFILE', 'web-identity'],
  ['then the credentials file', without('env', 'assume-role', 'web-identity'), 'AWS_PROFILE', 'shared-credentials-file'],
  ['then credential_process', ['process', 'config-file', 'container', 'imds'], 'AWS_PROFILE', 'credential-process'],
  ['then the config file keys', ['config-file', 'container', 'imds'], 'AWS_PROFILE', 'shared-config-file'],
  ['then the container endpoint', ['container', 'imds'], 'AWS_PROFILE', 'container'],
  ['and IMDS last', ['imds'], 'AWS_PROFILE', 'imds'],
  ['an explicit profile without credentials falls through to IMDS, not to env keys', ['env', 'imds'], 'explicit', 'imds'],
  ["the default profile's credentials file keys", ['credentials-file', 'container'], 'default', 'shared-credentials-file'],
  ['explicit profile with only container', ['container'], 'explicit', 'container'],
];

for (const [name, sources, selection, expected] of precedence) {
  test(`precedence: ${name} -> ${expected}`, async () => {
    const home = await tempHome();
    try {
      const profile = selection === 'default' ? 'default' : 'p';
      const env = await configure(home, profile, sources);
      if (selection === 'AWS_PROFILE') env['AWS_PROFILE'] = 'p';
      const resolved = await resolveCredentials({ env, trace: true, ...(selection === 'explicit' ? { profile: 'p' } : {}) });
      assert.is(resolved.source, expected);
      assert.is(resolved.credentials.accessKeyId, EXPECTED_KEY[expected]);
      const trace = resolved.trace ?? [];
      assert.equal(
        trace.map((entry) => entry.source),
        CHAIN_ORDER.slice(0, CHAIN_ORDER.indexOf(expected) + 1),
        'every earlier source is in the trace, in order',
      );
      assert.ok(trace.slice(0, -1).every((entry) => entry.outcome === 'skipped'));
      assert.is(trace.at(-1)?.outcome, 'used');
      if (selection === 'explicit') assert.match(trace[0]?.reason ?? '', /named explicitly, which disables environment keys/);
    } finally {
      await home.cleanup();
    }
  });
}

test('the trace is omitted unless asked for', async () => {
  const home = await tempHome();
  try {
    const resolved = await resolveCredentials({ env: { ...home.env, AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S' } });
    assert.is(resolved.trace, undefined);
    assert.equal(resolved.profile, { name: 'default', explicit: false, from: 'default' });
  } finally {
    await home.cleanup();
  }
});

test('nothing configured: CREDENTIALS_NOT_FOUND listing why each source was skipped', async () => {
  const home = await tempHome();
  try {
    const error = await resolveCredentials({ env: home.env }).catch((caught: unknown) => caught);
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'CREDENTIALS_NOT_FOUND');
    const message = (error as EcrError).message;
    for (const source of CHAIN_ORDER) assert.match(message, `  - ${source}: `);
    assert.match(message, 'environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
    assert.match(message, 'imds: AWS_EC2_METADATA_DISABLED is true');
  } finally {
    await home.cleanup();
  }
});

test('a named profile that does not exist: an error, unless env keys answer first (AWS_PROFILE only)', async () => {
  const home = await tempHome();
  try {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'SECRET-env' };
    assert.is((await resolveCredentials({ env: { ...home.env, ...keys, AWS_PROFILE: 'ghost' } })).source, 'environment');
    for (const options of [{ env: { ...home.env, AWS_PROFILE: 'ghost' } }, { env: { ...home.env, ...keys }, profile: 'ghost' }]) {
      const error = await resolveCredentials(options).catch((caught: unknown) => caught);
      assert.is((error as EcrError).code, 'PROFILE_NOT_FOUND');
      assert.match((error as EcrError).message, /"ghost"/);
    }
  } finally {
    await home.cleanup();
  }
});

test('a broken configured source stops the chain instead of falling through', async () => {
  const home = await tempHome();
  try {
    await home.write('config', `[default]\ncredential_process = ${home.dir}/missing\n`);
    const env = { ...home.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` };
    const error = await resolveCredentials({ env, trace: true }).catch((caught: unknown) => caught);
    assert.is((error as EcrError).code, 'CREDENTIAL_PROCESS_FAILED');
  } finally {
    await home.cleanup();
  }
});

test('the trace shown in docs/credentials.md is what the code prints', async () => {
  const home = await tempHome();
  try {
    const env = await configure(home, 'deploy', ['assume-role']);
    const resolved = await resolveCredentials({ env, profile: 'deploy', trace: true });
    const guide = await readFile(new URL('../../../docs/credentials.md', import.meta.url), 'utf8');
    const shown = guide
      .split('\n')
      .filter((line) => /^\/\/ (environment|assume-role): /.test(line))
      .map((line) => line.slice(3))
      .join('\n');
    assert.is(shown, formatCredentialTrace(resolved.trace ?? []));
  } finally {
    await home.cleanup();
  }
});

test('formatCredentialTrace prints one line per source', () => {
  assert.is(
    formatCredentialTrace([
      { source: 'environment', outcome: 'skipped', reason: 'not set' },
      { source: 'imds', outcome: 'used', reason: 'answered' },
    ]),
    'environment: skipped (not set)\nimds: used (answered)',
  );
});

test.run();
