// A closed stdout (`| head`) ends glassbox quietly with the status it would have had; a full one
// (`> /dev/full`) with one line on stderr and exit 5. Real pipes and a real device, with the built
// CLI. EPIPE depends on timing (whether the reader left before the last write), so each case runs
// several times.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, glassboxBin, repoRoot, runGlassbox, tempDir } from './run-bin.ts';
import { startSigningServer, type SigningServer } from './support/signing-server.ts';

const keys = { accessKeyId: 'AKIAPIPETEST00000001', secretAccessKey: 'pipe-test-secret-key-000000000000000001' };
const home = tempDir();
const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
const scope = ['--region', 'us-east-1', '--service', 's3'];
const ROUNDS = 6;
let server: SigningServer;

interface Ended {
  code: number | null;
  stderr: string;
}

/** Runs glassbox with stdout on a pipe whose read end this process closes after the first chunk. */
function runClosingEarly(args: readonly string[]): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [glassboxBin, ...args], { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** `glassbox ARGS | head -c N` in bash: glassbox's own status (PIPESTATUS) and what head printed. */
function runIntoHead(args: readonly string[], bytes: number): Promise<Ended & { headOut: string }> {
  const quoted = [process.execPath, glassboxBin, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const shell = spawn('bash', ['-c', `${quoted} | head -c ${bytes}; echo "status=\${PIPESTATUS[0]}" >&2`], {
      env,
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let headOut = '';
    shell.stdout.setEncoding('latin1').on('data', (chunk: string) => (headOut += chunk));
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    shell.on('error', reject);
    shell.on('close', () => {
      const status = /status=(\d+)\n$/.exec(stderr);
      resolve({ code: status ? Number(status[1]) : null, stderr: stderr.replace(/status=\d+\n$/, ''), headOut });
    });
  });
}

/** Runs glassbox with stdout on /dev/full. */
function runIntoFullDevice(args: readonly string[]): Promise<Ended> {
  const full = openSync('/dev/full', 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [glassboxBin, ...args], { env, cwd: repoRoot, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const quiet = (stderr: string, what: string): void => {
  assert.not.match(stderr, /^\s+at /m, `${what}: no stack trace`);
  assert.not.match(stderr, /This is a bug|EPIPE|Unhandled|uncaught/i, `${what}: ${stderr}`);
};

const test = suite('a closed or full stdout');
test.before(async () => {
  server = await startSigningServer(keys);
});
test.after(async () => {
  await server.close();
  home.remove();
});

test('sign --help with the reader gone after the first chunk: exit 0, nothing on stderr', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const run = await runClosingEarly(['sign', '--help']);
    assert.is(run.code, 0, `round ${round}: ${run.stderr}`);
    assert.is(run.stderr, '', `round ${round}`);
  }
});

test('glassbox sign --help | head -1 (a real head): exit 0, quiet', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const run = await runIntoHead(['sign', '--help'], 40);
    assert.is(run.code, 0, `round ${round}: ${run.stderr}`);
    assert.is(run.headOut, 'Usage: glassbox sign [options] [url]\n\nSig'.slice(0, 40));
    quiet(run.stderr, `round ${round}`);
  }
});

test('demo with the reader gone: the status an uncut run has, quiet', async () => {
  const uncut = await runGlassbox(['demo'], { env });
  assert.is(uncut.code, 0, uncut.stderr);
  for (let round = 0; round < ROUNDS; round++) {
    const run = await runClosingEarly(['demo']);
    assert.is(run.code, uncut.code, `round ${round}: ${run.stderr}`);
    quiet(run.stderr, `round ${round}`);
  }
});

test('sign --send of a 1 MiB body | head -c 10: exit 0 for a 200 and 3 for a 404, quiet', async () => {
  const body = randomBytes(1024 * 1024);
  for (const [status, expected] of [
    [200, 0],
    [404, 3],
  ] as const) {
    server.answer = { status, body };
    for (let round = 0; round < ROUNDS; round++) {
      const run = await runIntoHead(['sign', '--send', ...scope, `${server.url}/big`], 10);
      assert.is(run.code, expected, `HTTP ${status}, round ${round}: ${run.stderr}`);
      assert.is(run.headOut.length, 10);
      assert.ok(run.headOut.startsWith(`HTTP ${status}\n`), run.headOut);
      quiet(run.stderr, `HTTP ${status}, round ${round}`);
    }
  }
});

test('stdout on /dev/full: exit 5 and one line naming ENOSPC (help and demo)', async () => {
  for (const args of [['sign', '--help'], ['demo'], ['--version']]) {
    const run = await runIntoFullDevice(args);
    assert.is(run.code, 5, `${args.join(' ')}: ${run.stderr}`);
    assert.is(run.stderr, 'error: cannot write to standard output: no space left on the device (ENOSPC)\n', args.join(' '));
  }
});
test.run();
