import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { resolveCredentials } from '../src/credentials/chain.ts';
import { stsEndpoint } from '../src/credentials/sts.ts';
import { inOneHour, sendJson, startServer, startSts, tempHome, type IssuedRole } from './credentials-fixtures.ts';
import { startProxy } from './forward-proxy.ts';

const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const ROLE2 = 'arn:aws:iam::123456789012:role/admin';

function issued(name: string): IssuedRole {
  return {
    accessKeyId: `ASIA${name.toUpperCase()}`,
    secretAccessKey: `SECRET-${name}`,
    sessionToken: `TOKEN-${name}`,
    expiration: inOneHour(),
  };
}

async function setup(config: string, credentials = '') {
  const home = await tempHome();
  const sts = await startSts({
    keys: { AKIDBASE: 'SECRET-base', AKIDENV: 'SECRET-env', ASIADEPLOY: 'SECRET-deploy' },
    roles: { [ROLE]: issued('deploy'), [ROLE2]: issued('admin') },
  });
  await home.write('config', config);
  if (credentials !== '') await home.write('credentials', credentials);
  const env = { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'eu-west-1' };
  return {
    home,
    sts,
    env,
    async close() {
      await sts.close();
      await home.cleanup();
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<EcrError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, EcrError);
    return error as EcrError;
  }
  throw new Error('expected an EcrError');
}

test('role_arn + source_profile: AssumeRole signed by the source keys, form-encoded, answered in XML', async () => {
  const t = await setup(
    `[profile deploy]\nrole_arn = ${ROLE}\nsource_profile = base\nrole_session_name = ci-run\nexternal_id = ext-1\nduration_seconds = 1800\n`,
    '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRET-base\n',
  );
  try {
    const resolved = await resolveCredentials({ env: t.env, profile: 'deploy', trace: true });
    assert.is(resolved.source, 'assume-role');
    assert.is(resolved.credentials.accessKeyId, 'ASIADEPLOY');
    assert.is(resolved.credentials.secretAccessKey, 'SECRET-deploy');
    assert.is(resolved.credentials.sessionToken, 'TOKEN-deploy');
    assert.ok(resolved.credentials.expiration instanceof Date);
    assert.is(t.sts.verified.length, 1);
    const call = t.sts.verified[0]!;
    assert.is(call.action, 'AssumeRole');
    assert.is(call.accessKeyId, 'AKIDBASE', 'the STS stand-in verified a SigV4 signature by the source profile key');
    assert.is(call.params.get('RoleArn'), ROLE);
    assert.is(call.params.get('RoleSessionName'), 'ci-run');
    assert.is(call.params.get('ExternalId'), 'ext-1');
    assert.is(call.params.get('DurationSeconds'), '1800');
    const request = t.sts.requests[0]!;
    assert.is(request.method, 'POST');
    assert.is(request.headers['content-type'], 'application/x-www-form-urlencoded; charset=utf-8');
    assert.match(
      String(request.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIDBASE\/\d{8}\/eu-west-1\/sts\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    assert.match(resolved.trace?.at(-1)?.reason ?? '', /role_arn and source_profile/);
  } finally {
    await t.close();
  }
});

test('a role chain: deploy -> admin, each hop signed by the previous credentials', async () => {
  const t = await setup(
    `[profile admin]\nrole_arn = ${ROLE2}\nsource_profile = deploy\n[profile deploy]\nrole_arn = ${ROLE}\nsource_profile = base\n`,
    '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRET-base\n',
  );
  try {
    const resolved = await resolveCredentials({ env: t.env, profile: 'admin' });
    assert.is(resolved.credentials.accessKeyId, 'ASIAADMIN');
    assert.equal(
      t.sts.verified.map((call) => [call.params.get('RoleArn'), call.accessKeyId]),
      [
        [ROLE, 'AKIDBASE'],
        [ROLE2, 'ASIADEPLOY'],
      ],
    );
    assert.is(t.sts.requests[1]!.headers['x-amz-security-token'], 'TOKEN-deploy', 'the session token of the first hop is sent');
  } finally {
    await t.close();
  }
});

test('a profile naming itself as source_profile uses its own static keys', async () => {
  const t = await setup(
    `[profile self]\nrole_arn = ${ROLE}\nsource_profile = self\n`,
    '[self]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRET-base\n',
  );
  try {
    const resolved = await resolveCredentials({ env: t.env, profile: 'self' });
    assert.is(resolved.credentials.accessKeyId, 'ASIADEPLOY');
    assert.is(t.sts.verified[0]?.accessKeyId, 'AKIDBASE');
  } finally {
    await t.close();
  }
});

test('credential_source = Environment signs with the environment keys', async () => {
  const t = await setup(`[profile deploy]\nrole_arn = ${ROLE}\ncredential_source = Environment\n`);
  try {
    const resolved = await resolveCredentials({
      env: { ...t.env, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'SECRET-env' },
      profile: 'deploy',
    });
    assert.is(resolved.credentials.accessKeyId, 'ASIADEPLOY');
    assert.is(t.sts.verified[0]?.accessKeyId, 'AKIDENV');
  } finally {
    await t.close();
  }
});

test('credential_source = EcsContainer and Ec2InstanceMetadata sign with what those endpoints return', async () => {
  const t = await setup(
    `[profile ecs]\nrole_arn = ${ROLE}\ncredential_source = EcsContainer\n[profile ec2]\nrole_arn = ${ROLE}\ncredential_source = Ec2InstanceMetadata\n`,
  );
  const metadata = await startServer((request, response) => {
    if (request.method === 'PUT') return void response.end('imds-token');
    if (request.url.endsWith('/security-credentials/')) return void response.end('ec2-role');
    if (request.url.includes('/security-credentials/'))
      return sendJson(response, 200, { Code: 'Success', AccessKeyId: 'AKIDBASE', SecretAccessKey: 'SECRET-base', Expiration: inOneHour() });
    sendJson(response, 200, { AccessKeyId: 'AKIDENV', SecretAccessKey: 'SECRET-env', Expiration: inOneHour() });
  });
  try {
    const ecs = await resolveCredentials({ env: { ...t.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${metadata.url}/task` }, profile: 'ecs' });
    assert.is(ecs.credentials.accessKeyId, 'ASIADEPLOY');
    assert.is(t.sts.verified[0]?.accessKeyId, 'AKIDENV');
    const env: Record<string, string | undefined> = { ...t.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: metadata.url };
    delete env['AWS_EC2_METADATA_DISABLED'];
    const ec2 = await resolveCredentials({ env, profile: 'ec2' });
    assert.is(ec2.credentials.accessKeyId, 'ASIADEPLOY');
    assert.is(t.sts.verified[1]?.accessKeyId, 'AKIDBASE');
    assert.match(ec2.credentials.source, /via imds \(role ec2-role\)/);
  } finally {
    await metadata.close();
    await t.close();
  }
});

test('STS goes through HTTP(S)_PROXY like any AWS call, the container endpoint never; NO_PROXY and proxy: false bypass it', async () => {
  const t = await setup(`[profile ecs]\nrole_arn = ${ROLE}\ncredential_source = EcsContainer\n`);
  const metadata = await startServer((_request, response) =>
    sendJson(response, 200, { AccessKeyId: 'AKIDENV', SecretAccessKey: 'SECRET-env', Expiration: inOneHour() }),
  );
  const proxy = await startProxy();
  const stsHost = new URL(t.sts.url).host;
  const env = { ...t.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${metadata.url}/task`, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
  try {
    const viaProxy = await resolveCredentials({ env, profile: 'ecs' });
    assert.is(viaProxy.credentials.accessKeyId, 'ASIADEPLOY');
    assert.is(t.sts.verified.length, 1, 'the STS stand-in verified the AssumeRole that came through the proxy');
    assert.ok(
      proxy.seen.some((line) => line.endsWith(stsHost)),
      proxy.seen.join('; '),
    );
    assert.not.ok(
      proxy.seen.some((line) => line.endsWith(new URL(metadata.url).host)),
      'the container endpoint must not go through a proxy',
    );
    const before = proxy.seen.length;
    await resolveCredentials({ env: { ...env, NO_PROXY: '127.0.0.1' }, profile: 'ecs' });
    await resolveCredentials({ env, profile: 'ecs', proxy: false });
    assert.is(t.sts.verified.length, 3);
    assert.is(proxy.seen.length, before, 'NO_PROXY and proxy: false must bypass the proxy');
  } finally {
    await proxy.close();
    await metadata.close();
    await t.close();
  }
});

const configErrors: [string, string, string, RegExp][] = [
  [
    'both sources',
    `[profile x]\nrole_arn = ${ROLE}\nsource_profile = base\ncredential_source = Environment\n`,
    'PROFILE_INVALID',
    /both source_profile and credential_source/,
  ],
  ['neither source', `[profile x]\nrole_arn = ${ROLE}\n`, 'PROFILE_INVALID', /neither source_profile nor credential_source/],
  [
    'a loop',
    `[profile x]\nrole_arn = ${ROLE}\nsource_profile = y\n[profile y]\nrole_arn = ${ROLE}\nsource_profile = x\n`,
    'PROFILE_INVALID',
    /loop: x -> y -> x/,
  ],
  ['a missing source profile', `[profile x]\nrole_arn = ${ROLE}\nsource_profile = ghost\n`, 'PROFILE_NOT_FOUND', /"ghost"/],
  [
    'a source profile without credentials',
    `[profile x]\nrole_arn = ${ROLE}\nsource_profile = empty\n[profile empty]\nregion = us-east-1\n`,
    'ASSUME_ROLE_FAILED',
    /has no credentials/,
  ],
  [
    'an unknown credential_source',
    `[profile x]\nrole_arn = ${ROLE}\ncredential_source = Magic\n`,
    'PROFILE_INVALID',
    /Environment, Ec2InstanceMetadata, EcsContainer/,
  ],
  [
    'credential_source Environment without keys',
    `[profile x]\nrole_arn = ${ROLE}\ncredential_source = Environment\n`,
    'ASSUME_ROLE_FAILED',
    /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/,
  ],
  [
    'mfa_serial',
    `[profile x]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n`,
    'PROFILE_INVALID',
    /cannot prompt for an MFA code/,
  ],
  [
    'a role STS refuses',
    `[profile x]\nrole_arn = arn:aws:iam::1:role/other\nsource_profile = base\n`,
    'ASSUME_ROLE_FAILED',
    /AccessDenied: User is not authorized .* \(request id req-123\)/,
  ],
];
for (const [name, config, code, message] of configErrors) {
  test(`error: ${name}`, async () => {
    const t = await setup(config, '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRET-base\n');
    try {
      const error = await failure(resolveCredentials({ env: t.env, profile: 'x' }));
      assert.is(error.code, code);
      assert.match(error.message, message);
      assert.not.match(error.message, 'SECRET-');
    } finally {
      await t.close();
    }
  });
}

test('a source key STS does not know is reported with STS code', async () => {
  const t = await setup(
    `[profile x]\nrole_arn = ${ROLE}\nsource_profile = base\n`,
    '[base]\naws_access_key_id = AKIDUNKNOWN\naws_secret_access_key = SECRET-unknown\n',
  );
  try {
    const error = await failure(resolveCredentials({ env: t.env, profile: 'x' }));
    assert.is(error.code, 'ASSUME_ROLE_FAILED');
    assert.match(error.message, /SignatureDoesNotMatch: UNKNOWN_ACCESS_KEY/);
  } finally {
    await t.close();
  }
});

const endpointCases: [string, Record<string, string>, Record<string, unknown>, { url: string; region: string; source: string }][] = [
  [
    'AWS_ENDPOINT_URL_STS wins',
    { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' },
    { endpointUrl: 'http://127.0.0.1:3' },
    { url: 'http://127.0.0.1:1', region: 'us-east-1', source: 'AWS_ENDPOINT_URL_STS' },
  ],
  [
    'then AWS_ENDPOINT_URL',
    { AWS_ENDPOINT_URL: 'http://127.0.0.1:2' },
    { serviceEndpointUrl: 'http://127.0.0.1:4' },
    { url: 'http://127.0.0.1:2', region: 'us-east-1', source: 'AWS_ENDPOINT_URL' },
  ],
  [
    'then the [services] sts entry',
    {},
    { serviceEndpointUrl: 'http://127.0.0.1:4', endpointUrl: 'http://127.0.0.1:3', region: 'eu-west-1' },
    { url: 'http://127.0.0.1:4', region: 'eu-west-1', source: 'profile services sts endpoint_url' },
  ],
  [
    'then the profile endpoint_url',
    {},
    { endpointUrl: 'http://127.0.0.1:3' },
    { url: 'http://127.0.0.1:3', region: 'us-east-1', source: 'profile endpoint_url' },
  ],
  [
    'ignore_configured_endpoint_urls in the environment',
    { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1', AWS_REGION: 'eu-west-1' },
    {},
    { url: 'https://sts.eu-west-1.amazonaws.com', region: 'eu-west-1', source: 'regional STS endpoint for eu-west-1' },
  ],
  [
    'ignore_configured_endpoint_urls in the profile',
    { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' },
    { ignoreConfiguredEndpointUrls: true },
    { url: 'https://sts.amazonaws.com', region: 'us-east-1', source: 'global STS endpoint (no region configured)' },
  ],
  [
    'China partition suffix',
    { AWS_DEFAULT_REGION: 'cn-north-1' },
    {},
    { url: 'https://sts.cn-north-1.amazonaws.com.cn', region: 'cn-north-1', source: 'regional STS endpoint for cn-north-1' },
  ],
  [
    'AWS_REGION beats the profile region',
    { AWS_REGION: 'us-west-2' },
    { region: 'eu-west-1' },
    { url: 'https://sts.us-west-2.amazonaws.com', region: 'us-west-2', source: 'regional STS endpoint for us-west-2' },
  ],
];
for (const [name, env, profile, expected] of endpointCases) {
  test(`STS endpoint: ${name}`, () => {
    assert.equal(stsEndpoint({ env }, profile), expected);
  });
}

test('STS endpoint: a non-http override is an error', () => {
  assert.throws(
    () => stsEndpoint({ env: { AWS_ENDPOINT_URL_STS: 'ftp://x' } }, {}),
    (error: unknown) => error instanceof EcrError && error.code === 'INVALID_ENDPOINT',
  );
});

test.run();
