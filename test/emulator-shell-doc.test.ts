// docs/emulator.md's shell route runs as written: the emulator started as the guide starts it prints exactly the
// text the guide shows; the client block (glassbox, then the AWS CLI v2 as `aws`) gets passwords and the
// emulator logs each call as the guide shows; the script block reads the endpoint and stops the emulator with
// exit status 0. The guide's port 5055 becomes a free one.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { glassboxBin } from '../packages/cli/test/run-bin.ts';
import { startEmulatorProcess } from '../packages/cli/test/support/emulator-process.ts';
import { freePort } from './support/free-port.ts';
import { suiteNeeding } from './support/system-programs.ts';
import { repoRoot } from './vectors.ts';

const markdown = readFileSync(join(repoRoot, 'docs', 'emulator.md'), 'utf8');
const section = markdown.slice(markdown.indexOf('## From a shell'), markdown.indexOf('## What it checks'));
const blocks = (language: string): string[] =>
  [...section.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);

function bash(script: string, env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Its own process group, killed whole: a hung block cannot leave the emulator running.
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'glassbox-emulator-doc-'));
const bin = join(root, 'bin');
const home = join(root, 'home');
mkdirSync(bin);
mkdirSync(home);
writeFileSync(join(bin, 'glassbox'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(glassboxBin)} "$@"\n`);
chmodSync(join(bin, 'glassbox'), 0o755);
// `aws` is Debian's AWS CLI v2, whatever else (a pyenv shim) is on this machine's PATH.
symlinkSync('/usr/bin/aws', join(bin, 'aws'));
const env = {
  PATH: `${bin}:/usr/bin:/bin`,
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
  NO_PROXY: '127.0.0.1',
};

const test = suiteNeeding('docs/emulator.md: the shell route', ['aws']);
test.after(() => rmSync(root, { recursive: true, force: true }));

test('the section has the start command, its output, the client block, the log and the script', () => {
  assert.is(blocks('sh').length, 3);
  assert.is(blocks('text').length, 2);
  assert.is(blocks('sh')[0], 'glassbox emulator --port 5055 --region us-east-1\n');
});

test('started as shown, it prints the text shown; the client block gets passwords from both CLIs; the log reads as shown', async () => {
  const port = await freePort();
  const withPort = (text: string): string => text.replaceAll('5055', String(port));
  const args = withPort(blocks('sh')[0]!).trim().split(' ').slice(2);
  const emulator = startEmulatorProcess(args, env);
  try {
    await emulator.waitFor('stdout', /--endpoint-url .*\n/);
    assert.is(emulator.stdout(), withPort(blocks('text')[0]!));

    const client = await bash(withPort(blocks('sh')[1]!), env, root);
    assert.is(client.code, 0, client.stderr);
    const passwords = client.stdout.split('\n').filter(Boolean);
    assert.is(passwords.length, 2, client.stdout);
    // The default password: base64 of an ECR-shaped JSON envelope, fresh per call.
    for (const password of passwords)
      assert.is((JSON.parse(Buffer.from(password, 'base64').toString('utf8')) as { issuer: string }).issuer, 'glassbox-emulator');
    assert.is.not(passwords[0], passwords[1]);

    await emulator.waitFor('stderr', /#2 .*\n/);
    // The log as the guide shows it, times aside; the guide's second call is the wrong-secret one, ours is ok.
    const shown = blocks('text')[1]!.split('\n')[0]!;
    const logged = emulator.stderr().split('\n')[0]!;
    assert.is(logged.replace(/^\d\d:\d\d:\d\d /, ''), shown.replace(/^\d\d:\d\d:\d\d /, ''));
    assert.match(emulator.stderr(), /#2 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: signature ok/);
    assert.is(await emulator.stop('SIGINT'), 0);
    assert.match(emulator.stderr(), /SIGINT: stopped after 2 calls \(2 served\)\.\n$/);
  } finally {
    await emulator.stop('SIGKILL');
  }
});

test('the script block reads the endpoint, gets the password and stops the emulator with status 0', async () => {
  const run = await bash(blocks('sh')[2]!, env, root);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, 'made-up-password\n');
  assert.match(
    readFileSync(join(root, 'emulator.json'), 'utf8'),
    /^\{"endpoint":"http:\/\/127\.0\.0\.1:\d+","port":\d+,"region":null,"registryId":"123456789012","accessKeyId":"AKIAIOSFODNN7EXAMPLE"\}\n$/,
  );
  assert.match(run.stderr, /#1 GetAuthorizationToken AKIAIOSFODNN7EXAMPLE: signature ok/);
  assert.match(run.stderr, /SIGTERM: stopped after 1 call \(1 served\)/);
});

test.run();
