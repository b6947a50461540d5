// `glassbox completion bash|zsh|fish`: scripts generated from commander's definitions. The bash one is
// run by bash on a few typed words; zsh and fish scripts are syntax-checked when those shells exist.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findProgram } from '../../../test/support/system-programs.ts';
import { cleanEnv, packageDir, runGlassbox, tempDir } from './run-bin.ts';

const test = suite('glassbox completion');
const home = tempDir();
const env = cleanEnv(home.path);

/** What the bash completion offers after `words` (the last one is the word being completed). */
function complete(script: string, words: string[]): string[] {
  const file = join(home.path, 'glassbox.bash');
  writeFileSync(file, script);
  const array = words.map((w) => `'${w}'`).join(' ');
  const run = spawnSync(
    'bash',
    ['-c', `source '${file}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _glassbox; printf '%s\\n' "\${COMPREPLY[@]}"`],
    { encoding: 'utf8' },
  );
  assert.is(run.status, 0, run.stderr);
  return run.stdout.split('\n').filter(Boolean).sort();
}

test("bash: commands, subcommands and each command's own flags", async () => {
  const run = await runGlassbox(['completion', 'bash'], { env });
  assert.is(run.code, 0, run.stderr);
  assert.equal(complete(run.stdout, ['glassbox', 'ecr', 'lo']), ['login']);
  assert.equal(complete(run.stdout, ['glassbox', 'e']), ['ecr', 'emulator']);
  assert.equal(complete(run.stdout, ['glassbox', 'ecr', 'login', '--reg']), ['--region', '--registry']);
  assert.equal(complete(run.stdout, ['glassbox', 'sign', '--presign', '--url']), ['--url-only']);
  assert.equal(complete(run.stdout, ['glassbox', 'verify', '--max']), ['--max-skew']);
  // A flag's value does not move the command: after `--region eu-west-1` the words are still sign's.
  assert.equal(complete(run.stdout, ['glassbox', 'sign', '--region', 'eu-west-1', '--pre']), ['--presign']);
  // sign has no --registry: each command completes only its own flags.
  assert.equal(complete(run.stdout, ['glassbox', 'sign', '--regis']), []);
});

test('zsh and fish scripts parse (when the shells are installed)', async () => {
  for (const shell of ['zsh', 'fish'] as const) {
    const run = await runGlassbox(['completion', shell], { env });
    assert.is(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      shell === 'zsh'
        ? /bashcompinit/
        : /complete -c glassbox -n '__fish_seen_subcommand_from ecr; and not __fish_seen_subcommand_from get-login-password login configure-helper' -a login/,
    );
    const program = findProgram(shell);
    if (program === undefined) continue; // not installed here: the pattern above is the check
    const file = join(home.path, `glassbox.${shell}`);
    writeFileSync(file, run.stdout);
    const parsed = spawnSync(program, ['-n', file], { encoding: 'utf8' });
    assert.is(parsed.status, 0, parsed.stderr);
  }
});

test('an unknown shell is a usage error naming the choices', async () => {
  const run = await runGlassbox(['completion', 'powershell'], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /Allowed choices are bash, zsh, fish/);
});

test("the credential helper's bin does not load the completion code", () => {
  for (const file of ['bin/docker-credential-glassbox.cts', 'helper/helper-process.ts']) {
    const source = readFileSync(join(packageDir, 'src', file), 'utf8');
    assert.not.match(source, /completion|program\.ts/, file);
  }
});

test.after(() => home.remove());
test.run();
