import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsServiceError } from '@glassbox/aws/service-errors';
import { startEcrEmulator, type EcrEmulator, type EmulatorCredential } from '../src/emulator.ts';
import { EcrError } from '../src/errors.ts';
import { getAuthorizationToken, MIN_TOKEN_VALIDITY_MS, type GetAuthorizationTokenOptions } from '../src/get-authorization-token.ts';
import { ClockOffsets, closeConnections } from '@glassbox/aws/http';
import { startProxy } from '../../aws/test/forward-proxy.ts';

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const TEMP = {
  accessKeyId: 'ASIATEMPORARY',
  secretAccessKey: 'temporary/secret/Key+0123456789abcdef',
  sessionToken: 'FwoGZXIvYXdzEXAMPLE//session+token==',
};
const PASSWORD = 'eyJwYXlsb2FkIjoi:with:colons';
const FIXED_CLOCK = Date.UTC(2025, 1, 3, 4, 1, 31, 500); // expiresAt 12 h later: 1.7385984915E9

async function expectError<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, type);
    return error as T;
  }
  throw new assert.Assertion({ message: `expected a ${type.name}`, generated: false, operator: 'rejects' } as never);
}

interface Context {
  emulator: EcrEmulator;
  home: string;
  sleeps: number[];
  options: (extra?: Partial<GetAuthorizationTokenOptions>) => GetAuthorizationTokenOptions;
}

async function setup(context: Context, credentials: EmulatorCredential[] = [KEY, TEMP], clock?: () => number): Promise<void> {
  context.emulator = await startEcrEmulator({ credentials, password: PASSWORD, accountId: '210987654321', ...(clock ? { clock } : {}) });
  context.sleeps = [];
  // An empty home, so that no test reads the machine's ~/.aws.
  context.home = await mkdtemp(join(tmpdir(), 'glassbox-ecr-'));
  const sleeps = context.sleeps;
  const home = context.home;
  const offsets = new ClockOffsets();
  context.options = (extra = {}) => ({
    region: 'us-east-1',
    endpoint: context.emulator.url,
    credentials: KEY,
    env: {},
    homedir: home,
    random: () => 0.5,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    clockOffsets: offsets,
    ...extra,
  });
}

const it = suite<Context>('getAuthorizationToken');
it.before.each(async (context) => setup(context));
it.after.each(async (context) => {
  await context.emulator.close();
  await rm(context.home, { recursive: true, force: true });
});
it.after(async () => {
  await closeConnections();
});

it('turns credentials into a registry password, splitting the token at the first colon', async ({ emulator, options }) => {
  const token = await getAuthorizationToken(options());
  assert.is(token.username, 'AWS');
  assert.is(token.password, PASSWORD);
  assert.is(token.proxyEndpoint, 'https://210987654321.dkr.ecr.us-east-1.amazonaws.com');
  assert.is(token.registryHost, '210987654321.dkr.ecr.us-east-1.amazonaws.com');
  assert.is(token.registries.length, 1);
  assert.is(token.trace, undefined);
  assert.is(emulator.calls.length, 1);
});

it('reads expiresAt as epoch seconds, float and all, never an assumed 12 hours', async ({ emulator }) => {
  await emulator.close();
  const emu = await startEcrEmulator({ credentials: [KEY], password: PASSWORD, clock: () => FIXED_CLOCK, tokenLifetimeSeconds: 43_200 });
  try {
    const token = await getAuthorizationToken({
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: KEY,
      env: {},
      now: () => FIXED_CLOCK,
      clockOffsets: new ClockOffsets(),
    });
    assert.is(token.expiresAt.toISOString(), '2025-02-03T16:01:31.500Z');
  } finally {
    await emu.close();
  }
  const short = await startEcrEmulator({ credentials: [KEY], password: PASSWORD, clock: () => FIXED_CLOCK, tokenLifetimeSeconds: 600 });
  try {
    const token = await getAuthorizationToken({
      region: 'us-east-1',
      endpoint: short.url,
      credentials: KEY,
      env: {},
      now: () => FIXED_CLOCK,
      clockOffsets: new ClockOffsets(),
    });
    assert.is(token.expiresAt.toISOString(), '2025-02-03T04:11:31.500Z');
  } finally {
    await short.close();
  }
});

it('ECR Public: service ecr-public in us-east-1 whatever AWS_REGION says, registry host public.ecr.aws', async ({ emulator, options }) => {
  const token = await getAuthorizationToken(options({ region: undefined, public: true, env: { AWS_REGION: 'eu-west-1' }, trace: true }));
  assert.is(token.password, PASSWORD);
  assert.is(token.registryHost, 'public.ecr.aws');
  assert.is(token.proxyEndpoint, 'https://public.ecr.aws');
  assert.is(token.trace?.signing.credentialScope.endsWith('/us-east-1/ecr-public/aws4_request'), true);
  assert.is(emulator.calls[0]?.target, 'SpencerFrontendService.GetAuthorizationToken');
});

it('a public registry host selects ECR Public by itself', async ({ options }) => {
  const token = await getAuthorizationToken(options({ region: undefined, registry: 'public.ecr.aws/nginx/nginx' }));
  assert.is(token.registryHost, 'public.ecr.aws');
});

it('registryIds: one authorization per registry', async ({ options }) => {
  const token = await getAuthorizationToken(options({ registryIds: ['111111111111', '222222222222'] }));
  assert.equal(
    token.registries.map((r) => r.registryHost),
    ['111111111111.dkr.ecr.us-east-1.amazonaws.com', '222222222222.dkr.ecr.us-east-1.amazonaws.com'],
  );
  await expectError(getAuthorizationToken(options({ registryIds: ['1234'] })), EcrError);
});

it('signs only content-type;host;x-amz-date;x-amz-target, plus the session token when there is one', async ({ options }) => {
  const plain = await getAuthorizationToken(options({ trace: true }));
  assert.is(plain.trace?.signing.signedHeaders, 'content-type;host;x-amz-date;x-amz-target');
  const temporary = await getAuthorizationToken(options({ credentials: TEMP, trace: true }));
  assert.is(temporary.trace?.signing.signedHeaders, 'content-type;host;x-amz-date;x-amz-security-token;x-amz-target');
  assert.is(temporary.trace?.credentials.temporary, true);
});

it('credentials from the chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or a clear error', async ({ options }) => {
  const env = { AWS_ACCESS_KEY_ID: TEMP.accessKeyId, AWS_SECRET_ACCESS_KEY: TEMP.secretAccessKey, AWS_SESSION_TOKEN: TEMP.sessionToken };
  const token = await getAuthorizationToken(options({ credentials: undefined, env, trace: true }));
  assert.is(token.password, PASSWORD);
  assert.match(token.trace?.credentials.source ?? '', /^environment/);
  assert.equal(
    token.trace?.credentials.chain?.map((entry) => (entry as { outcome: string }).outcome),
    ['used'],
  );
  // Instance metadata disabled: only 127.0.0.1 is ever a network target in tests.
  const error = await expectError(
    getAuthorizationToken(options({ credentials: undefined, env: { AWS_EC2_METADATA_DISABLED: 'true' } })),
    EcrError,
  );
  assert.is(error.code, 'CREDENTIALS_NOT_FOUND');
  const provider = await getAuthorizationToken(options({ credentials: async () => KEY }));
  assert.is(provider.password, PASSWORD);
});

it('a profile supplies credentials, region and a [services] endpoint from the shared files', async ({ emulator, options, home }) => {
  await mkdir(join(home, '.aws'));
  await writeFile(
    join(home, '.aws', 'config'),
    `[profile dev]\nregion = eu-central-1\nservices = local\n\n[services local]\necr =\n  endpoint_url = ${emulator.url}\n`,
  );
  await writeFile(
    join(home, '.aws', 'credentials'),
    `[dev]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
  );
  const token = await getAuthorizationToken(
    options({ credentials: undefined, region: undefined, endpoint: undefined, profile: 'dev', trace: true }),
  );
  assert.is(token.password, PASSWORD);
  assert.is(token.registryHost, '210987654321.dkr.ecr.eu-central-1.amazonaws.com');
  assert.match(token.trace?.credentials.source ?? '', 'profile "dev"');
  assert.is(token.trace?.endpoint.source, 'profile services');
  assert.is(token.trace?.endpoint.regionSource, 'profile');
  // An explicit profile beats environment keys, as in the AWS CLI.
  const env = { AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: 'env-secret-that-would-fail' };
  const again = await getAuthorizationToken(
    options({ credentials: undefined, region: undefined, endpoint: undefined, profile: 'dev', env }),
  );
  assert.is(again.password, PASSWORD);
});

it('retries throttling with exponential backoff and full jitter, counted at the emulator', async ({ emulator, options, sleeps }) => {
  emulator.setFaults({ throttleFirst: 2 });
  const token = await getAuthorizationToken(options());
  assert.is(token.password, PASSWORD);
  assert.is(emulator.calls.length, 3);
  // random() = 0.5 of a ceiling of 500 ms (throttling base), then 1000 ms.
  assert.equal(sleeps, [250, 500]);
});

it('gives up after maxAttempts with the last error, saying how many retries it made', async ({ emulator, options, sleeps }) => {
  emulator.setFaults({ throttleFirst: 10 });
  const error = await expectError(getAuthorizationToken(options()), AwsServiceError);
  assert.is(error.code, 'ThrottlingException');
  assert.is(error.attempts, 3);
  assert.is(error.retryable, true);
  assert.is(error.httpStatus, 400);
  assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.match(
    error.message,
    'An error occurred (ThrottlingException) when calling the GetAuthorizationToken operation (reached max retries: 2): Rate exceeded',
  );
  assert.is(emulator.calls.length, 3);
  assert.is(sleeps.length, 2);
  emulator.resetCalls();
  await expectError(getAuthorizationToken(options({ maxAttempts: 5 })), AwsServiceError);
  assert.is(emulator.calls.length, 5);
});

it('retries 5xx (base 100 ms) and dropped connections', async ({ emulator, options, sleeps }) => {
  emulator.setFaults({ failFirst: 2, failStatus: 503 });
  await getAuthorizationToken(options());
  assert.is(emulator.calls.length, 3);
  assert.equal(sleeps, [50, 100]);
  emulator.resetCalls();
  emulator.setFaults({ dropFirst: 1 });
  const token = await getAuthorizationToken(options());
  assert.is(token.password, PASSWORD);
  assert.equal(
    emulator.calls.map((c) => c.outcome),
    ['dropped', 'ok'],
  );
  emulator.resetCalls();
  emulator.setFaults({ failFirst: 3 });
  const error = await expectError(getAuthorizationToken(options()), AwsServiceError);
  assert.equal([error.code, error.httpStatus, error.attempts], ['ServerException', 500, 3]);
});

it('never retries authentication errors, and maps each one with a hint', async ({ emulator }) => {
  await emulator.close();
  const emu = await startEcrEmulator({
    credentials: [
      KEY,
      { accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'expired-secret-value-123', expired: true },
      { accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret-value-1234', denied: true },
    ],
  });
  try {
    const cases: Array<[{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }, string, RegExp]> = [
      [
        { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'unknown-secret-value-12' },
        'UnrecognizedClientException',
        /does not know this access key/,
      ],
      [{ ...KEY, secretAccessKey: 'wrong-secret-value-12345' }, 'InvalidSignatureException', /secret access key does not match/],
      [{ accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'expired-secret-value-123' }, 'ExpiredTokenException', /refresh them/],
      [{ accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret-value-1234' }, 'AccessDeniedException', /grant it on Resource "\*"/],
    ];
    for (const [credentials, code, hint] of cases) {
      emu.resetCalls();
      const error = await expectError(
        getAuthorizationToken({
          region: 'us-east-1',
          endpoint: emu.url,
          credentials,
          env: {},
          maxAttempts: 5,
          sleep: async () => {},
          clockOffsets: new ClockOffsets(),
        }),
        AwsServiceError,
      );
      assert.is(error.code, code);
      assert.is(error.retryable, false, code);
      assert.is(error.attempts, 1, code);
      assert.is(error.httpStatus, 400);
      assert.match(error.message, hint);
      assert.is(emu.calls.length, 1, `${code} must not be retried`);
      assert.not.match(error.message, credentials.secretAccessKey);
    }
  } finally {
    await emu.close();
  }
});

it('a signature mismatch carries the server’s canonical string but never the session token or secret', async ({ emulator, options }) => {
  void emulator;
  const wrong = { ...TEMP, secretAccessKey: 'a-wrong-secret-for-this-key' };
  const error = await expectError(getAuthorizationToken(options({ credentials: wrong })), AwsServiceError);
  assert.is(error.code, 'InvalidSignatureException');
  // The session token is signed, so the canonical string AWS echoes holds it: it must come back redacted.
  assert.match(error.message, 'The Canonical String for this request should have been');
  assert.match(error.message, 'x-amz-security-token:[redacted: session token, ');
  // @glassbox/sigv4's diagnosis, when that export exists: it is attached, and redacted like the rest.
  const sigv4 = (await import('@glassbox/sigv4')) as Record<string, unknown>;
  assert.is(error.diagnosis !== undefined, typeof sigv4['diagnose'] === 'function');
  const everything = `${error.message}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error.diagnosis ?? null)}`;
  assert.not.match(everything, TEMP.sessionToken);
  assert.not.match(everything, wrong.secretAccessKey);
});

it('corrects clock skew once from the Date header, and remembers the offset', async ({ emulator, options }) => {
  emulator.setFaults({ clockSkewSeconds: 15 * 60 });
  const offsets = new ClockOffsets();
  const first = await getAuthorizationToken(options({ clockOffsets: offsets, trace: true }));
  assert.is(first.password, PASSWORD);
  assert.equal(
    emulator.calls.map((c) => c.outcome),
    ['InvalidSignatureException', 'ok'],
  );
  const offset = offsets.get(new URL(emulator.url).host);
  assert.ok(Math.abs(offset - 900_000) < 2_000, `offset ${offset}`);
  assert.equal(
    first.trace?.attempts.map((a) => a.outcome),
    ['resign-for-clock-skew', 'success'],
  );
  emulator.resetCalls();
  await getAuthorizationToken(options({ clockOffsets: offsets }));
  assert.is(emulator.calls.length, 1);
});

it('re-signs for skew only once', async ({ emulator, options }) => {
  emulator.setFaults({ clockSkewSeconds: -20 * 60 });
  class Forgetful extends ClockOffsets {
    override set(): void {}
  }
  const error = await expectError(getAuthorizationToken(options({ clockOffsets: new Forgetful(), maxAttempts: 3 })), AwsServiceError);
  assert.is(error.code, 'InvalidSignatureException');
  assert.match(error.message, 'Signature not yet current');
  assert.match(error.message, /clock differs/);
  assert.is(emulator.calls.length, 2);
});

it('times out a slow answer, retries it, and says so', async ({ emulator, options }) => {
  emulator.setFaults({ delayMs: 2_000 });
  const started = Date.now();
  const error = await expectError(getAuthorizationToken(options({ requestTimeoutMs: 150, maxAttempts: 2 })), EcrError);
  assert.is(error.code, 'TIMEOUT');
  assert.match(error.message, /did not answer within 150 ms/);
  assert.match(error.message, 'gave up after 2 attempts');
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 1_800, `took ${elapsed} ms`);
  assert.is(emulator.calls.length, 2);
});

it('an abort signal stops the call at once, without retrying', async ({ emulator, options }) => {
  emulator.setFaults({ delayMs: 5_000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  const error = await expectError(getAuthorizationToken(options({ signal: controller.signal })), EcrError);
  assert.is(error.code, 'ABORTED');
  assert.ok(Date.now() - started < 1_000);
  assert.is(emulator.calls.length, 1);
});

it('a refused connection is a NETWORK_ERROR after the retries', async ({ options, sleeps }) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const error = await expectError(getAuthorizationToken(options({ endpoint: `http://127.0.0.1:${port}` })), EcrError);
  assert.is(error.code, 'NETWORK_ERROR');
  assert.match(error.message, 'ECONNREFUSED');
  assert.is(sleeps.length, 2);
});

it('honours HTTP_PROXY (lower or upper case), and NO_PROXY', async ({ emulator, options }) => {
  const proxy = await startProxy();
  try {
    const target = new URL(emulator.url).host;
    const via = await getAuthorizationToken(options({ env: { HTTP_PROXY: proxy.url }, trace: true }));
    assert.is(via.password, PASSWORD);
    assert.ok(
      proxy.seen.some((line) => line.endsWith(target)),
      proxy.seen.join('; '),
    );
    assert.is(via.trace?.attempts[0]?.via, `${proxy.url}/`);
    const before = proxy.seen.length;
    await getAuthorizationToken(options({ env: { http_proxy: proxy.url, no_proxy: '127.0.0.1' } }));
    assert.is(proxy.seen.length, before, 'NO_PROXY must bypass the proxy');
    await getAuthorizationToken(options({ env: { HTTP_PROXY: proxy.url }, proxy: false }));
    assert.is(proxy.seen.length, before, 'proxy: false must bypass the proxy');
  } finally {
    await proxy.close();
  }
});

it('sends a proxy’s user info as Proxy-Authorization, and keeps it out of the trace', async ({ options }) => {
  const proxy = await startProxy();
  try {
    const withUser = proxy.url.replace('http://', 'http://ci-user:proxy-pass-123@');
    const token = await getAuthorizationToken(options({ env: { http_proxy: withUser }, trace: true }));
    assert.is(token.password, PASSWORD);
    assert.is(proxy.auth[0], `Basic ${Buffer.from('ci-user:proxy-pass-123').toString('base64')}`);
    assert.is(token.trace?.attempts[0]?.via, `${proxy.url}/ (with credentials)`);
    assert.not.match(JSON.stringify(token.trace), 'proxy-pass-123');
  } finally {
    await proxy.close();
  }
});

it('a proxy that never answers CONNECT is a TIMEOUT naming the proxy', async ({ options }) => {
  const sockets = new Set<Socket>();
  const silent = createServer();
  silent.on('connect', (_req: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    const started = Date.now();
    const error = await expectError(
      getAuthorizationToken(options({ env: { HTTP_PROXY: proxyUrl }, connectTimeoutMs: 200, maxAttempts: 1 })),
      EcrError,
    );
    assert.is(error.code, 'TIMEOUT');
    assert.match(error.message, `via proxy ${proxyUrl}/`);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2_000, `took ${elapsed} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await closeConnections();
  }
});

it('the trace shows every step and never the password, secret or session token', async ({ emulator, options }) => {
  emulator.setFaults({ throttleFirst: 1 });
  const token = await getAuthorizationToken(options({ credentials: TEMP, trace: true }));
  const trace = token.trace;
  assert.ok(trace);
  assert.is(trace.credentials.source, 'the `credentials` option');
  assert.is(trace.credentials.accessKeyId, TEMP.accessKeyId);
  assert.is(trace.endpoint.source, 'option');
  assert.ok(trace.endpoint.why.length >= 3);
  assert.is(trace.operation.target, 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken');
  assert.is(trace.operation.body, '{}');
  assert.ok((trace.signing.steps ?? []).length > 5);
  assert.equal(
    trace.attempts.map((a) => [a.attempt, a.status, a.errorCode, a.outcome]),
    [
      [1, 400, 'ThrottlingException', 'retry'],
      [2, 200, undefined, 'success'],
    ],
  );
  assert.match(trace.attempts[1]?.requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.match(trace.attempts[1]?.request.headers['Authorization'] ?? '', /Signature=\[redacted\]$/);
  assert.match(trace.attempts[1]?.request.headers['User-Agent'] ?? '', /^glassbox\/\d+\.\d+\.\d+ /);
  assert.is(trace.token?.passwordLength, PASSWORD.length);
  assert.is(trace.token?.username, 'AWS');
  const text = JSON.stringify(trace) + inspect(trace, { depth: 20 });
  for (const secret of [PASSWORD, TEMP.secretAccessKey, TEMP.sessionToken, Buffer.from(`AWS:${PASSWORD}`).toString('base64')]) {
    assert.not.match(text, secret);
  }
});

it('bad input is an EcrError, not a TypeError', async ({ options }) => {
  assert.is((await expectError(getAuthorizationToken(options({ registry: 'docker.io' })), EcrError)).code, 'INVALID_CONFIGURATION');
  assert.is(
    (await expectError(getAuthorizationToken(options({ credentials: { accessKeyId: '', secretAccessKey: '' } })), EcrError)).code,
    'CREDENTIALS_INVALID',
  );
  assert.is((await expectError(getAuthorizationToken(options({ region: undefined })), EcrError)).code, 'MISSING_REGION');
  assert.is((await expectError(getAuthorizationToken(options({ maxAttempts: 0 })), EcrError)).code, 'INVALID_CONFIGURATION');
  assert.is((await expectError(getAuthorizationToken(null as never), EcrError)).code, 'INVALID_CONFIGURATION');
  const slash = await expectError(
    getAuthorizationToken(options({ credentials: { accessKeyId: 'AKID/EXAMPLE', secretAccessKey: 'a-secret-never-shown' } })),
    EcrError,
  );
  assert.is(slash.code, 'CREDENTIALS_INVALID');
  assert.not.match(slash.message, 'a-secret-never-shown');
});

/** A server that answers every request with the given status and body, for malformed responses. */
async function fixedServer(status: number, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'req-fixed' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

it('parses expiresAt in exponent form and rejects malformed answers as INVALID_RESPONSE', async ({ options }) => {
  const token = Buffer.from('AWS:pw').toString('base64');
  const rows: Array<[string, string | undefined]> = [
    [
      `{"authorizationData":[{"authorizationToken":"${token}","expiresAt":1.7385984915E9,"proxyEndpoint":"https://111111111111.dkr.ecr.us-east-1.amazonaws.com"}]}`,
      '2025-02-03T16:01:31.500Z',
    ],
    [
      `{"authorizationData":[{"authorizationToken":"${token}","expiresAt":1738598491,"proxyEndpoint":"https://111111111111.dkr.ecr.us-east-1.amazonaws.com"}]}`,
      '2025-02-03T16:01:31.000Z',
    ],
    ['not json', undefined],
    ['{"authorizationData":[]}', undefined],
    [
      `{"authorizationData":[{"authorizationToken":"${Buffer.from('nocolon').toString('base64')}","expiresAt":1,"proxyEndpoint":"https://x"}]}`,
      undefined,
    ],
    [`{"authorizationData":[{"authorizationToken":"***","expiresAt":1,"proxyEndpoint":"https://x"}]}`, undefined],
    [`{"authorizationData":[{"authorizationToken":"${token}","expiresAt":"soon","proxyEndpoint":"https://x"}]}`, undefined],
    [`{"authorizationData":[{"authorizationToken":"${token}","expiresAt":1}]}`, undefined],
  ];
  for (const [body, expected] of rows) {
    const server = await fixedServer(200, body);
    try {
      // The clock of the fixed answers: 12 hours before the first one expires.
      const call = getAuthorizationToken(options({ endpoint: server.url, now: () => FIXED_CLOCK }));
      if (expected === undefined) {
        const error = await expectError(call, EcrError);
        assert.is(error.code, 'INVALID_RESPONSE', body);
        assert.not.match(error.message, 'pw');
      } else {
        assert.is((await call).expiresAt.toISOString(), expected);
      }
    } finally {
      await server.close();
    }
  }
});

it('reads namespaced __type codes and Message, deciding by code rather than status', async ({ options }) => {
  const server = await fixedServer(
    500,
    '{"__type":"com.amazon.coral.service#AccessDeniedException:http://internal.amazon.com/","Message":"User: x is not authorized"}',
  );
  try {
    const error = await expectError(getAuthorizationToken(options({ endpoint: server.url })), AwsServiceError);
    assert.equal(
      [error.code, error.serviceMessage, error.httpStatus, error.requestId, error.attempts],
      ['AccessDeniedException', 'User: x is not authorized', 500, 'req-fixed', 1],
    );
  } finally {
    await server.close();
  }
});

it('a proxyEndpoint must be an ECR host of the region asked for, or the alias in use; a dual-stack or FIPS host of that region is one', async ({
  emulator,
  options,
}) => {
  const accepted = ['https://210987654321.dkr-ecr.us-east-1.on.aws', 'https://210987654321.dkr.ecr-fips.us-east-1.amazonaws.com/'];
  for (const endpoint of accepted) {
    emulator.setFaults({ proxyEndpoint: endpoint });
    const token = await getAuthorizationToken(options());
    assert.is(token.registryHost, endpoint.replace(/^https:\/\//, '').replace(/\/$/, ''));
  }
  emulator.setFaults({ proxyEndpoint: 'https://127.0.0.1:5000' });
  const refused = await expectError(getAuthorizationToken(options()), EcrError);
  assert.is(refused.code, 'TOKEN_INVALID');
  assert.match(refused.message, /"https:\/\/127\.0\.0\.1:5000" is not an ECR registry in us-east-1 \(partition aws\)/);
  const aliased = await getAuthorizationToken(options({ registryAlias: '127.0.0.1:5000' }));
  assert.is(aliased.registryHost, '127.0.0.1:5000');
  assert.not.match(refused.message, PASSWORD);
});

it('an expired token, one that expires within MIN_TOKEN_VALIDITY_MS, and an empty password are refused', async ({ options }) => {
  const rows: Array<[Partial<Parameters<typeof startEcrEmulator>[0]>, string, RegExp]> = [
    [{ tokenLifetimeSeconds: -1 }, 'TOKEN_EXPIRED', /expired \d+ s ago/],
    [{ tokenLifetimeSeconds: MIN_TOKEN_VALIDITY_MS / 1000 - 1 }, 'TOKEN_EXPIRED', /expires in \d+ s/],
    [{ password: '' }, 'TOKEN_INVALID', /empty password/],
  ];
  for (const [emulatorOptions, code, message] of rows) {
    const emu = await startEcrEmulator({ credentials: [KEY], password: PASSWORD, ...emulatorOptions });
    try {
      const error = await expectError(getAuthorizationToken(options({ endpoint: emu.url })), EcrError);
      assert.is(error.code, code);
      assert.match(error.message, message);
    } finally {
      await emu.close();
    }
  }
  // Just past the limit is still a token.
  const emu = await startEcrEmulator({ credentials: [KEY], password: PASSWORD, tokenLifetimeSeconds: MIN_TOKEN_VALIDITY_MS / 1000 + 60 });
  try {
    assert.is((await getAuthorizationToken(options({ endpoint: emu.url }))).password, PASSWORD);
  } finally {
    await emu.close();
  }
});

const peer = suite<Context>('@aws-sdk/client-ecr against the emulator');
peer.before.each(async (context) => setup(context, [KEY, TEMP]));
peer.after.each(async (context) => {
  await context.emulator.close();
  await rm(context.home, { recursive: true, force: true });
});

peer('gets the same token as our client, for static and temporary credentials', async ({ emulator, options }) => {
  await emulator.close();
  // A password derived from the caller, so that only a request the emulator authenticated as that caller gets it.
  const emu = await startEcrEmulator({ credentials: [KEY, TEMP], tokenFor: ({ accessKeyId }) => `pw-for-${accessKeyId}:x` });
  try {
    for (const credentials of [KEY, TEMP]) {
      const sdk = new ECRClient({ region: 'us-west-2', endpoint: emu.url, credentials, maxAttempts: 1 });
      try {
        const theirs = await sdk.send(new GetAuthorizationTokenCommand({}));
        const ours = await getAuthorizationToken(options({ region: 'us-west-2', endpoint: emu.url, credentials }));
        const data = theirs.authorizationData?.[0];
        const [user, ...rest] = Buffer.from(data?.authorizationToken ?? '', 'base64')
          .toString('utf8')
          .split(':');
        assert.is(user, ours.username);
        assert.is(rest.join(':'), ours.password);
        assert.is(ours.password, `pw-for-${credentials.accessKeyId}:x`);
        assert.is(data?.proxyEndpoint, ours.proxyEndpoint);
        assert.ok(Math.abs((data?.expiresAt?.getTime() ?? 0) - ours.expiresAt.getTime()) < 5_000);
      } finally {
        sdk.destroy();
      }
    }
  } finally {
    await emu.close();
  }
});

peer('reads the emulator’s errors as AWS errors, and retries its throttling', async ({ emulator }) => {
  const sdk = new ECRClient({
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'unknown-secret-1234567' },
    maxAttempts: 3,
  });
  try {
    try {
      await sdk.send(new GetAuthorizationTokenCommand({}));
      assert.unreachable('expected UnrecognizedClientException');
    } catch (error) {
      const e = error as { name: string; message: string; $metadata: { httpStatusCode: number; requestId: string; attempts: number } };
      assert.is(e.name, 'UnrecognizedClientException');
      assert.is(e.message, 'The security token included in the request is invalid.');
      assert.is(e.$metadata.httpStatusCode, 400);
      assert.match(e.$metadata.requestId, /^[0-9a-f-]{36}$/);
      assert.is(e.$metadata.attempts, 1);
    }
  } finally {
    sdk.destroy();
  }
  emulator.resetCalls();
  emulator.setFaults({ throttleFirst: 1 });
  const good = new ECRClient({ region: 'us-east-1', endpoint: emulator.url, credentials: KEY, maxAttempts: 3 });
  try {
    const out = await good.send(new GetAuthorizationTokenCommand({}));
    assert.is(out.$metadata.attempts, 2);
    assert.equal(
      emulator.calls.map((c) => c.outcome),
      ['ThrottlingException', 'ok'],
    );
  } finally {
    good.destroy();
  }
});

it.run();
peer.run();
