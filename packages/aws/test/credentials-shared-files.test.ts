import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { resolveCredentials } from '../src/credentials/chain.ts';
import {
  getProfile,
  loadProfile,
  loadSharedConfig,
  parseAwsIni,
  resolveProfileSettings,
  selectProfile,
  sharedFilePaths,
} from '../src/credentials/shared-files.ts';
import { tempHome } from './credentials-fixtures.ts';

const parseCases: [string, string, Record<string, unknown>][] = [
  ['a plain section', '[default]\nregion = us-east-1\n', { default: { region: 'us-east-1' } }],
  ['dots in a profile name are not nesting', '[profile team.dev]\nregion = eu-west-1\n', { 'profile team.dev': { region: 'eu-west-1' } }],
  [
    '; and # inside a value are literal (no inline comments)',
    '[p]\ncredential_process = sh -c "a; b" # not a comment\n',
    { p: { credential_process: 'sh -c "a; b" # not a comment' } },
  ],
  ['quotes are kept', '[p]\nrole_session_name = "quoted"\n', { p: { role_session_name: '"quoted"' } }],
  ['true/false/null stay text', '[p]\nuse_fips_endpoint = true\nx = null\n', { p: { use_fips_endpoint: 'true', x: 'null' } }],
  ['full-line comments and blank lines are ignored', '# c\n; c\n\n[p]\n  # indented comment\nk = v\n', { p: { k: 'v' } }],
  ['CRLF line endings', '[p]\r\nk = v\r\n', { p: { k: 'v' } }],
  ['an = in the value is kept', '[p]\nendpoint_url = http://127.0.0.1:1/?a=b\n', { p: { endpoint_url: 'http://127.0.0.1:1/?a=b' } }],
  ['keys are case-insensitive (lower-cased)', '[p]\nAWS_Access_Key_ID = AKID\n', { p: { aws_access_key_id: 'AKID' } }],
  [
    'indented lines under an empty key are its sub-keys',
    '[services s]\necr =\n  endpoint_url = http://127.0.0.1:9000\nsts =\n  endpoint_url = http://127.0.0.1:9001\nother = x\n',
    { 'services s': { ecr: { endpoint_url: 'http://127.0.0.1:9000' }, sts: { endpoint_url: 'http://127.0.0.1:9001' }, other: 'x' } },
  ],
  ['a later section with the same name merges', '[p]\na = 1\n[p]\nb = 2\n', { p: { a: '1', b: '2' } }],
  // Python's universal newlines, which the AWS CLI reads with: checked against aws-cli 2.9.19, which accepts both.
  ['CR-only line endings (old Mac files)', '[p]\rk = v\rother = w\r', { p: { k: 'v', other: 'w' } }],
  [
    '":" separates a key as "=" does (configparser)',
    '[p]\nregion: eu-west-3\nendpoint_url = http://127.0.0.1:1\n',
    { p: { region: 'eu-west-3', endpoint_url: 'http://127.0.0.1:1' } },
  ],
  ['an indented line without "=" continues a value and is not an error', '[p]\nk = v\n  more text\n', { p: { k: 'v' } }],
];

// What the AWS CLI refuses ("Unable to parse config file: <path>", aws-cli 2.9.19), named here by file, line and problem.
const unparsableCases: [string, string, number, RegExp][] = [
  ['a UTF-8 byte order mark', '\uFEFF[default]\nregion = us-east-1\n', 1, /byte order mark \(BOM\).*save it as UTF-8 without a BOM/],
  [
    'a key before any section',
    'aws_access_key_id = AKIDBEFORE\n[default]\nregion = us-east-1\n',
    1,
    /the key "aws_access_key_id" comes before any \[section\] header/,
  ],
  [
    'an unclosed [default',
    '[default\naws_access_key_id = AKID\n',
    1,
    /the section header "\[default" has no closing "\]"; write it as \[default\]/,
  ],
  [
    'an unclosed section later in the file',
    '[default]\nregion = us-east-1\n\n[profile dev\nregion = eu-west-1\n',
    4,
    /"\[profile dev" has no closing "\]"/,
  ],
  ['a line without "="', '[default]\nregion = us-east-1\naws_secret_access_key wJalrSECRETVALUE\n', 3, /the line has no "="/],
  ['an empty section name', '[]\nregion = us-east-1\n', 1, /"\[\]" has no name/],
  ['CR-only endings with an unclosed section on the third line', '[default]\rregion = x\r[dev\r', 3, /"\[dev" has no closing/],
];
for (const [name, text, line, problem] of unparsableCases) {
  test(`a shared file with ${name} is SHARED_FILE_INVALID naming the file and line ${line}`, async () => {
    const home = await tempHome();
    try {
      for (const which of ['config', 'credentials'] as const) {
        const path = await home.write(which, text);
        const other = which === 'config' ? 'credentials' : 'config';
        await home.write(other, '');
        const error = await loadSharedConfig({ env: home.env }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        assert.instance(error, EcrError, which);
        assert.is((error as EcrError).code, 'SHARED_FILE_INVALID');
        assert.ok((error as EcrError).message.startsWith(`Unable to parse ${path}, line ${line}: `), (error as EcrError).message);
        assert.match((error as EcrError).message, problem);
        assert.not.match((error as EcrError).message, /wJalrSECRETVALUE|AKIDBEFORE/, 'values are not quoted');
      }
      // The chain stops with that error rather than "no credentials found".
      const resolved = await resolveCredentials({ env: home.env }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.is((resolved as EcrError).code, 'SHARED_FILE_INVALID');
    } finally {
      await home.cleanup();
    }
  });
}

for (const [name, text, expected] of parseCases) {
  test(`parseAwsIni: ${name}`, () => {
    assert.equal(JSON.parse(JSON.stringify(parseAwsIni(text))), expected);
  });
}

test('file paths come from the variables, else ~/.aws, with ~ expanded', () => {
  assert.equal(sharedFilePaths({}, '/home/me'), { configFile: '/home/me/.aws/config', credentialsFile: '/home/me/.aws/credentials' });
  assert.equal(sharedFilePaths({ AWS_CONFIG_FILE: '~/c', AWS_SHARED_CREDENTIALS_FILE: '/abs/k' }, '/home/me'), {
    configFile: '/home/me/c',
    credentialsFile: '/abs/k',
  });
});

test('the default paths under HOME are read when no variable is set', async () => {
  const home = await tempHome();
  try {
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(home.dir, '.aws'));
    await writeFile(join(home.dir, '.aws', 'config'), '[profile dev]\nregion = eu-west-1\n');
    const config = await loadSharedConfig({ env: { HOME: home.dir } });
    assert.is(config.configFile.path, join(home.dir, '.aws', 'config'));
    assert.is(getProfile(config, 'dev')?.values['region'], 'eu-west-1');
    assert.is(config.credentialsFile.exists, false);
  } finally {
    await home.cleanup();
  }
});

test('[profile x] in config, [x] in credentials; a bare section in config is not a profile; the credentials file wins', async () => {
  const home = await tempHome();
  try {
    await home.write(
      'config',
      '[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\noutput = json\n[bare]\nregion = ap-south-1\n',
    );
    await home.write('credentials', '[dev]\nregion = eu-central-1\naws_access_key_id = AKIDDEV\n[profile literal]\nk = v\n');
    const config = await loadSharedConfig({ env: home.env });
    const dev = getProfile(config, 'dev');
    assert.is(dev?.values['region'], 'eu-central-1', 'credentials file wins per key');
    assert.is(dev?.values['output'], 'json', 'config-only keys remain');
    assert.is(dev?.configFile?.['region'], 'eu-west-1');
    assert.is(dev?.credentialsFile?.['region'], 'eu-central-1');
    assert.is(getProfile(config, 'bare'), undefined, 'a bare [bare] in the config file is not a profile');
    assert.ok(getProfile(config, 'profile literal'), 'the credentials file takes section names literally');
    assert.is(getProfile(config, 'literal'), undefined);
    assert.is(getProfile(config, 'default')?.values['region'], 'us-east-1');
  } finally {
    await home.cleanup();
  }
});

test('[profile default] wins over [default] in the config file', async () => {
  const home = await tempHome();
  try {
    await home.write('config', '[profile default]\nregion = eu-west-3\n[default]\nregion = us-east-1\noutput = text\n');
    const config = await loadSharedConfig({ env: home.env });
    assert.equal(JSON.parse(JSON.stringify(getProfile(config, 'default')?.values)), { region: 'eu-west-3', output: 'text' });
  } finally {
    await home.cleanup();
  }
});

test('missing files read as empty', async () => {
  const home = await tempHome();
  try {
    const config = await loadSharedConfig({ env: home.env });
    assert.is(config.configFile.exists, false);
    assert.equal(Object.keys(config.configFile.profiles), []);
  } finally {
    await home.cleanup();
  }
});

test('profile selection: option, then AWS_DEFAULT_PROFILE, then AWS_PROFILE, then default', () => {
  assert.equal(selectProfile({ AWS_PROFILE: 'a', AWS_DEFAULT_PROFILE: 'b' }, 'c'), { name: 'c', explicit: true, from: 'option' });
  assert.equal(selectProfile({ AWS_PROFILE: 'a', AWS_DEFAULT_PROFILE: 'b' }), { name: 'b', explicit: false, from: 'AWS_DEFAULT_PROFILE' });
  assert.equal(selectProfile({ AWS_PROFILE: 'a' }), { name: 'a', explicit: false, from: 'AWS_PROFILE' });
  assert.equal(selectProfile({ AWS_PROFILE: '' }), { name: 'default', explicit: false, from: 'default' });
});

test('resolveProfileSettings reads region, FIPS, dual-stack, endpoint URLs and the [services] entry', async () => {
  const home = await tempHome();
  try {
    await home.write(
      'config',
      [
        '[profile dev]',
        'region = eu-west-1',
        'use_fips_endpoint = TRUE',
        'use_dualstack_endpoint = false',
        'ignore_configured_endpoint_urls = false',
        'endpoint_url = http://127.0.0.1:7000',
        'services = local',
        '[services local]',
        'ecr =',
        '  endpoint_url = http://127.0.0.1:7001',
        'ecr_public =',
        '  endpoint_url = http://127.0.0.1:7002',
        '[profile broken]',
        'use_fips_endpoint = yes',
        '[profile dangling]',
        'services = nowhere',
      ].join('\n'),
    );
    const config = await loadSharedConfig({ env: home.env });
    assert.equal(resolveProfileSettings(config, 'dev', 'ecr'), {
      name: 'dev',
      region: 'eu-west-1',
      useFipsEndpoint: true,
      useDualstackEndpoint: false,
      ignoreConfiguredEndpointUrls: false,
      endpointUrl: 'http://127.0.0.1:7000',
      serviceEndpointUrl: 'http://127.0.0.1:7001',
    });
    assert.is(resolveProfileSettings(config, 'dev', 'ecr-public').serviceEndpointUrl, 'http://127.0.0.1:7002');
    assert.is(resolveProfileSettings(config, 'dev', 'sts').serviceEndpointUrl, undefined);
    assert.equal(resolveProfileSettings(config, 'absent'), { name: 'absent' });
    assert.throws(
      () => resolveProfileSettings(config, 'broken'),
      (error: unknown) => error instanceof EcrError && error.code === 'PROFILE_INVALID' && /use_fips_endpoint/.test(error.message),
    );
    assert.throws(
      () => resolveProfileSettings(config, 'dangling', 'ecr'),
      (error: unknown) => error instanceof EcrError && /\[services nowhere\]/.test(error.message),
    );
  } finally {
    await home.cleanup();
  }
});

test('loadProfile follows AWS_PROFILE and refuses a named profile that does not exist', async () => {
  const home = await tempHome();
  try {
    await home.write('config', '[profile dev]\nregion = eu-west-1\n');
    assert.is((await loadProfile({ env: { ...home.env, AWS_PROFILE: 'dev' } })).region, 'eu-west-1');
    assert.equal(await loadProfile({ env: home.env }), { name: 'default' });
    try {
      await loadProfile({ env: home.env, profile: 'nope' });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, EcrError);
      assert.is((error as EcrError).code, 'PROFILE_NOT_FOUND');
      assert.match((error as EcrError).message, '[profile nope]');
    }
  } finally {
    await home.cleanup();
  }
});

test.run();
