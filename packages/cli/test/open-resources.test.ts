// Close what was opened: once a bin has written its answer, no socket to the endpoint is left open and
// nothing (a timer, a handle) still holds the process. Not a timing test: the built bin runs under
// support/report-open-resources.mjs, which lists what is open when the bin's module is done. stdout and
// stderr go to files rather than pipes, so that Node's own stdio handles are not listed.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packageDir } from './run-bin.ts';
import { startEcrSetup, stopEcrSetup, type EcrSetup } from './support/ecr-emulator.ts';

const keys = { accessKeyId: 'AKIAOPENRESOURCES001', secretAccessKey: 'open-resources-test-secret-0000000000000' };
const PASSWORD = 'open-resources-registry-password';
const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const WRAPPER = join(packageDir, 'test', 'support', 'report-open-resources.mjs');
const MARKER = 'glassbox-open-resources:';

interface WrappedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the wrapper found still open when the bin was done. */
  open: { active: string[]; sockets: string[] } | undefined;
}

/** Runs `node BIN ARGS` under the wrapper, stdin from `stdin`, stdout and stderr into files. */
async function runWrapped(
  bin: string,
  args: readonly string[],
  stdin: string,
  setup: EcrSetup,
  env: Record<string, string>,
): Promise<WrappedRun> {
  const path = (name: string): string => join(setup.home.path, name);
  writeFileSync(path('stdin'), stdin);
  const fds = [openSync(path('stdin'), 'r'), openSync(path('stdout'), 'w'), openSync(path('stderr'), 'w')];
  try {
    const child = spawn(process.execPath, [WRAPPER, join(packageDir, 'dist', 'bin', bin), ...args], { env, stdio: fds });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (status) => resolve(status));
    });
    clearTimeout(timer);
    const stderr = readFileSync(path('stderr'), 'utf8');
    const line = stderr.split('\n').find((l) => l.startsWith(MARKER));
    return {
      code,
      stdout: readFileSync(path('stdout'), 'utf8'),
      stderr: stderr
        .split('\n')
        .filter((l) => !l.startsWith(MARKER))
        .join('\n'),
      open: line === undefined ? undefined : (JSON.parse(line.slice(MARKER.length)) as WrappedRun['open']),
    };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

const test = suite<{ setup: EcrSetup }>('nothing stays open once the answer is written', {} as { setup: EcrSetup });
test.before.each(async (context) => {
  context.setup = await startEcrSetup(keys, PASSWORD);
});
test.after.each((context) => stopEcrSetup(context.setup));

test('glassbox ecr get-login-password closes its connection to the endpoint', async ({ setup }) => {
  const run = await runWrapped(
    'glassbox.js',
    ['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', setup.emulator.url],
    '',
    setup,
    setup.env,
  );
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, `${PASSWORD}\n`);
  assert.is(setup.emulator.served, 1);
  assert.equal(run.open, { active: [], sockets: [] });
});

test('glassbox ecr get-login-password after a retried throttle leaves no timer or socket behind', async ({ setup }) => {
  setup.emulator.setFaults({ throttleFirst: 1 });
  const env = { ...setup.env, AWS_MAX_ATTEMPTS: '2' };
  const run = await runWrapped(
    'glassbox.js',
    ['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', setup.emulator.url],
    '',
    setup,
    env,
  );
  assert.is(run.code, 0, run.stderr);
  assert.is(setup.emulator.calls.length, 2);
  assert.equal(run.open, { active: [], sockets: [] });
});

test('docker-credential-glassbox get on a cache miss closes its connection to the endpoint', async ({ setup }) => {
  const env = { ...setup.env, AWS_ENDPOINT_URL_ECR: setup.emulator.url };
  const run = await runWrapped('docker-credential-glassbox.cjs', ['get'], HOST, setup, env);
  assert.is(run.code, 0, run.stderr);
  assert.is((JSON.parse(run.stdout) as { Secret: string }).Secret, PASSWORD);
  assert.is(setup.emulator.served, 1);
  assert.equal(run.open, { active: [], sockets: [] });
});

test.run();
