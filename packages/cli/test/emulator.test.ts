// `glassbox emulator` from a shell: started as a real process (the built bin), driven by `glassbox ecr
// get-login-password` and by the AWS CLI v2 (/usr/bin/aws, Debian's awscli), stopped by a signal.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import { cleanEnv, runGlassbox, tempDir, type RunResult } from './run-bin.ts';
import { startEmulatorProcess, type EmulatorProcess } from './support/emulator-process.ts';

// The AWS documentation's example pair, which the emulator accepts by default (written out here, not imported
// from the CLI: the test states the contract).
const EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const PASSWORD = 'emulator-cli-test-password-4e1c9a77';
const home = tempDir();
const baseEnv = cleanEnv(home.path);
const clientEnv = (endpoint: string, secret = EXAMPLE.secretAccessKey): Record<string, string> => ({
  ...baseEnv,
  AWS_ACCESS_KEY_ID: EXAMPLE.accessKeyId,
  AWS_SECRET_ACCESS_KEY: secret,
  AWS_ENDPOINT_URL_ECR: endpoint,
});

interface Started {
  emulator: EmulatorProcess;
  endpoint: string;
  info: Record<string, unknown>;
}

/** Starts `glassbox emulator --port 0 --json ARGS` and reads its one JSON line. */
async function startJson(
  args: string[] = [],
  env: Record<string, string> = { ...baseEnv, GLASSBOX_EMULATOR_PASSWORD: PASSWORD },
): Promise<Started> {
  const emulator = startEmulatorProcess(['--port', '0', '--json', ...args], env);
  const line = (await emulator.waitFor('stdout', /^(\{.*\})\n/))[1]!;
  const info = JSON.parse(line) as Record<string, unknown>;
  return { emulator, endpoint: String(info['endpoint']), info };
}

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

const running = new Set<EmulatorProcess>();
const test = suite('glassbox emulator');
test.after.each(async () => {
  for (const emulator of running) await emulator.stop('SIGKILL');
  running.clear();
});
test.after(() => home.remove());

test('--json prints one line: endpoint, port, region, registryId, accessKeyId', async () => {
  const { emulator, endpoint, info } = await startJson(['--registry-id', '210987654321', '--region', 'eu-west-1']);
  running.add(emulator);
  assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info, {
    endpoint,
    port: Number(endpoint.split(':')[2]),
    region: 'eu-west-1',
    registryId: '210987654321',
    accessKeyId: EXAMPLE.accessKeyId,
  });
  assert.is(emulator.stdout().split('\n').length, 2, 'exactly one line');
});

test('glassbox ecr get-login-password gets the password; the log shows a verified call; SIGTERM exits 0', async () => {
  const { emulator, endpoint } = await startJson();
  running.add(emulator);
  const login = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], { env: clientEnv(endpoint) });
  assert.is(login.code, 0, login.stderr);
  assert.is(login.stdout, `${PASSWORD}\n`);
  await emulator.waitFor('stderr', /#1 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: signature ok, token issued \(HTTP 200\)/);

  const wrong = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], {
    env: clientEnv(endpoint, 'not-the-example-secret-000000000000000000'),
  });
  assert.is(wrong.code, 3);
  await emulator.waitFor(
    'stderr',
    /#2 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: InvalidSignatureException \(HTTP 400\): The request signature we calculated does not match the signature you provided\.\n/,
  );

  assert.is(await emulator.stop('SIGTERM'), 0);
  assert.match(emulator.stderr(), /SIGTERM: stopped after 2 calls \(1 served\)\.\n$/);
  assert.not.ok((emulator.stdout() + emulator.stderr()).includes(PASSWORD), 'the password is never printed');
  assert.not.ok((emulator.stdout() + emulator.stderr()).includes(EXAMPLE.secretAccessKey));
});

test('SIGINT (Ctrl-C) also closes it cleanly with exit 0', async () => {
  const { emulator } = await startJson();
  running.add(emulator);
  assert.is(await emulator.stop('SIGINT'), 0);
  assert.match(emulator.stderr(), /SIGINT: stopped after 0 calls/);
});

test('without --json it prints the AWS_ENDPOINT_URL_ECR line and a ready export line, uncoloured when piped', async () => {
  const held = await holdPort();
  const port = held.port;
  await new Promise<void>((resolve) => held.server.close(() => resolve()));
  const emulator = startEmulatorProcess(['--port', String(port), '--region', 'us-east-1', '--password', PASSWORD], baseEnv);
  running.add(emulator);
  await emulator.waitFor('stdout', /--endpoint-url .*\n/);
  const out = emulator.stdout();
  assert.match(out, new RegExp(`^AWS_ENDPOINT_URL_ECR=http://127\\.0\\.0\\.1:${port}$`, 'm'));
  assert.match(out, new RegExp(`^  export AWS_ENDPOINT_URL_ECR=http://127\\.0\\.0\\.1:${port}$`, 'm'));
  assert.match(out, new RegExp(`aws ecr get-login-password --region us-east-1 --endpoint-url http://127\\.0\\.0\\.1:${port}$`, 'm'));
  assert.match(out, /access key AKIAIOSFODNN7EXAMPLE/);
  assert.not.ok(out.includes('\x1b['), 'no colour on a pipe');
  assert.not.ok(out.includes(PASSWORD), '--password is never printed');
  assert.is(await emulator.stop(), 0);
});

test('fault flags reach the emulator: --throttle-first 1 is logged as an injected fault, then the retry is served', async () => {
  const { emulator, endpoint } = await startJson(['--throttle-first', '1']);
  running.add(emulator);
  const login = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], { env: clientEnv(endpoint) });
  assert.is(login.code, 0, login.stderr);
  await emulator.waitFor('stderr', /#2 GetAuthorizationToken .*signature ok/);
  assert.match(
    emulator.stderr(),
    /#1 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: ThrottlingException \(injected fault, signature not checked, HTTP 400\): Rate exceeded/,
  );
});

test('--access-key-id takes its secret from GLASSBOX_EMULATOR_SECRET_ACCESS_KEY, never from a flag', async () => {
  const key = { accessKeyId: 'AKIDEMULATORCLITEST1', secretAccessKey: 'emulator-cli-own-secret-00000000000000000' };
  const refused = await runGlassbox(['emulator', '--access-key-id', key.accessKeyId], { env: baseEnv });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /--access-key-id needs its secret in GLASSBOX_EMULATOR_SECRET_ACCESS_KEY/);
  const { emulator, endpoint } = await startJson(['--access-key-id', key.accessKeyId], {
    ...baseEnv,
    GLASSBOX_EMULATOR_PASSWORD: PASSWORD,
    GLASSBOX_EMULATOR_SECRET_ACCESS_KEY: key.secretAccessKey,
  });
  running.add(emulator);
  const env = { ...clientEnv(endpoint), AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey };
  const login = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], { env });
  assert.is(login.stdout, `${PASSWORD}\n`, login.stderr);
  assert.not.ok(emulator.stderr().includes(key.secretAccessKey));
});

test('emulator --help has examples, its environment variables and the exit codes; glassbox --help lists it', async () => {
  const run = await runGlassbox(['emulator', '--help'], { env: baseEnv });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /Examples?:\n {2}\$ glassbox emulator /);
  for (const name of [
    'GLASSBOX_EMULATOR_PASSWORD',
    'GLASSBOX_EMULATOR_SECRET_ACCESS_KEY',
    'GLASSBOX_EMULATOR_SESSION_TOKEN',
    '2  usage error',
  ])
    assert.ok(run.stdout.includes(name), name);
  assert.not.ok(run.stdout.includes(EXAMPLE.secretAccessKey), 'help names where the secret is, not the secret');
  const top = await runGlassbox(['--help'], { env: baseEnv });
  assert.match(top.stdout, /^ {2}emulator\b/m);
});

test('GLASSBOX_EMULATOR_SESSION_TOKEN: calls must carry it; --access-denied and --expired-token answer as AWS does', async () => {
  const token = 'emulator-cli-session-token-000000000000000000000000';
  const { emulator, endpoint } = await startJson([], {
    ...baseEnv,
    GLASSBOX_EMULATOR_PASSWORD: PASSWORD,
    GLASSBOX_EMULATOR_SESSION_TOKEN: token,
  });
  running.add(emulator);
  const without = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], { env: clientEnv(endpoint) });
  assert.is(without.code, 3);
  await emulator.waitFor(
    'stderr',
    /#1 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: UnrecognizedClientException \(HTTP 400\): The security token included in the request is invalid\.\n/,
  );
  const withToken = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], {
    env: { ...clientEnv(endpoint), AWS_SESSION_TOKEN: token },
  });
  assert.is(withToken.stdout, `${PASSWORD}\n`, withToken.stderr);
  assert.not.ok(emulator.stderr().includes(token), 'the session token is never printed');

  for (const [flag, code] of [
    ['--access-denied', 'AccessDeniedException'],
    ['--expired-token', 'ExpiredTokenException'],
  ] as const) {
    const faulty = await startJson([flag]);
    running.add(faulty.emulator);
    const run = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], { env: clientEnv(faulty.endpoint) });
    assert.is(run.code, 3, flag);
    await faulty.emulator.waitFor('stderr', new RegExp(`#1 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: ${code} \\(HTTP 400\\)`));
  }
});

test('the log is coloured only when asked (FORCE_COLOR) and never with NO_COLOR', async () => {
  for (const [extra, coloured] of [
    [{ FORCE_COLOR: '1' }, true],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    [{}, false],
  ] as const) {
    const { emulator, endpoint } = await startJson([], { ...baseEnv, GLASSBOX_EMULATOR_PASSWORD: PASSWORD, ...extra });
    running.add(emulator);
    await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], { env: clientEnv(endpoint) });
    await emulator.waitFor('stderr', /#1 /);
    assert.is(emulator.stderr().includes('\x1b[32msignature ok'), coloured, JSON.stringify(extra));
    assert.is(emulator.stderr().includes('\x1b['), coloured, JSON.stringify(extra));
    await emulator.stop('SIGKILL');
  }
});

/** Runs `glassbox emulator ARGS`, which must refuse them (it exits at once). */
function refusal(args: string[]): Promise<RunResult> {
  return runGlassbox(['emulator', ...args], { env: baseEnv });
}

test('--host other than 127.0.0.1 is a usage error (exit 2) that says why', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost']) {
    const run = await refusal(['--host', host]);
    assert.is(run.code, 2, host);
    assert.match(run.stderr, `--host '${host}' is refused: the emulator listens only on 127.0.0.1`);
    assert.is(run.stdout, '');
  }
});

test('bad values are usage errors naming their flag', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--port', '70000'], /--port <port>.*expected a port from 0 to 65535/],
    [['--port', 'http'], /--port <port>/],
    [['--registry-id', '1234'], /--registry-id '1234' must be a 12-digit AWS account ID/],
    [['--region', 'mars-1'], /--region 'mars-1' is not a region name/],
    [['--fail-status', '404'], /--fail-status <status>.*500 to 599/],
    [['--throttle-first', '-1'], /--throttle-first <n>/],
  ];
  for (const [args, pattern] of cases) {
    const run = await refusal(args);
    assert.is(run.code, 2, args.join(' '));
    assert.match(run.stderr, pattern);
  }
});

test('a --port in use is exit 2, naming --port and what to do', async () => {
  const held = await holdPort();
  try {
    const run = await refusal(['--port', String(held.port)]);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, `--port ${held.port}: 127.0.0.1:${held.port} is in use; choose another --port, or --port 0 for any free one.`);
  } finally {
    await new Promise<void>((resolve) => held.server.close(() => resolve()));
  }
});

test.run();

// Debian's /usr/bin/aws, named by path: on a developer machine `aws` on PATH may be a pyenv shim or another version.
const AWS_CLI = '/usr/bin/aws';
const aws = suiteNeeding('aws cli against glassbox emulator', ['aws']);
aws.after.each(async () => {
  for (const emulator of running) await emulator.stop('SIGKILL');
  running.clear();
});

/** Runs the AWS CLI with only `env` (no ~/.aws of this machine), killed after 60 s. */
function runAws(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(AWS_CLI, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, stdoutBytes: Buffer.from(stdout) });
    });
  });
}

aws("aws ecr get-login-password --endpoint-url gets the emulator's password, and the log shows the verified call", async () => {
  const { emulator, endpoint } = await startJson(['--region', 'us-east-1']);
  running.add(emulator);
  const env = {
    ...clientEnv(endpoint),
    AWS_PAGER: '',
    AWS_CONFIG_FILE: join(home.path, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home.path, 'aws-credentials'),
  };
  // --endpoint-url works with every AWS CLI v2; AWS_ENDPOINT_URL_ECR only from 2.13 (Debian 12 has 2.9).
  const run = await runAws(['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', endpoint], env);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, `${PASSWORD}\n`);
  await emulator.waitFor('stderr', /#1 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: signature ok, token issued \(HTTP 200\)/);

  const wrong = await runAws(['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', endpoint], {
    ...env,
    AWS_SECRET_ACCESS_KEY: 'not-the-example-secret-000000000000000000',
  });
  assert.is.not(wrong.code, 0);
  assert.match(wrong.stderr, /InvalidSignatureException/);
  await emulator.waitFor('stderr', /#2 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: InvalidSignatureException/);
  assert.is(await emulator.stop('SIGTERM'), 0);
});

aws.run();
