// Scripts: `--output json|text` beside every --json (as the AWS CLI spells it), and a presigned URL alone
// on stdout with `sign --presign --url-only` / `-q`, so `url=$(glassbox sign --presign --url-only …)` works.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { suiteParameters } from '../../../test/vectors.ts';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const home = tempDir();
const env = cleanEnv(home.path, {
  AWS_ACCESS_KEY_ID: suiteParameters.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: suiteParameters.credentials.secretAccessKey,
});
const url = 'https://abc.execute-api.us-west-2.amazonaws.com/prod/items?b=2&a=1';
const fixed = ['--service', 'execute-api', '--region', 'us-west-2', '--date', '2024-01-02T03:04:05Z'];

test('--output json prints what --json prints, byte for byte', async () => {
  const json = await runGlassbox(['sign', ...fixed, '--json', url], { env });
  const output = await runGlassbox(['sign', ...fixed, '--output', 'json', url], { env });
  assert.is(json.code, 0, json.stderr);
  assert.is(output.code, 0, output.stderr);
  assert.is(output.stdout, json.stdout);
  assert.is(JSON.parse(output.stdout).credentialScope, '20240102/us-west-2/execute-api/aws4_request');
});

test('--output text prints the usual trace', async () => {
  const text = await runGlassbox(['sign', ...fixed, '--output', 'text', url], { env });
  const plain = await runGlassbox(['sign', ...fixed, url], { env });
  assert.is(text.code, 0, text.stderr);
  assert.is(text.stdout, plain.stdout);
  assert.match(text.stdout, /String to sign/);
});

test('every command that has --json also takes --output', async () => {
  for (const command of [['sign'], ['verify'], ['diff'], ['ecr', 'login'], ['ecr', 'configure-helper']]) {
    const help = await runGlassbox([...command, '--help'], { env });
    assert.is(help.code, 0, help.stderr);
    assert.match(help.stdout, /--json/, `${command.join(' ')} has --json`);
    assert.match(help.stdout, /--output <format>/, `${command.join(' ')} has --output`);
  }
});

test('a format other than json or text is exit 2 naming --output and the choices', async () => {
  const run = await runGlassbox(['sign', ...fixed, '--output', 'yaml', url], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /--output <format>.*'yaml'.*json, text/);
  assert.is(run.stdout, '');
});

test('--json with --output text is exit 2: they contradict', async () => {
  const run = await runGlassbox(['sign', ...fixed, '--json', '--output', 'text', url], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /--json and --output text/);
});

test('sign --presign --url-only prints the presigned URL alone, the same URL --json gives', async () => {
  const only = await runGlassbox(['sign', '--presign', '--expires', '600', ...fixed, '--url-only', url], { env });
  const json = await runGlassbox(['sign', '--presign', '--expires', '600', ...fixed, '--json', url], { env });
  assert.is(only.code, 0, only.stderr);
  assert.is(only.stdout, `${JSON.parse(json.stdout).url}\n`);
  assert.match(only.stdout, /^https:\/\/abc\.execute-api\.us-west-2\.amazonaws\.com\/prod\/items\?[^\n]*X-Amz-Signature=[0-9a-f]{64}\n$/);
  assert.is(only.stderr, '');
});

test('-q and --quiet are --url-only', async () => {
  const only = await runGlassbox(['sign', '--presign', ...fixed, '--url-only', url], { env });
  for (const flag of ['-q', '--quiet']) {
    const quiet = await runGlassbox(['sign', '--presign', ...fixed, flag, url], { env });
    assert.is(quiet.code, 0, quiet.stderr);
    assert.is(quiet.stdout, only.stdout);
  }
});

test('--url-only without --presign, or with --json, is exit 2 naming the flags', async () => {
  const alone = await runGlassbox(['sign', ...fixed, '--url-only', url], { env });
  assert.is(alone.code, 2);
  assert.match(alone.stderr, /--url-only only applies with --presign/);
  const both = await runGlassbox(['sign', '--presign', ...fixed, '--url-only', '--json', url], { env });
  assert.is(both.code, 2);
  assert.match(both.stderr, /--url-only cannot be combined with --json/);
});

test.run();
