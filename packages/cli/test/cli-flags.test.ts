// Every flag the CLI names is a flag it has. Library messages may name library options (`revealSigningKey`,
// `trace: true`); the CLI maps them (src/cli-words.ts), and this checks both directions: the flags named in
// the CLI's help, its error paths and every message string in the packages it runs exist, and no library
// word reaches the terminal unmapped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { inCliWords, LIBRARY_WORDS } from '../src/cli-words.ts';
import { suiteParameters } from '../../../test/vectors.ts';
import { cleanEnv, repoRoot, runGlassbox, tempDir } from './run-bin.ts';

const home = tempDir();
const env = cleanEnv(home.path, {
  AWS_ACCESS_KEY_ID: suiteParameters.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: suiteParameters.credentials.secretAccessKey,
});

/** Other programs' flags that glassbox's messages quote on purpose (in a pipe or as a peer's equivalent). */
const OTHER_PROGRAMS: Record<string, string> = {
  '--password-stdin': 'docker login / skopeo login',
  '--username': 'docker login / skopeo login',
  '--aws-sigv4': 'curl',
  '--data-binary': 'curl',
  '--config': 'docker (the config folder)',
  '--depth': 'a diff option of the library, documented as such',
  '--liftoff-only': "node's V8 flag, set by the bins for a quick exit",
};

const flagsIn = (text: string): string[] => [...text.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]);

/** `{ command path → its flags }`, read from each command's --help (the definitions commander prints). */
async function commandFlags(): Promise<Map<string, Set<string>>> {
  const commands = new Map<string, Set<string>>();
  const visit = async (path: string[]): Promise<void> => {
    const help = (await runGlassbox([...path, '--help'], { env: { ...env, COLUMNS: '400' } })).stdout;
    const options = help.split(/\nOptions:\n/)[1]?.split(/\n\n/)[0] ?? '';
    const flags = new Set<string>();
    for (const line of options.split('\n')) for (const flag of flagsIn(line.trim().split(/\s{2,}/)[0] ?? '')) flags.add(flag);
    commands.set(path.join(' '), flags);
    const subcommands = help.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
    for (const line of subcommands.split('\n')) {
      const name = /^ {2}([a-z][a-z-]*)/.exec(line)?.[1];
      if (name && name !== 'help') await visit([...path, name]);
    }
  };
  await visit([]);
  return commands;
}

const allFlags = async (): Promise<Set<string>> => {
  const all = new Set<string>(['--help', '--version']);
  for (const flags of (await commandFlags()).values()) for (const flag of flags) all.add(flag);
  return all;
};

test('the command tree has the commands the docs name', async () => {
  const commands = await commandFlags();
  for (const name of ['sign', 'verify', 'diff', 'ecr get-login-password', 'ecr login', 'ecr configure-helper', 'demo'])
    assert.ok(commands.has(name), name);
  assert.ok(commands.get('sign')!.has('--show-signing-key'));
});

test("every --flag in a message string of the packages the CLI runs is a glassbox flag (or another program's, named)", async () => {
  const known = await allFlags();
  const unknown: string[] = [];
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  for (const pkg of readdirSync(join(repoRoot, 'packages')).filter((p) => p !== 'explainer')) {
    for (const file of walk(join(repoRoot, 'packages', pkg, 'src')).filter((f) => !f.endsWith('cli-words.ts'))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments may discuss anything
          for (const flag of flagsIn(inCliWords(line))) {
            if (!known.has(flag) && !(flag in OTHER_PROGRAMS)) unknown.push(`${file.slice(repoRoot.length + 1)}:${index + 1}: ${flag}`);
          }
        });
    }
  }
  assert.equal(unknown, []);
});

test('the CLI maps the library words it prints', () => {
  assert.is(inCliWords('[hidden: pass revealSigningKey to show it]'), '[hidden: pass --show-signing-key to show it]');
  assert.match(
    inCliWords("Sign with trace: true and compare each step with the service's rules."),
    /^Run glassbox sign on the same request \(it prints every step\) and compare/,
  );
  assert.match(inCliWords('Invalid Configuration: Missing Region. Pass `region`, set AWS_REGION'), /Pass --region, set AWS_REGION/);
  assert.is(inCliWords('The profile "dev" (from option) is in neither'), 'The profile "dev" (from --profile) is in neither');
});

/** Error paths reachable offline, each with the command whose flags its message may name. */
const errorPaths: Array<{ name: string; command: string; args: string[]; stdin?: string; env?: Record<string, string> }> = [
  { name: 'sign without a host service', command: 'sign', args: ['sign', 'https://example.com/'] },
  { name: 'sign --expires without --presign', command: 'sign', args: ['sign', '--expires', '60', 'https://s3.amazonaws.com/x'] },
  { name: 'sign -o without --send', command: 'sign', args: ['sign', '-o', 'x', 'https://s3.amazonaws.com/x'] },
  {
    name: 'sign --endpoint-url without --send',
    command: 'sign',
    args: ['sign', '--endpoint-url', 'http://127.0.0.1:1', 'https://s3.amazonaws.com/x'],
  },
  { name: 'sign --url-only without --presign', command: 'sign', args: ['sign', '--url-only', 'https://s3.amazonaws.com/x'] },
  { name: 'sign with a missing request file', command: 'sign', args: ['sign', '--request-file', 'nope.req'] },
  { name: 'sign with an unknown profile', command: 'sign', args: ['sign', '--profile', 'nobody', 'https://s3.amazonaws.com/x'] },
  { name: 'verify an unsigned request', command: 'verify', args: ['verify', 'https://s3.amazonaws.com/x'] },
  { name: 'diff without --server-error', command: 'diff', args: ['diff', 'https://s3.amazonaws.com/x'] },
  {
    name: 'get-login-password without a region',
    command: 'ecr get-login-password',
    args: ['ecr', 'get-login-password'],
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
  },
  { name: 'login to a host that is not ECR', command: 'ecr login', args: ['ecr', 'login', '--registry', 'example.com'] },
  { name: 'configure-helper without --registry', command: 'ecr configure-helper', args: ['ecr', 'configure-helper'] },
];

test('the flags named on each error path exist on that command, and no library word shows', async () => {
  const commands = await commandFlags();
  const global = commands.get('')!;
  const problems: string[] = [];
  for (const path of errorPaths) {
    const run = await runGlassbox(path.args, { env: { ...env, ...path.env }, stdin: '' });
    if (run.code === 0) problems.push(`${path.name}: exit 0, expected an error`);
    const own = commands.get(path.command)!;
    for (const flag of flagsIn(run.stderr)) {
      if (!own.has(flag) && !global.has(flag) && !(flag in OTHER_PROGRAMS))
        problems.push(`${path.name}: names ${flag}, which \`glassbox ${path.command}\` does not have:\n${run.stderr}`);
    }
    for (const word of LIBRARY_WORDS) if (word.test(run.stderr)) problems.push(`${path.name}: library word ${word} in:\n${run.stderr}`);
  }
  assert.equal(problems, []);
});

test('sign hides the signing key with the flag that shows it', async () => {
  const run = await runGlassbox(
    ['sign', '--service', 'execute-api', '--region', 'us-west-2', 'https://abc.execute-api.us-west-2.amazonaws.com/'],
    { env },
  );
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /pass --show-signing-key to show it/);
  assert.not.match(run.stdout, /revealSigningKey/);
});

test('ecr login with a wrong secret shows the diagnosis its message promises', async () => {
  const emulator = await startEcrEmulator({
    credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: suiteParameters.credentials.secretAccessKey }],
  });
  try {
    const run = await runGlassbox(['ecr', 'login', '--region', 'us-east-1', '--docker-config', join(home.path, 'docker')], {
      env: { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret', AWS_ENDPOINT_URL_ECR: emulator.url },
    });
    assert.is(run.code, 3, run.stderr);
    assert.match(run.stderr, /the diagnosis shows the first difference/);
    assert.match(run.stderr, /Likely cause \(SECRET_KEY/);
    assert.not.match(run.stderr, /not-the-secret/);
  } finally {
    await emulator.close();
  }
});

test.run();
