// The README's commands, run as printed: the quick start stays two commands, the from-a-clone install
// puts both bins on PATH (into a temporary npm prefix, offline: a link to this checkout needs no
// registry), and the offline examples sign and verify the official suite's first case with its keys.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findProgram } from './support/system-programs.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const test = suite('the README, run as printed');
const prefix = mkdtempSync(join(tmpdir(), 'glassbox-readme-'));
const bin = join(prefix, 'bin');

/** The shell commands of the ```sh blocks in one README section, continuation lines joined, comments dropped. */
function commandsIn(section: string): string[] {
  const start = readme.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `the README has a "${section}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const body = readme.slice(start, end < 0 ? undefined : end);
  const commands: string[] = [];
  for (const block of body.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1]!.replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) {
      const command = line.replace(/\s+#\s.*$/, '').trim();
      if (command !== '') commands.push(command);
    }
  }
  return commands;
}

/** Runs a command line with bash in the checkout, the temporary prefix's bin first on PATH. */
function sh(command: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('bash', ['-c', command], {
      cwd: root,
      // No AWS settings from the caller's machine: the README's own variables are the only credentials.
      env: {
        PATH: `${bin}${delimiter}${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        HOME: prefix,
        AWS_EC2_METADATA_DISABLED: 'true',
        npm_config_prefix: prefix,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

test('the quick start is exactly two commands: the demo and the tests', () => {
  assert.equal(commandsIn('Quick start'), ['npm run demo', 'npm test']);
});

test('from a clone, the install line puts glassbox and docker-credential-glassbox on PATH', async () => {
  assert.ok(findProgram('npm'), 'npm (it comes with Node) is on PATH');
  const install = commandsIn('Install').find((command) => command.startsWith('npm install -g ./packages/cli'));
  assert.ok(install, 'the README has the install line');
  // As printed, into a temporary prefix (npm_config_prefix) and without the registry.
  const run = await sh(`${install} --offline --no-audit --no-fund`);
  assert.is(run.code, 0, run.stderr);
  const { version } = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string };
  const glassbox = await sh('glassbox --version');
  assert.is(glassbox.code, 0, glassbox.stderr);
  assert.is(glassbox.stdout, `${version}\n`);
  const helper = await sh('docker-credential-glassbox < /dev/null');
  assert.is(helper.code, 1);
  assert.match(helper.stdout + helper.stderr, /Usage: docker-credential-glassbox <store\|get\|erase\|list\|version>/);
});

test("the examples that need no AWS account run as printed: sign and verify the suite's get-vanilla", async () => {
  const examples = commandsIn('What you can do with it');
  const sign = examples.find((command) => command.includes('glassbox sign --request-file test/vectors/'));
  const verify = examples.find((command) => command.includes('glassbox verify --request-file test/vectors/'));
  assert.ok(sign && verify, 'the README signs and verifies a file of the suite');
  assert.match(sign!, /^AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\/K7MDENG\+bPxRfiCYEXAMPLEKEY /);
  const authz = readFileSync(join(root, 'test/vectors/aws-sig-v4-test-suite/get-vanilla/get-vanilla.authz'), 'utf8').trim();
  const signed = await sh(sign!);
  assert.is(signed.code, 0, signed.stderr);
  assert.ok(signed.stdout.includes(authz), `the trace shows the suite's Authorization:\n${authz}`);
  const verified = await sh(verify!);
  assert.is(verified.code, 0, verified.stderr);
  assert.match(verified.stdout, /^signature OK \(AKIDEXAMPLE, 20150830\/us-east-1\/service\/aws4_request/);
});

test('the uninstall line takes both bins off again', async () => {
  const uninstall = commandsIn('Install').find((command) => command.startsWith('npm uninstall -g'));
  assert.ok(uninstall);
  const run = await sh(`${uninstall} --offline --no-audit --no-fund`);
  assert.is(run.code, 0, run.stderr);
  assert.not.ok(existsSync(join(bin, 'glassbox')));
  assert.not.ok(existsSync(join(bin, 'docker-credential-glassbox')));
});

test.after(() => rmSync(prefix, { recursive: true, force: true }));
test.run();
