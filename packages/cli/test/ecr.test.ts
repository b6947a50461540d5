import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EcrEmulator } from '@glassbox/ecr/emulator';
import { cleanEnv, runGlassbox } from './run-bin.ts';
import { startEcrSetup, stopEcrSetup, type EcrSetup } from './support/ecr-emulator.ts';

const keys = { accessKeyId: 'AKIAECRCLITEST000001', secretAccessKey: 'ecr-cli-test-secret-000000000000000000000' };
const PASSWORD = 'eyJwYXlsb2FkIjoiZW11bGF0ZWQifQ==-registry-password';
const test = suite('glassbox ecr against the local ECR emulator');
let emulator: EcrEmulator;
let home: EcrSetup['home'];
let env: Record<string, string>;

test.before.each(async () => {
  ({ emulator, home, env } = await startEcrSetup(keys, PASSWORD));
});
test.after.each(() => stopEcrSetup({ emulator, home }));

test('get-login-password prints exactly the password and a newline', async () => {
  const run = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', emulator.url], { env });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, `${PASSWORD}\n`);
  assert.is(run.stderr, '');
  assert.is(emulator.served, 1);
});

test('get-login-password takes the region from a profile in the shared config file', async () => {
  writeFileSync(join(home.path, 'aws-config'), '[profile dev]\nregion = eu-central-1\n');
  writeFileSync(
    join(home.path, 'aws-credentials'),
    `[dev]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
  );
  const run = await runGlassbox(['ecr', 'get-login-password', '--profile', 'dev', '--endpoint-url', emulator.url], {
    env: cleanEnv(home.path),
  });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, `${PASSWORD}\n`);
});

test('login writes config.json (0600) for the proxyEndpoint host and prints Login Succeeded', async () => {
  const run = await runGlassbox(['ecr', 'login', '--region', 'us-east-1', '--endpoint-url', emulator.url], { env });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, 'Login Succeeded\n');
  const file = join(home.path, 'docker', 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(Object.keys(config.auths), ['123456789012.dkr.ecr.us-east-1.amazonaws.com']);
  assert.is(Buffer.from(config.auths['123456789012.dkr.ecr.us-east-1.amazonaws.com'].auth, 'base64').toString(), `AWS:${PASSWORD}`);
  assert.is(statSync(file).mode & 0o777, 0o600);
});

test('login --registry --docker-config writes that host in that folder; --json reports it', async () => {
  const dir = join(home.path, 'elsewhere');
  // A host that is not ECR's is written only as a declared alias (a bare one is refused: see ecr-refusals.test.ts).
  const aliased = { ...env, GLASSBOX_REGISTRY_ALIASES: '127.0.0.1:5000=123456789012.dkr.ecr.us-east-1.amazonaws.com' };
  const run = await runGlassbox(
    [
      'ecr',
      'login',
      '--region',
      'us-east-1',
      '--endpoint-url',
      emulator.url,
      '--registry',
      '127.0.0.1:5000',
      '--docker-config',
      dir,
      '--json',
    ],
    { env: aliased },
  );
  assert.is(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.is(report.registry, '127.0.0.1:5000');
  assert.is(report.configFile, join(dir, 'config.json'));
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.is(Buffer.from(config.auths['127.0.0.1:5000'].auth, 'base64').toString(), `AWS:${PASSWORD}`);
});

test('login warns when a credsStore would hide the entry from Docker, and says what to do', async () => {
  mkdirSync(join(home.path, 'docker'));
  writeFileSync(join(home.path, 'docker', 'config.json'), JSON.stringify({ credsStore: 'desktop', auths: {} }));
  const run = await runGlassbox(['ecr', 'login', '--region', 'us-east-1', '--endpoint-url', emulator.url], { env });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, 'Login Succeeded\n');
  assert.match(run.stderr, /warning:/);
  assert.match(run.stderr, /glassbox ecr configure-helper --registry 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com/);
  assert.is(JSON.parse(readFileSync(join(home.path, 'docker', 'config.json'), 'utf8')).credsStore, 'desktop', 'other keys kept');
});

test('configure-helper adds credHelpers entries naming glassbox', async () => {
  const run = await runGlassbox(
    ['ecr', 'configure-helper', '--registry', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', '--registry', 'public.ecr.aws'],
    { env },
  );
  assert.is(run.code, 0, run.stderr);
  const config = JSON.parse(readFileSync(join(home.path, 'docker', 'config.json'), 'utf8'));
  assert.equal(config.credHelpers, { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'glassbox', 'public.ecr.aws': 'glassbox' });
  const none = await runGlassbox(['ecr', 'configure-helper'], { env });
  assert.is(none.code, 2);
});

test('--public gets an ECR Public token and login writes public.ecr.aws', async () => {
  const password = await runGlassbox(['ecr', 'get-login-password', '--public', '--endpoint-url', emulator.url], { env });
  assert.is(password.code, 0, password.stderr);
  assert.is(password.stdout, `${PASSWORD}\n`);
  const login = await runGlassbox(['ecr', 'login', '--public', '--endpoint-url', emulator.url], { env });
  assert.is(login.code, 0, login.stderr);
  const config = JSON.parse(readFileSync(join(home.path, 'docker', 'config.json'), 'utf8'));
  assert.is(Buffer.from(config.auths['public.ecr.aws'].auth, 'base64').toString(), `AWS:${PASSWORD}`);
});

test('--debug shows the call on stderr (source, canonical request, attempts) but never the password', async () => {
  const run = await runGlassbox(['--debug', 'ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', emulator.url], { env });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, `${PASSWORD}\n`);
  assert.match(run.stderr, /^credentials: environment/m);
  assert.match(run.stderr, /^x-amz-target:AmazonEC2ContainerRegistry_V20150921\.GetAuthorizationToken$/m);
  assert.match(run.stderr, /^attempt 1: POST http:\/\/127\.0\.0\.1:\d+\/ → HTTP 200 in \d+ ms/m);
  assert.not.ok(run.stderr.includes(PASSWORD));
});

test('unknown credentials are an AWS error (exit 3) with the service code', async () => {
  const run = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', emulator.url], {
    env: { ...env, AWS_ACCESS_KEY_ID: 'AKIANOBODY0000000000' },
  });
  assert.is(run.code, 3, run.stderr);
  assert.match(run.stderr, /UnrecognizedClientException/);
  assert.is(run.stdout, '');
});

test('no credentials anywhere: exit 3', async () => {
  const run = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', emulator.url], {
    env: cleanEnv(home.path),
  });
  assert.is(run.code, 3, run.stderr);
  assert.match(run.stderr, /credential/i);
});

test('a bad region is a usage error (exit 2); a dead endpoint is a network error (exit 4)', async () => {
  const bad = await runGlassbox(['ecr', 'get-login-password', '--region', 'us_east_1', '--endpoint-url', emulator.url], { env });
  assert.is(bad.code, 2, bad.stderr);
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const dead = await runGlassbox(['ecr', 'login', '--region', 'us-east-1', '--endpoint-url', `http://127.0.0.1:${port}`], { env });
  assert.is(dead.code, 4, dead.stderr);
});
test.run();
