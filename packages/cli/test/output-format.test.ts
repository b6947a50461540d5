// `--output json|text` wherever `--json` is, and `sign --presign --url-only` / `--quiet` for scripts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const test = suite('--output json|text and sign --presign --url-only');
const home = tempDir();
const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
const SIGN = ['sign', '--region', 'us-east-1', '--service', 'service', '--date', '20150830T123600Z', 'https://example.amazonaws.com/'];
// The suite's get-vanilla signature (test/vectors/aws-sig-v4-test-suite/get-vanilla/get-vanilla.authz).
const GET_VANILLA = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';

test('sign --output json prints exactly what --json prints', async () => {
  const json = await runGlassbox([...SIGN, '--json'], { env });
  const output = await runGlassbox([...SIGN, '--output', 'json'], { env });
  assert.is(output.code, 0, output.stderr);
  assert.is(output.stdout, json.stdout);
  assert.is(JSON.parse(output.stdout).signature, GET_VANILLA);
});

test('sign --output text prints the trace, as without the flag', async () => {
  const plain = await runGlassbox(SIGN, { env });
  const text = await runGlassbox([...SIGN, '--output', 'text'], { env });
  assert.is(text.code, 0, text.stderr);
  assert.is(text.stdout, plain.stdout);
  assert.match(text.stdout, /Signing for service in us-east-1/);
});

for (const command of [['verify'], ['diff'], ['ecr', 'login'], ['ecr', 'configure-helper']]) {
  test(`${command.join(' ')} accepts --output json|text`, async () => {
    const help = await runGlassbox([...command, '--help'], { env });
    const flat = help.stdout.replace(/\s+/g, ' ');
    assert.match(flat, / --output <format> output format, as in the AWS CLI: json is --json, text is the default output \(choices: "json", "text"\)/);
  });
}

test('configure-helper --output json writes JSON, like --json', async () => {
  const run = await runGlassbox(['ecr', 'configure-helper', '--registry', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', '--output', 'json'], { env });
  assert.is(run.code, 0, run.stderr);
  assert.is(JSON.parse(run.stdout)[0].registry, '123456789012.dkr.ecr.eu-west-1.amazonaws.com');
});

test('a bad --output value is a usage error (2) naming --output and the choices', async () => {
  const run = await runGlassbox([...SIGN, '--output', 'yaml'], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /--output <format>' argument 'yaml' is invalid\. Allowed choices are json, text\./);
  const login = await runGlassbox(['ecr', 'login', '--output', 'table'], { env });
  assert.is(login.code, 2);
  assert.match(login.stderr, /--output/);
});

test('--output text with --json is a usage error', async () => {
  const run = await runGlassbox([...SIGN, '--output', 'text', '--json'], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /--output text and --json contradict each other/);
});

for (const flag of ['--url-only', '--quiet', '-q']) {
  test(`sign --presign ${flag} prints only the URL and a newline on stdout, nothing on stderr`, async () => {
    const run = await runGlassbox([...SIGN, '--presign', '--expires', '86400', flag], { env });
    assert.is(run.code, 0, run.stderr);
    assert.is(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.equal(lines.length, 2, run.stdout);
    assert.is(lines[1], '');
    const url = new URL(lines[0]!);
    assert.is(url.origin, 'https://example.amazonaws.com');
    assert.is(url.searchParams.get('X-Amz-Credential'), 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request');
    assert.is(url.searchParams.get('X-Amz-Expires'), '86400');
    assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
  });
}

test('the URL --url-only prints is the last line of the full presign output', async () => {
  const full = await runGlassbox([...SIGN, '--presign'], { env });
  const only = await runGlassbox([...SIGN, '--presign', '--url-only'], { env });
  assert.is(full.stdout.trimEnd().split('\n').at(-1), only.stdout.trimEnd());
});

test('--url-only without --presign, or with --json or --send, is a usage error', async () => {
  for (const extra of [[], ['--presign', '--json'], ['--presign', '--send']]) {
    const run = await runGlassbox([...SIGN, '--url-only', ...extra], { env });
    assert.is(run.code, 2, extra.join(' '));
    assert.match(run.stderr, /--url-only and --quiet/);
  }
});

test.after(() => home.remove());
test.run();
