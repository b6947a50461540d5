import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { createProviderContext, resolveCredentials } from '../src/credentials/chain.ts';
import { imdsCredentials } from '../src/credentials/imds.ts';
import { inOneHour, sendJson, startServer, tempHome, type SeenRequest } from './credentials-fixtures.ts';

const SESSION = 'imds-session-token-xyz';
const BODY = {
  Code: 'Success',
  LastUpdated: '2026-01-01T00:00:00Z',
  Type: 'AWS-HMAC',
  AccessKeyId: 'ASIAIMDS',
  SecretAccessKey: 'SECRET-imds',
  Token: 'TOKEN-imds',
  Expiration: inOneHour(),
};

/** An IMDSv2 stand-in; `faults` lets a test change one step's answer. */
async function startImds(faults: { token?: number; role?: number; credentials?: number; failFirst?: number } = {}) {
  let failures = faults.failFirst ?? 0;
  return startServer((request: SeenRequest, response) => {
    if (failures > 0) {
      failures--;
      return sendJson(response, 500, {});
    }
    if (request.method === 'PUT' && request.url === '/latest/api/token') {
      if (faults.token) return sendJson(response, faults.token, {});
      if (request.headers['x-aws-ec2-metadata-token-ttl-seconds'] !== '21600') return sendJson(response, 400, {});
      response.end(SESSION);
      return;
    }
    if (request.headers['x-aws-ec2-metadata-token'] !== SESSION) return sendJson(response, 401, {});
    if (request.method === 'GET' && request.url === '/latest/meta-data/iam/security-credentials/') {
      if (faults.role) return sendJson(response, faults.role, {});
      response.end('web-role\n');
      return;
    }
    if (request.method === 'GET' && request.url === '/latest/meta-data/iam/security-credentials/web-role') {
      if (faults.credentials) return sendJson(response, faults.credentials, {});
      return sendJson(response, 200, BODY);
    }
    sendJson(response, 404, {});
  });
}

function imdsEnv(home: { env: Record<string, string | undefined> }, url: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...home.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: url };
  delete env['AWS_EC2_METADATA_DISABLED'];
  return env;
}

test('IMDSv2: token PUT with the TTL header, then role name, then credentials, both with the token', async () => {
  const home = await tempHome();
  const imds = await startImds();
  try {
    const resolved = await resolveCredentials({ env: imdsEnv(home, imds.url), trace: true });
    assert.is(resolved.source, 'imds');
    assert.is(resolved.credentials.accessKeyId, 'ASIAIMDS');
    assert.is(resolved.credentials.sessionToken, 'TOKEN-imds');
    assert.is(resolved.credentials.source, 'imds (role web-role)');
    assert.equal(
      imds.requests.map((request) => `${request.method} ${request.url}`),
      [
        'PUT /latest/api/token',
        'GET /latest/meta-data/iam/security-credentials/',
        'GET /latest/meta-data/iam/security-credentials/web-role',
      ],
    );
    assert.match(
      resolved.trace?.at(-1)?.reason ?? '',
      /IMDSv2 at http:\/\/127\.0\.0\.1:\d+ \(AWS_EC2_METADATA_SERVICE_ENDPOINT\) answered for role web-role/,
    );
    assert.not.match(JSON.stringify(resolved.trace), SESSION);
  } finally {
    await imds.close();
    await home.cleanup();
  }
});

test('AWS_EC2_METADATA_DISABLED=true: no request at all', async () => {
  const home = await tempHome();
  const imds = await startImds();
  try {
    const env = { ...imdsEnv(home, imds.url), AWS_EC2_METADATA_DISABLED: 'TRUE' };
    const error = await resolveCredentials({ env }).catch((caught: unknown) => caught);
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'CREDENTIALS_NOT_FOUND');
    assert.match((error as EcrError).message, /imds: AWS_EC2_METADATA_DISABLED is true/);
    assert.is(imds.requests.length, 0);
  } finally {
    await imds.close();
    await home.cleanup();
  }
});

test('a 5xx is retried once by default', async () => {
  const home = await tempHome();
  const imds = await startImds({ failFirst: 1 });
  try {
    assert.is((await resolveCredentials({ env: imdsEnv(home, imds.url) })).credentials.accessKeyId, 'ASIAIMDS');
    assert.is(imds.requests.length, 4);
  } finally {
    await imds.close();
    await home.cleanup();
  }
});

const stepFailures: [string, Parameters<typeof startImds>[0], RegExp, number][] = [
  [
    'IMDSv1-only (token refused): no fallback',
    { token: 403 },
    /refused the IMDSv2 token request \(HTTP 403\); Glassbox does not fall back to IMDSv1/,
    1,
  ],
  ['no role attached', { role: 404 }, /no IAM role \(instance profile\) attached/, 2],
  ['credentials request failing', { credentials: 403 }, /credentials request for role web-role with HTTP 403/, 3],
  ['persistent 5xx', { failFirst: 100 }, /token request .* failed after 2 attempt\(s\): HTTP 500/, 2],
];
for (const [name, faults, message, requests] of stepFailures) {
  test(`${name}: IMDS_FAILED directly, "skipped" as the chain's last source`, async () => {
    const home = await tempHome();
    const imds = await startImds(faults);
    try {
      const context = await createProviderContext({ env: imdsEnv(home, imds.url) });
      const error = await imdsCredentials(context).catch((caught: unknown) => caught);
      assert.instance(error, EcrError);
      assert.is((error as EcrError).code, 'IMDS_FAILED');
      assert.match((error as EcrError).message, message);
      assert.is(imds.requests.length, requests);
      const chainError = await resolveCredentials({ env: imdsEnv(home, imds.url) }).catch((caught: unknown) => caught);
      assert.is((chainError as EcrError).code, 'CREDENTIALS_NOT_FOUND');
      assert.match((chainError as EcrError).message, message);
    } finally {
      await imds.close();
      await home.cleanup();
    }
  });
}

test('an unreachable endpoint times out within AWS_METADATA_SERVICE_TIMEOUT per attempt', async () => {
  const home = await tempHome();
  // A server that accepts and never answers.
  const silent = await startServer(() => new Promise(() => {}));
  try {
    const started = Date.now();
    const env = { ...imdsEnv(home, silent.url), AWS_METADATA_SERVICE_TIMEOUT: '0.2', AWS_METADATA_SERVICE_NUM_ATTEMPTS: '2' };
    const error = await resolveCredentials({ env }).catch((caught: unknown) => caught);
    const elapsed = Date.now() - started;
    assert.is((error as EcrError).code, 'CREDENTIALS_NOT_FOUND');
    assert.match((error as EcrError).message, /did not answer within 200 ms/);
    assert.ok(elapsed >= 380 && elapsed < 3000, `took ${elapsed} ms`);
    assert.is(silent.requests.length, 2);
  } finally {
    await silent.close();
    await home.cleanup();
  }
});

const settingErrors: [Record<string, string>, RegExp][] = [
  [{ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv5' }, /IPv4 or IPv6/],
  [{ AWS_METADATA_SERVICE_TIMEOUT: 'soon' }, /AWS_METADATA_SERVICE_TIMEOUT must be a positive number/],
  [{ AWS_EC2_METADATA_SERVICE_ENDPOINT: 'not a url' }, /not a URL/],
];
for (const [env, message] of settingErrors) {
  test(`bad setting ${Object.keys(env)[0]} is an INVALID_CONFIGURATION error`, async () => {
    const context = await createProviderContext({
      env: { ...env, AWS_CONFIG_FILE: '/nonexistent/c', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/k' },
    });
    const error = await imdsCredentials(context).catch((caught: unknown) => caught);
    assert.is((error as EcrError).code, 'INVALID_CONFIGURATION');
    assert.match((error as EcrError).message, message);
  });
}

test.run();
