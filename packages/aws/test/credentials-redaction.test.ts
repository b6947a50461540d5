// The secret access key and session token must never appear in anything the chain returns or throws:
// results, traces, formatted traces, errors (message, stack, inspect), nor a cached provider's state.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCredentialProvider } from '../src/credentials/cache.ts';
import { formatCredentialTrace, resolveCredentials, type ResolveCredentialsOptions } from '../src/credentials/chain.ts';
import { inOneHour, sendJson, startServer, startSts, tempHome, type TempHome } from './credentials-fixtures.ts';

const SECRETS = [
  'SECRET-leak-env',
  'SECRET-leak-file',
  'SECRET-leak-process',
  'SECRET-leak-role',
  'SECRET-leak-container',
  'SECRET-leak-imds',
  'SECRET-leak-web',
];
const TOKENS = [
  'TOKEN-leak-env',
  'TOKEN-leak-file',
  'TOKEN-leak-process',
  'TOKEN-leak-role',
  'TOKEN-leak-container',
  'TOKEN-leak-imds',
  'TOKEN-leak-web',
  'JWT-leak-web',
  'Bearer-leak-container',
];

function assertClean(label: string, value: unknown): void {
  const renderings = [
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    inspect(value, { depth: Infinity }),
    (() => {
      try {
        return JSON.stringify(value) ?? '';
      } catch {
        return '';
      }
    })(),
    String(value),
    value instanceof Error ? `${value.message}\n${value.stack}` : '',
  ];
  for (const text of renderings) {
    for (const secret of [...SECRETS, ...TOKENS])
      assert.not.ok(text.includes(secret), `${label}: "${secret}" leaked in ${text.slice(0, 300)}`);
  }
}

async function withWorld(run: (home: TempHome, env: Record<string, string | undefined>) => Promise<void>): Promise<void> {
  const home = await tempHome();
  const role = 'arn:aws:iam::1:role/r';
  const webRole = 'arn:aws:iam::1:role/w';
  const sts = await startSts({
    keys: { AKIDFILE: 'SECRET-leak-file' },
    roles: {
      [role]: { accessKeyId: 'ASIAROLE', secretAccessKey: 'SECRET-leak-role', sessionToken: 'TOKEN-leak-role', expiration: inOneHour() },
      [webRole]: { accessKeyId: 'ASIAWEB', secretAccessKey: 'SECRET-leak-web', sessionToken: 'TOKEN-leak-web', expiration: inOneHour() },
    },
    webIdentityTokens: ['JWT-leak-web'],
  });
  const script = await home.write(
    'p.mjs',
    `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDP', SecretAccessKey: 'SECRET-leak-process', SessionToken: 'TOKEN-leak-process' }))`,
  );
  const badScript = await home.write(
    'bad.mjs',
    `console.log('{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "SECRET-leak-process"'); process.exit(0);`,
  );
  await home.write(
    'config',
    [
      '[profile role]',
      `role_arn = ${role}`,
      'source_profile = file',
      '[profile badrole]',
      'role_arn = arn:aws:iam::1:role/unknown',
      'source_profile = file',
      '[profile process]',
      `credential_process = "${process.execPath}" "${script}"`,
      '[profile badprocess]',
      `credential_process = "${process.execPath}" "${badScript}"`,
      '[profile web]',
      `web_identity_token_file = ${await home.write('jwt', 'JWT-leak-web')}`,
      `role_arn = ${webRole}`,
      '[profile region]',
      'region = us-east-1',
    ].join('\n'),
  );
  await home.write(
    'credentials',
    '[file]\naws_access_key_id = AKIDFILE\naws_secret_access_key = SECRET-leak-file\naws_session_token = TOKEN-leak-file\n',
  );
  const env = { ...home.env, AWS_ENDPOINT_URL_STS: sts.url };
  try {
    await run(home, env);
  } finally {
    await sts.close();
    await home.cleanup();
  }
}

test('results and traces of every source contain no secret or token', async () => {
  await withWorld(async (_home, env) => {
    const cases: [string, ResolveCredentialsOptions][] = [
      [
        'environment',
        { env: { ...env, AWS_ACCESS_KEY_ID: 'AKIDE', AWS_SECRET_ACCESS_KEY: 'SECRET-leak-env', AWS_SESSION_TOKEN: 'TOKEN-leak-env' } },
      ],
      ['shared file', { env, profile: 'file' }],
      ['assume role', { env, profile: 'role' }],
      ['process', { env, profile: 'process' }],
      ['web identity', { env, profile: 'web' }],
    ];
    for (const [label, options] of cases) {
      const resolved = await resolveCredentials({ ...options, trace: true });
      assert.ok(resolved.credentials.secretAccessKey.startsWith('SECRET-leak-'), `${label} resolved`);
      assertClean(label, resolved);
      assertClean(`${label} trace`, formatCredentialTrace(resolved.trace ?? []));
      const provider = createCredentialProvider({ ...options, trace: true });
      await provider();
      assertClean(`${label} provider`, provider);
      assertClean(`${label} provider state`, provider.lastResolution);
    }
  });
});

test('container and IMDS results (with the container authorization token) contain no secret', async () => {
  const home = await tempHome();
  const container = await startServer((request, response) => {
    if (request.headers.authorization !== 'Bearer-leak-container') return sendJson(response, 401, { message: 'no' });
    sendJson(response, 200, {
      AccessKeyId: 'ASIAC',
      SecretAccessKey: 'SECRET-leak-container',
      Token: 'TOKEN-leak-container',
      Expiration: inOneHour(),
    });
  });
  const imds = await startServer((request, response) => {
    if (request.method === 'PUT') return void response.end('imds-token');
    if (request.url.endsWith('/security-credentials/')) return void response.end('r');
    sendJson(response, 200, {
      Code: 'Success',
      AccessKeyId: 'ASIAI',
      SecretAccessKey: 'SECRET-leak-imds',
      Token: 'TOKEN-leak-imds',
      Expiration: inOneHour(),
    });
  });
  try {
    const containerResult = await resolveCredentials({
      env: { ...home.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: container.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer-leak-container' },
      trace: true,
    });
    assert.is(containerResult.credentials.secretAccessKey, 'SECRET-leak-container');
    assertClean('container', containerResult);
    const imdsEnv: Record<string, string | undefined> = { ...home.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };
    delete imdsEnv['AWS_EC2_METADATA_DISABLED'];
    const imdsResult = await resolveCredentials({ env: imdsEnv, trace: true });
    assert.is(imdsResult.credentials.secretAccessKey, 'SECRET-leak-imds');
    assertClean('imds', imdsResult);
  } finally {
    await Promise.all([container.close(), imds.close()]);
    await home.cleanup();
  }
});

test('errors contain no secret: STS refusal, malformed process output, half an env pair, bad container token', async () => {
  await withWorld(async (home, env) => {
    const failing: [string, ResolveCredentialsOptions][] = [
      ['STS refuses the role', { env, profile: 'badrole' }],
      ['process prints truncated JSON holding the secret', { env, profile: 'badprocess' }],
      ['only the secret in the environment', { env: { ...env, AWS_SECRET_ACCESS_KEY: 'SECRET-leak-env' } }],
      [
        'web identity token file missing',
        { env: { ...env, AWS_WEB_IDENTITY_TOKEN_FILE: `${home.dir}/none`, AWS_ROLE_ARN: 'arn:aws:iam::1:role/w' } },
      ],
    ];
    for (const [label, options] of failing) {
      const error = await resolveCredentials({ ...options, trace: true }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof Error, `${label} fails`);
      assertClean(label, error);
    }
  });
});

/**
 * Credentials no source ever handed over: only the credential-shape rule of the one redaction can hide
 * them. Each failing source below quotes a body that holds one pair, as a broken or hostile endpoint might.
 */
const BODY_LEAKS = {
  sts: { secret: 'bodySECRETsts/0123456789abcdefghijklmnop', token: 'bodyTOKENsts//FwoGZXIvYXdzEJr0123456789==' },
  web: { secret: 'bodySECRETweb/0123456789abcdefghijklmnop', token: 'bodyTOKENweb//FwoGZXIvYXdzEJr0123456789==' },
  sso: { secret: 'bodySECRETsso/0123456789abcdefghijklmnop', token: 'bodyTOKENsso//FwoGZXIvYXdzEJr0123456789==' },
  container: { secret: 'bodySECRETcontainer/0123456789abcdefghij', token: 'bodyTOKENcontainer//FwoGZXIvYXdzEJr01234==' },
  imds: { secret: 'bodySECRETimds/0123456789abcdefghijklmno', token: 'bodyTOKENimds//FwoGZXIvYXdzEJr012345678==' },
};

function assertNoBodyLeak(label: string, error: unknown, leak: { secret: string; token: string }): void {
  assert.ok(error instanceof Error, `${label} fails`);
  const texts = [(error as Error).message, String((error as Error).stack), inspect(error, { showHidden: true, depth: Infinity })];
  for (const text of texts) {
    assert.not.ok(text.includes(leak.secret), `${label}: the secret leaked in ${text.slice(0, 400)}`);
    assert.not.ok(text.includes(leak.token), `${label}: the token leaked in ${text.slice(0, 400)}`);
  }
}

test('each source failing with credentials in its error body: the error quotes the body without them', async () => {
  const home = await tempHome();
  const stsXmlError = (leak: { secret: string; token: string }, response: import('node:http').ServerResponse): void => {
    response.writeHead(403, { 'content-type': 'text/xml' });
    response.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>refused these: {"AccessKeyId":"ASIABODY","SecretAccessKey":"${leak.secret}","SessionToken":"${leak.token}"}</Message></Error></ErrorResponse>`,
    );
  };
  const sts = await startServer((request, response) =>
    stsXmlError(
      new URLSearchParams(request.body).get('Action') === 'AssumeRoleWithWebIdentity' ? BODY_LEAKS.web : BODY_LEAKS.sts,
      response,
    ),
  );
  const sso = await startServer((_request, response) =>
    sendJson(response, 403, {
      message: `role credentials withheld: {"accessKeyId":"ASIABODY","secretAccessKey":"${BODY_LEAKS.sso.secret}","sessionToken":"${BODY_LEAKS.sso.token}"}`,
    }),
  );
  const container = await startServer((_request, response) =>
    sendJson(response, 403, {
      code: 'Denied',
      message: `not for you: {"AccessKeyId":"ASIABODY","SecretAccessKey":"${BODY_LEAKS.container.secret}","Token":"${BODY_LEAKS.container.token}"}`,
    }),
  );
  const imds = await startServer((request, response) => {
    if (request.method === 'PUT') return void response.end('imds-session-token-for-the-leak-test');
    if (request.url.endsWith('/security-credentials/')) return void response.end('r');
    sendJson(response, 200, {
      Code: `Failed {"SecretAccessKey":"${BODY_LEAKS.imds.secret}","Token":"${BODY_LEAKS.imds.token}"}`,
      AccessKeyId: 'ASIABODY',
    });
  });
  try {
    await home.write('credentials', '[file]\naws_access_key_id = AKIDBODY\naws_secret_access_key = file-secret-for-the-body-leak-test\n');
    const jwt = await home.write('jwt', 'jwt-for-the-body-leak-test');
    const ssoCache = join(home.dir, '.aws', 'sso', 'cache');
    await mkdir(ssoCache, { recursive: true });
    await writeFile(
      join(ssoCache, `${createHash('sha1').update('corp').digest('hex')}.json`),
      JSON.stringify({ accessToken: 'sso-access-token-for-the-body-leak-test', expiresAt: inOneHour() }),
    );
    await home.write(
      'config',
      [
        '[profile role]',
        'role_arn = arn:aws:iam::1:role/r',
        'source_profile = file',
        'region = us-east-1',
        '[profile web]',
        `web_identity_token_file = ${jwt}`,
        'role_arn = arn:aws:iam::1:role/w',
        'region = us-east-1',
        '[profile sso]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = Dev',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-central-1',
      ].join('\n') + '\n',
    );
    const imdsEnv: Record<string, string | undefined> = { ...home.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };
    delete imdsEnv['AWS_EC2_METADATA_DISABLED'];
    const cases: [string, ResolveCredentialsOptions, { secret: string; token: string }][] = [
      ['STS AssumeRole', { env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url }, profile: 'role' }, BODY_LEAKS.sts],
      ['STS AssumeRoleWithWebIdentity', { env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url }, profile: 'web' }, BODY_LEAKS.web],
      ['IAM Identity Center GetRoleCredentials', { env: { ...home.env, AWS_ENDPOINT_URL_SSO: sso.url }, profile: 'sso' }, BODY_LEAKS.sso],
      ['the container endpoint', { env: { ...home.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: container.url } }, BODY_LEAKS.container],
      ['IMDS', { env: imdsEnv, trace: true }, BODY_LEAKS.imds],
    ];
    for (const [label, options, leak] of cases) {
      const error = await resolveCredentials(options).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assertNoBodyLeak(label, error, leak);
      // The scan can fail: the error does quote the body, placeholders where the values were.
      assert.match((error as Error).message, /\[redacted: (SecretAccessKey|secretAccessKey), \d+ chars\]/, label);
    }
  } finally {
    await Promise.all([sts.close(), sso.close(), container.close(), imds.close()]);
    await home.cleanup();
  }
});

test.run();
