import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, packageDir, runGlassbox, tempDir } from './run-bin.ts';

const home = tempDir();
const env = cleanEnv(home.path);
const test = suite('glassbox: help, version, typos, colour, --debug');

test('--help lists every command and the exit codes', async () => {
  const run = await runGlassbox(['--help'], { env });
  assert.is(run.code, 0);
  for (const command of ['sign', 'verify', 'diff', 'ecr', 'demo']) assert.match(run.stdout, new RegExp(`^  ${command}\\b`, 'm'));
  for (const line of ['0  success', '1  signature mismatch', '2  usage error', '3  AWS service or credentials error', '4  network error'])
    assert.ok(run.stdout.includes(line), line);
});

for (const command of [
  ['sign'],
  ['verify'],
  ['diff'],
  ['demo'],
  ['ecr'],
  ['ecr', 'get-login-password'],
  ['ecr', 'login'],
  ['ecr', 'configure-helper'],
]) {
  test(`${command.join(' ')} --help has an example and the exit codes`, async () => {
    const run = await runGlassbox([...command, '--help'], { env });
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, /Examples?:\n {2}\$ glassbox /);
    assert.ok(run.stdout.includes('4  network error'));
  });
}

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const run = await runGlassbox(['--version'], { env });
  assert.is(run.code, 0);
  assert.is(run.stdout, `${version}\n`);
});

test('a typo suggests the nearest command and exits 2', async () => {
  const run = await runGlassbox(['veryfi'], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /unknown command 'veryfi'/);
  assert.match(run.stderr, /Did you mean verify\?/);
  const sub = await runGlassbox(['ecr', 'get-login-pasword'], { env });
  assert.is(sub.code, 2);
  assert.match(sub.stderr, /Did you mean get-login-password\?/);
});

test('an option typo suggests the option', async () => {
  const run = await runGlassbox(['sign', '--presing', 'https://s3.amazonaws.com/'], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /Did you mean --presign\?/);
});

test('colour: off when piped, on with FORCE_COLOR, off again with NO_COLOR', async () => {
  const vectorsEnv = { ...env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'colour-test-secret-000000000' };
  const args = ['sign', '--service', 'execute-api', '--region', 'us-east-1', 'https://abc.execute-api.us-east-1.amazonaws.com/'];
  assert.not.match((await runGlassbox(args, { env: vectorsEnv })).stdout, /\x1b\[/);
  assert.match((await runGlassbox(args, { env: { ...vectorsEnv, FORCE_COLOR: '1' } })).stdout, /\x1b\[/);
  assert.not.match((await runGlassbox(args, { env: { ...vectorsEnv, FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout, /\x1b\[/);
});

test('errors are one line without a stack; --debug adds the stack', async () => {
  const plain = await runGlassbox(['sign', '--request-file', 'missing.req'], { env });
  assert.is(plain.code, 2);
  assert.is(plain.stderr.trim().split('\n').length, 1, plain.stderr);
  const debug = await runGlassbox(['--debug', 'sign', '--request-file', 'missing.req'], { env });
  assert.is(debug.code, 2);
  assert.match(debug.stderr, /^\s+at /m);
  const after = await runGlassbox(['sign', '--request-file', 'missing.req', '--debug'], { env });
  assert.match(after.stderr, /^\s+at /m, '--debug also works after the command');
});

test('no command prints help on stderr and exits 2', async () => {
  const run = await runGlassbox([], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /Usage: glassbox/);
});
test.after(() => home.remove());
test.run();
