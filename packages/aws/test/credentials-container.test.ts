import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { createProviderContext, resolveCredentials } from '../src/credentials/chain.ts';
import { containerCredentials, containerCredentialsUrl, ECS_CONTAINER_ENDPOINT } from '../src/credentials/container.ts';
import { inOneHour, sendJson, startServer, tempHome } from './credentials-fixtures.ts';

const BODY = {
  AccessKeyId: 'ASIACONTAINER',
  SecretAccessKey: 'SECRET-container',
  Token: 'TOKEN-container',
  Expiration: inOneHour(),
  RoleArn: 'arn:aws:iam::1:role/task',
};

test('FULL_URI on 127.0.0.1 with AWS_CONTAINER_AUTHORIZATION_TOKEN', async () => {
  const home = await tempHome();
  const server = await startServer((request, response) => {
    if (request.headers.authorization !== 'Bearer abc') return sendJson(response, 401, { code: 'Unauthorized', message: 'bad token' });
    sendJson(response, 200, BODY);
  });
  try {
    const resolved = await resolveCredentials({
      env: {
        ...home.env,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/v2/credentials/abc`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer abc',
      },
      trace: true,
    });
    assert.is(resolved.source, 'container');
    assert.is(resolved.credentials.accessKeyId, 'ASIACONTAINER');
    assert.is(resolved.credentials.sessionToken, 'TOKEN-container');
    assert.is(resolved.credentials.expiration?.toISOString(), new Date(BODY.Expiration).toISOString());
    assert.is(server.requests[0]?.method, 'GET');
    assert.is(server.requests[0]?.url, '/v2/credentials/abc');
    assert.match(
      resolved.trace?.at(-1)?.reason ?? '',
      /AWS_CONTAINER_CREDENTIALS_FULL_URI is set; .* \(authorized with AWS_CONTAINER_AUTHORIZATION_TOKEN\)/,
    );
    assert.not.match(JSON.stringify(resolved.trace), 'Bearer abc');
  } finally {
    await server.close();
    await home.cleanup();
  }
});

test('the token file wins over the token variable, and is re-read on every call', async () => {
  const home = await tempHome();
  const server = await startServer((request, response) =>
    sendJson(response, 200, { ...BODY, AccessKeyId: `ASIA-${request.headers.authorization}` }),
  );
  try {
    const tokenFile = await home.write('pod-token', 'first\n');
    const env = {
      ...home.env,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'ignored',
    };
    assert.is((await resolveCredentials({ env })).credentials.accessKeyId, 'ASIA-first');
    await home.write('pod-token', 'second');
    assert.is((await resolveCredentials({ env })).credentials.accessKeyId, 'ASIA-second');
  } finally {
    await server.close();
    await home.cleanup();
  }
});

test('RELATIVE_URI wins over FULL_URI and is resolved against the ECS host', async () => {
  const home = await tempHome();
  const server = await startServer((request, response) =>
    sendJson(response, 200, { ...BODY, AccessKeyId: `ASIA${request.url.replace(/\W/g, '')}` }),
  );
  try {
    const resolved = await resolveCredentials({
      env: {
        ...home.env,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/task-1',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/never',
      },
      containerEndpointBase: server.url,
    });
    assert.is(resolved.credentials.accessKeyId, 'ASIAv2credentialstask1');
    const context = await createProviderContext({ env: { HOME: '/nonexistent' } });
    assert.is(context.containerEndpointBase, 'http://169.254.170.2', 'the default base is the ECS link-local host');
  } finally {
    await server.close();
    await home.cleanup();
  }
});

const hostCases: [string, boolean][] = [
  ['http://127.0.0.1:1/creds', true],
  ['http://127.9.8.7:1/creds', true],
  ['http://localhost:1/creds', true],
  ['http://[::1]:1/creds', true],
  ['http://169.254.170.2/creds', true],
  ['http://169.254.170.23/v1/credentials', true],
  ['http://[fd00:ec2::23]/v1/credentials', true],
  ['https://creds.example.com/x', true],
  ['http://creds.example.com/x', false],
  ['http://10.0.0.1/x', false],
  ['http://169.254.169.254/x', false],
  ['http://127.0.0.1.example.com/x', false],
  ['file:///etc/passwd', false],
  ['not a url', false],
  ['http://127.0.0.1@evil.example.com/x', false],
];
for (const [uri, allowed] of hostCases) {
  test(`FULL_URI ${uri} is ${allowed ? 'allowed' : 'refused'}`, () => {
    const outcome = (() => {
      try {
        return containerCredentialsUrl({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: uri }, containerEndpointBase: ECS_CONTAINER_ENDPOINT })
          ?.url.href;
      } catch (error) {
        return error instanceof EcrError && error.code === 'CONTAINER_CREDENTIALS_FAILED' ? 'refused' : String(error);
      }
    })();
    assert.is(outcome, allowed ? new URL(uri).href : 'refused');
  });
}

const relativeCases: [string, string | 'refused'][] = [
  ['/v2/credentials/abc', 'http://169.254.170.2/v2/credentials/abc'],
  ['v2/credentials/abc', 'http://169.254.170.2/v2/credentials/abc'],
  ['//evil.example.com/x', 'http://169.254.170.2//evil.example.com/x'],
  ['/a?b=c', 'http://169.254.170.2/a?b=c'],
];
for (const [relative, expected] of relativeCases) {
  test(`RELATIVE_URI ${relative} stays on the ECS host`, () => {
    const target = containerCredentialsUrl({
      env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative },
      containerEndpointBase: ECS_CONTAINER_ENDPOINT,
    });
    assert.is(target?.url.href, expected);
    assert.is(target?.url.host, '169.254.170.2');
  });
}

test('5xx is retried (3 attempts), then reported', async () => {
  const home = await tempHome();
  let calls = 0;
  const server = await startServer((_request, response) => {
    calls++;
    if (calls < 3) return sendJson(response, 503, { message: 'busy' });
    sendJson(response, 200, BODY);
  });
  try {
    const env = { ...home.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url };
    assert.is((await resolveCredentials({ env })).credentials.accessKeyId, 'ASIACONTAINER');
    assert.is(server.requests.length, 3);
    calls = -10;
    const error = await resolveCredentials({ env }).catch((caught: unknown) => caught);
    assert.instance(error, EcrError);
    assert.match((error as EcrError).message, /failed 3 times; last: .*HTTP 503/);
    assert.is(server.requests.length, 6);
  } finally {
    await server.close();
    await home.cleanup();
  }
});

const responseErrors: [string, number, string, RegExp][] = [
  [
    'a 4xx with the endpoint message',
    403,
    JSON.stringify({ code: 'AccessDenied', message: 'token rejected' }),
    /HTTP 403 \(AccessDenied: token rejected\); no authorization token was sent/,
  ],
  ['a body that is not JSON', 200, 'SECRET-container in plain text', /not a JSON object/],
  ['no secret', 200, JSON.stringify({ AccessKeyId: 'A' }), /without AccessKeyId and SecretAccessKey/],
  ['a bad Expiration', 200, JSON.stringify({ ...BODY, Expiration: 'later' }), /"later" is not an ISO 8601 date/],
];
for (const [name, status, body, message] of responseErrors) {
  test(`error: ${name} stops the chain`, async () => {
    const home = await tempHome();
    const server = await startServer((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    });
    try {
      const error = await resolveCredentials({ env: { ...home.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url } }).catch(
        (caught: unknown) => caught,
      );
      assert.instance(error, EcrError);
      assert.is((error as EcrError).code, 'CONTAINER_CREDENTIALS_FAILED');
      assert.match((error as EcrError).message, message);
      assert.not.match((error as EcrError).message, 'SECRET-container');
    } finally {
      await server.close();
      await home.cleanup();
    }
  });
}

test('an abort signal stops a slow endpoint at once, without retries', async () => {
  const home = await tempHome();
  const silent = await startServer(() => new Promise(() => {}));
  try {
    const started = Date.now();
    const error = await resolveCredentials({
      env: { ...home.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: silent.url },
      signal: AbortSignal.timeout(100),
    }).catch((caught: unknown) => caught);
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'ABORTED');
    assert.ok(Date.now() - started < 1500, 'well before the 2 s per-attempt timeout');
    assert.is(silent.requests.length, 1);
  } finally {
    await silent.close();
    await home.cleanup();
  }
});

test('a token with a line break is refused before any request', async () => {
  const context = await createProviderContext({
    env: {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\r\nX-Evil: 1',
      AWS_CONFIG_FILE: '/nonexistent/c',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/k',
    },
  });
  const error = await containerCredentials(context).catch((caught: unknown) => caught);
  assert.instance(error, EcrError);
  assert.match((error as EcrError).message, /line break/);
});

test.run();
