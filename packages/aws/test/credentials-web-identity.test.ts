import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { resolveCredentials } from '../src/credentials/chain.ts';
import { inOneHour, startSts, tempHome } from './credentials-fixtures.ts';

const ROLE = 'arn:aws:iam::123456789012:role/irsa';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.TOKEN-web-identity.sig';

async function setup() {
  const home = await tempHome();
  const sts = await startSts({
    keys: {},
    roles: { [ROLE]: { accessKeyId: 'ASIAWEB', secretAccessKey: 'SECRET-web', sessionToken: 'TOKEN-web', expiration: inOneHour() } },
    webIdentityTokens: [JWT],
  });
  const tokenFile = await home.write('token', `${JWT}\n`);
  return {
    home,
    sts,
    tokenFile,
    env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url },
    close: async () => (await sts.close(), await home.cleanup()),
  };
}

test('AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN: an unsigned AssumeRoleWithWebIdentity carrying the token', async () => {
  const t = await setup();
  try {
    const resolved = await resolveCredentials({
      env: { ...t.env, AWS_WEB_IDENTITY_TOKEN_FILE: t.tokenFile, AWS_ROLE_ARN: ROLE, AWS_ROLE_SESSION_NAME: 'pod-1' },
      trace: true,
    });
    assert.is(resolved.source, 'web-identity');
    assert.is(resolved.credentials.accessKeyId, 'ASIAWEB');
    assert.is(resolved.credentials.sessionToken, 'TOKEN-web');
    const call = t.sts.verified[0]!;
    assert.is(call.action, 'AssumeRoleWithWebIdentity');
    assert.is(call.params.get('WebIdentityToken'), JWT, 'the token file is read and trimmed');
    assert.is(call.params.get('RoleSessionName'), 'pod-1');
    assert.is(t.sts.requests[0]!.headers.authorization, undefined);
    for (const entry of resolved.trace ?? [])
      assert.not.ok(entry.reason.includes('TOKEN-web-identity'), 'the web identity token is not traced');
  } finally {
    await t.close();
  }
});

test('the profile keys web_identity_token_file + role_arn work too, with a default session name', async () => {
  const t = await setup();
  try {
    await t.home.write('config', `[profile irsa]\nweb_identity_token_file = ${t.tokenFile}\nrole_arn = ${ROLE}\n`);
    const resolved = await resolveCredentials({ env: t.env, profile: 'irsa' });
    assert.is(resolved.source, 'web-identity');
    assert.match(t.sts.verified[0]!.params.get('RoleSessionName') ?? '', /^glassbox-session-\d+$/);
  } finally {
    await t.close();
  }
});

test('a token file without a role ARN is skipped, not an error', async () => {
  const t = await setup();
  try {
    const resolved = await resolveCredentials({
      env: { ...t.env, AWS_WEB_IDENTITY_TOKEN_FILE: t.tokenFile, AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S' },
      trace: true,
    });
    assert.is(resolved.source, 'environment');
    const resolvedNoEnv = await resolveCredentials({ env: { ...t.env, AWS_WEB_IDENTITY_TOKEN_FILE: t.tokenFile }, trace: true }).catch(
      (error: EcrError) => error,
    );
    assert.instance(resolvedNoEnv, EcrError);
    assert.match((resolvedNoEnv as EcrError).message, /web-identity: AWS_WEB_IDENTITY_TOKEN_FILE is set but no role ARN/);
  } finally {
    await t.close();
  }
});

const errors: [string, (t: Awaited<ReturnType<typeof setup>>) => Record<string, string | undefined>, RegExp][] = [
  [
    'a missing token file',
    (t) => ({ ...t.env, AWS_WEB_IDENTITY_TOKEN_FILE: `${t.home.dir}/absent`, AWS_ROLE_ARN: ROLE }),
    /Could not read the web identity token file .*absent \(ENOENT\)/,
  ],
  [
    'a token STS rejects',
    (t) => ({ ...t.env, AWS_WEB_IDENTITY_TOKEN_FILE: `${t.home.dir}/not-a-jwt`, AWS_ROLE_ARN: ROLE }),
    /InvalidIdentityToken: The web identity token is not valid/,
  ],
  [
    'a role STS refuses',
    (t) => ({ ...t.env, AWS_WEB_IDENTITY_TOKEN_FILE: t.tokenFile, AWS_ROLE_ARN: 'arn:aws:iam::1:role/nope' }),
    /AccessDenied/,
  ],
];
for (const [name, env, message] of errors) {
  test(`error: ${name}`, async () => {
    const t = await setup();
    try {
      // No profiles (an unparsable config file would now stop the chain first); a token STS does not know.
      await t.home.write('config', '');
      await t.home.write('not-a-jwt', 'not-a-jwt');
      const error = await resolveCredentials({ env: env(t) }).catch((caught: unknown) => caught);
      assert.instance(error, EcrError);
      assert.is((error as EcrError).code, 'WEB_IDENTITY_FAILED');
      assert.match((error as EcrError).message, message);
      assert.not.ok((error as EcrError).message.includes(JWT));
    } finally {
      await t.close();
    }
  });
}

test.run();
