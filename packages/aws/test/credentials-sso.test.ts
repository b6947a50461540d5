// IAM Identity Center (SSO) profiles: the token `aws sso login` cached under ~/.aws/sso/cache, exchanged
// at a GetRoleCredentials stand-in on 127.0.0.1 that checks what the real portal checks (path, query,
// bearer header). Token file names are computed here with node:crypto's SHA-1, as botocore names them.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveCredentials } from '../src/credentials/chain.ts';
import { AwsError as EcrError } from '../src/errors.ts';
import { sendJson, startServer, tempHome, type SeenRequest, type TempHome, type TestServer } from './credentials-fixtures.ts';

const ACCESS_TOKEN = 'sso-access-token-do-not-print-0123456789';
const EXPIRES_MS = Date.UTC(2031, 0, 1, 12, 0, 0);
const SESSION_CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Developer
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
sso_registration_scopes = sso:account:access
`;

async function writeToken(home: TempHome, cacheKey: string, token: Record<string, unknown>): Promise<void> {
  const dir = join(home.dir, '.aws', 'sso', 'cache');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${createHash('sha1').update(cacheKey).digest('hex')}.json`), JSON.stringify(token));
}

function portal(answer: (request: SeenRequest) => [number, unknown, Record<string, string>?]) {
  return startServer((request, response) => {
    const [status, body, headers] = answer(request);
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    sendJson(response, status, body);
  });
}

/** A temporary HOME with `config` written, a portal stand-in, and the environment pointing at both; cleaned up after `run`. */
async function withPortal(
  config: string,
  answer: (request: SeenRequest) => [number, unknown, Record<string, string>?],
  run: (home: TempHome, server: TestServer, env: Record<string, string | undefined>) => Promise<void>,
): Promise<void> {
  const home = await tempHome();
  const server = await portal(answer);
  try {
    await home.write('config', config);
    await run(home, server, { ...home.env, AWS_ENDPOINT_URL_SSO: server.url });
  } finally {
    await server.close();
    await home.cleanup();
  }
}

const granted = (): [number, unknown] => [
  200,
  { roleCredentials: { accessKeyId: 'ASIASSODEV', secretAccessKey: 'SECRET-sso', sessionToken: 'TOKEN-sso', expiration: EXPIRES_MS } },
];

async function failure(promise: Promise<unknown>): Promise<EcrError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.instance(error, EcrError);
  assert.not.match((error as EcrError).message, ACCESS_TOKEN, 'the access token is a secret');
  return error as EcrError;
}

test('sso_session profile: the cached token for the session name buys the role at GetRoleCredentials', () =>
  withPortal(SESSION_CONFIG, granted, async (home, server, env) => {
    await writeToken(home, 'corp', {
      startUrl: 'https://corp.awsapps.com/start',
      region: 'eu-central-1',
      accessToken: ACCESS_TOKEN,
      expiresAt: '2031-01-01T00:00:00Z',
    });
    const resolved = await resolveCredentials({ env, profile: 'dev', trace: true });
    assert.is(resolved.source, 'sso');
    assert.is(resolved.credentials.accessKeyId, 'ASIASSODEV');
    assert.is(resolved.credentials.secretAccessKey, 'SECRET-sso');
    assert.is(resolved.credentials.sessionToken, 'TOKEN-sso');
    assert.is(resolved.credentials.expiration?.getTime(), EXPIRES_MS, 'expiration is epoch milliseconds');
    const [request] = server.requests;
    assert.is(request?.method, 'GET');
    const url = new URL(request!.url, server.url);
    assert.is(url.pathname, '/federation/credentials');
    assert.is(url.searchParams.get('account_id'), '123456789012');
    assert.is(url.searchParams.get('role_name'), 'Developer');
    assert.is(request!.headers['x-amz-sso_bearer_token'], ACCESS_TOKEN);
    assert.ok(
      resolved.trace?.some((entry) => entry.source === 'sso' && entry.outcome === 'used' && entry.reason.includes('sso_session corp')),
    );
    assert.not.match(JSON.stringify(resolved.trace), ACCESS_TOKEN);
  }));

test('legacy profile (sso_start_url and sso_region in the profile): the token file is named by the start URL', () =>
  withPortal(
    '[default]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 210987654321\nsso_role_name = ReadOnly\n',
    granted,
    async (home, server, env) => {
      // The AWS CLI v1 wrote expiresAt with a UTC suffix instead of Z.
      await writeToken(home, 'https://legacy.awsapps.com/start', { accessToken: ACCESS_TOKEN, expiresAt: '2031-01-01T00:00:00UTC' });
      const resolved = await resolveCredentials({ env });
      assert.is(resolved.credentials.accessKeyId, 'ASIASSODEV');
      assert.is(new URL(server.requests[0]!.url, server.url).searchParams.get('role_name'), 'ReadOnly');
    },
  ));

test('environment keys win over an SSO AWS_PROFILE, as in the AWS CLI; a named profile wins over them', () =>
  withPortal(SESSION_CONFIG, granted, async (home, _server, portalEnv) => {
    await writeToken(home, 'corp', { accessToken: ACCESS_TOKEN, expiresAt: '2031-01-01T00:00:00Z' });
    const env = { ...portalEnv, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'SECRET-env' };
    assert.is((await resolveCredentials({ env: { ...env, AWS_PROFILE: 'dev' } })).source, 'environment');
    assert.is((await resolveCredentials({ env, profile: 'dev' })).source, 'sso');
  }));

const tokenProblems: [string, ((home: TempHome) => Promise<void>) | undefined, RegExp][] = [
  ['no cached sign-in', undefined, /no IAM Identity Center sign-in is cached .*run: aws sso login --profile dev/],
  [
    'an expired sign-in',
    (home) => writeToken(home, 'corp', { accessToken: ACCESS_TOKEN, expiresAt: '2020-01-01T00:00:00Z' }),
    /expired at 2020-01-01T00:00:00.000Z; run: aws sso login --profile dev/,
  ],
  [
    'a token file that is not JSON',
    async (home) =>
      writeToken(home, 'corp', {}).then(() =>
        writeFile(
          join(home.dir, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`),
          `{"accessToken":"${ACCESS_TOKEN}"`,
        ),
      ),
    /is not JSON \(\d+ bytes\)/,
  ],
  [
    'a token file without accessToken',
    (home) => writeToken(home, 'corp', { expiresAt: '2031-01-01T00:00:00Z' }),
    /has no accessToken and expiresAt/,
  ],
];
for (const [name, prepare, message] of tokenProblems) {
  test(`SSO_FAILED for ${name}, naming the command that fixes it, without calling the portal`, () =>
    withPortal(SESSION_CONFIG, granted, async (home, server, env) => {
      await prepare?.(home);
      const error = await failure(resolveCredentials({ env, profile: 'dev' }));
      assert.is(error.code, 'SSO_FAILED');
      assert.match(error.message, message);
      assert.is(server.requests.length, 0);
    }));
}

test('the portal refusing the token (401) or the role (403) is SSO_FAILED with its error type and message', () => {
  const answers: [number, unknown, Record<string, string>][] = [
    [
      401,
      { message: 'Session token not found or invalid' },
      { 'x-amzn-errortype': 'UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/' },
    ],
    [403, { message: 'No access' }, { 'x-amzn-errortype': 'ForbiddenException' }],
  ];
  return withPortal(
    SESSION_CONFIG,
    () => answers.shift()!,
    async (home, _server, env) => {
      await writeToken(home, 'corp', { accessToken: ACCESS_TOKEN, expiresAt: '2031-01-01T00:00:00Z' });
      const unauthorized = await failure(resolveCredentials({ env, profile: 'dev' }));
      assert.is(unauthorized.code, 'SSO_FAILED');
      assert.match(
        unauthorized.message,
        'UnauthorizedException: Session token not found or invalid; the sign-in is no longer valid: run: aws sso login --profile dev',
      );
      const forbidden = await failure(resolveCredentials({ env, profile: 'dev' }));
      assert.match(
        forbidden.message,
        'GetRoleCredentials for role Developer in account 123456789012 failed: ForbiddenException: No access.',
      );
    },
  );
});

const configProblems: [string, string, RegExp][] = [
  [
    'a missing role name',
    '[profile dev]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n',
    /lacks sso_role_name in profile "dev"/,
  ],
  [
    'a session without a region',
    '[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n[sso-session corp]\nsso_start_url = https://x\n',
    /lacks sso_region in \[sso-session corp\]/,
  ],
  [
    'a session that does not exist',
    '[profile dev]\nsso_session = ghost\nsso_account_id = 1\nsso_role_name = R\n',
    /names sso_session "ghost", but .* has no \[sso-session ghost\] section/,
  ],
];
for (const [name, config, message] of configProblems) {
  test(`PROFILE_INVALID for ${name}`, () =>
    withPortal(config, granted, async (_home, server, env) => {
      const error = await failure(resolveCredentials({ env, profile: 'dev' }));
      assert.is(error.code, 'PROFILE_INVALID');
      assert.match(error.message, message);
      assert.is(server.requests.length, 0);
    }));
}

test.run();
