// Every flag a glassbox message names exists on the command that printed it, and no library option name
// (`region`, `trace: true`, `revealSigningKey`, "(from option)") reaches the user unmapped. The messages are
// collected by running the built CLI through the error paths that need no network, plus one signature
// mismatch against the local ECR emulator; the real flags are read from each command's --help.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hintFor } from '@glassbox/ecr';
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { cliWording, OPTION_TO_FLAG } from '../src/flag-wording.ts';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const test = suite('glassbox messages name real flags');
const home = tempDir();
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const env = cleanEnv(home.path, KEYS);
const noKeys = cleanEnv(home.path);
const URL_ = 'https://example.amazonaws.com/';
// A port nothing listens on: the ECR commands fail before or at connecting, never reaching AWS.
const CLOSED = 'http://127.0.0.1:9';

/**
 * Library wording that must never reach the user (each is mapped by OPTION_TO_FLAG, or was a wrong flag).
 * The trace's input labels (`normalizePath  true`) are the values' names, not advice, and may stay.
 */
const LEAKS = [/revealSigningKey/, /`trace(: true)?`/, /`normalizePath|normalizePath: true/, /the date option/, /the `region` option/, /\(from option\)|from option\)/, /--use-helper/, /--trace\b/, /its `diagnosis`/];

/** The long flags a command's --help lists (plus the program's own). */
async function flagsOf(command: readonly string[]): Promise<Set<string>> {
  const run = await runGlassbox([...command, '--help'], { env: noKeys });
  const flags = new Set(['--help', '--version', '--debug']);
  for (const match of run.stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)) flags.add(match[1]!);
  // --no-x flags are listed as such; commander also accepts the positive form only when declared.
  return flags;
}

/** Each case: the command it runs (the part before the options), its full argv, its environment. */
const CASES: { command: string[]; argv: string[]; env?: Record<string, string>; stdin?: string }[] = [
  { command: ['sign'], argv: ['sign'] },
  { command: ['sign'], argv: ['sign', '--expires', '60', URL_] },
  { command: ['sign'], argv: ['sign', '--endpoint-url', CLOSED, URL_] },
  { command: ['sign'], argv: ['sign', '--cli-read-timeout', '1', URL_] },
  { command: ['sign'], argv: ['sign', '-o', 'x', URL_] },
  { command: ['sign'], argv: ['sign', '--url-only', URL_] },
  { command: ['sign'], argv: ['sign', '--presign', '--quiet', '--json', URL_] },
  { command: ['sign'], argv: ['sign', '--output', 'yaml', URL_] },
  { command: ['sign'], argv: ['sign', '--output', 'text', '--json', URL_] },
  { command: ['sign'], argv: ['sign', '--expires', '0', '--presign', URL_] },
  { command: ['sign'], argv: ['sign', '--profile', 'nope', URL_] },
  { command: ['sign'], argv: ['sign', URL_], env: noKeys },
  { command: ['sign'], argv: ['sign', '--region', 'us-east-1', '--service', 'service', '--date', '20150830T123600Z', URL_] },
  { command: ['sign'], argv: ['sign', '--region', 'us-east-1', '--service', 'service', '--date', '20150830T123600Z', '-H', 'X-Amz-Date: 20200101T000000Z', URL_] },
  { command: ['verify'], argv: ['verify', '--max-skew', 'soon', URL_] },
  { command: ['verify'], argv: ['verify', URL_] },
  { command: ['diff'], argv: ['diff', '--server-error', '-', '--no-credentials', '--region', 'us-east-1', '--service', 'ecr', URL_], stdin: '{"__type":"InvalidSignatureException","message":"x"}' },
  { command: ['ecr', 'get-login-password'], argv: ['ecr', 'get-login-password', '--endpoint-url', CLOSED] },
  { command: ['ecr', 'get-login-password'], argv: ['ecr', 'get-login-password', '--region', 'moon-1'] },
  { command: ['ecr', 'get-login-password'], argv: ['ecr', 'get-login-password', '--endpoint-url', 'ftp://x'] },
  { command: ['ecr', 'login'], argv: ['ecr', 'login', '--registry', 'registry.example.com'] },
  { command: ['ecr', 'login'], argv: ['ecr', 'login', '--output', 'xml'] },
  { command: ['ecr', 'login'], argv: ['ecr', 'login', '--profile', 'nope', '--region', 'us-east-1', '--endpoint-url', CLOSED] },
  { command: ['ecr', 'configure-helper'], argv: ['ecr', 'configure-helper'] },
];

function assertFlagsExist(text: string, flags: Set<string>, where: string): void {
  // Flags as printed: `--name` not inside a URL or a word (a quoted `docker login --username` is another program's).
  const foreign = /(docker|skopeo|aws|curl|podman) [^\n]*$/;
  for (const match of text.matchAll(/(?<![\w/-])--[a-z][\w-]*/g)) {
    const before = text.slice(Math.max(0, text.lastIndexOf('\n', match.index) + 1), match.index);
    if (foreign.test(before)) continue;
    assert.ok(flags.has(match[0]), `${where}: names ${match[0]}, which \`glassbox ${where}\` does not have:\n${text}`);
  }
}

function assertNoLeak(text: string, where: string): void {
  for (const leak of LEAKS) assert.not.match(text, leak, `${where}: a library name leaks (${leak}):\n${text}`);
}

for (const c of CASES) {
  test(`glassbox ${c.argv.join(' ')}: every flag it names exists`, async () => {
    const run = await runGlassbox(c.argv, { env: c.env ?? env, ...(c.stdin === undefined ? {} : { stdin: c.stdin }) });
    const printed = run.stderr + run.stdout;
    assert.ok(printed.trim() !== '', 'it prints something');
    assertFlagsExist(printed, await flagsOf(c.command), c.command.join(' '));
    assertNoLeak(printed, c.argv.join(' '));
  });
}

test('the wording table only names flags that exist', async () => {
  const all = new Set<string>();
  for (const command of [['sign'], ['verify'], ['diff'], ['ecr', 'login'], ['ecr', 'get-login-password']]) for (const flag of await flagsOf(command)) all.add(flag);
  for (const [, cli] of OPTION_TO_FLAG) for (const flag of cli.match(/--[\w-]+/g) ?? []) assert.ok(all.has(flag), flag);
});

test('the library messages the table maps come out in the CLI\'s words', () => {
  const unknownKey = hintFor('UnrecognizedClientException', 'ecr')!;
  assert.match(unknownKey, /the `trace` option/, 'the library still names its option');
  assert.match(cliWording(unknownKey), /\(--debug shows their source\)/);
  assert.match(cliWording('Invalid Configuration: Missing Region. Pass the `region` option, set AWS_REGION'), /Pass --region, set AWS_REGION/);
  assert.is(cliWording('[hidden: pass `revealSigningKey` to show it]'), '[hidden: add --show-signing-key to show it]');
  assert.is(cliWording('The profile "dev" (from option) is in neither'), 'The profile "dev" (from --profile) is in neither');
  assert.is(cliWording('No AWS credentials found (profile "dev" from option). Tried'), 'No AWS credentials found (profile "dev" from --profile). Tried');
  assert.is(cliWording('The region "x" (from option) is not'), 'The region "x" (from --region) is not');
  // A profile's own `region` setting is not an option: it stays.
  assert.is(cliWording('set `region` in your AWS profile'), 'set `region` in your AWS profile');
});

test('ecr login with a wrong secret prints the diagnosis its hint points at', async () => {
  const emulator = await startEcrEmulator({ credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'the-right-secret' }], password: 'pw', accountId: '123456789012' });
  try {
    const run = await runGlassbox(['ecr', 'login', '--region', 'us-east-1', '--endpoint-url', emulator.url], { env });
    assert.is(run.code, 3, run.stderr);
    assert.match(run.stderr, /^Likely cause \(SECRET_KEY, step signing-key\)/m);
    assert.match(run.stderr, /canonical request: identical/);
    assert.match(run.stderr, /check the secret; the diagnosis above names the likely cause\./);
    assert.ok(run.stderr.indexOf('Likely cause') < run.stderr.indexOf('error:'), 'the diagnosis comes before the error line it explains');
    assertNoLeak(run.stderr, 'ecr login');
    assert.not.ok(run.stderr.includes(KEYS.AWS_SECRET_ACCESS_KEY));
  } finally {
    await emulator.close();
  }
});

test.after(() => home.remove());
test.run();
