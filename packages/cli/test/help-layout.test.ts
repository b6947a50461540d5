// Help wraps to the terminal: descriptions are one line of text each (commander wraps them), examples
// are paste-safe, and each default is shown once, with its real type.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const test = suite('glassbox --help layout');
const home = tempDir();
const env = cleanEnv(home.path);
const COMMANDS = [[], ['sign'], ['verify'], ['diff'], ['demo'], ['ecr'], ['ecr', 'get-login-password'], ['ecr', 'login'], ['ecr', 'configure-helper']];

/** The help's description paragraph (between Usage and the first section), as printed. */
function description(help: string): string {
  return help.split('\n\n')[1] ?? '';
}

for (const command of COMMANDS) {
  for (const columns of ['80', '200']) {
    test(`glassbox ${command.join(' ')} --help at COLUMNS=${columns}: the description and options fill the width`, async () => {
      const run = await runGlassbox([...command, '--help'], { env: { ...env, COLUMNS: columns } });
      assert.is(run.code, 0, run.stderr);
      const width = Number(columns);
      const lines = description(run.stdout).split('\n');
      for (const line of lines) assert.ok(line.length <= width, `over ${width}: ${line}`);
      // A hard newline in the source would end a line early: every line but the last reaches near the width
      // (within the length of the next line's first word).
      lines.slice(0, -1).forEach((line, i) => {
        const nextWord = lines[i + 1]!.trimStart().split(' ')[0]!;
        assert.ok(line.length + 1 + nextWord.length > width, `ends early at ${line.length} of ${width}: ${line}`);
      });
    });
  }
}

test('piped, with no COLUMNS, help wraps at 80 columns', async () => {
  const run = await runGlassbox(['sign', '--help'], { env });
  const options = run.stdout.slice(run.stdout.indexOf('Options:'), run.stdout.indexOf('Examples:'));
  for (const line of options.split('\n')) assert.ok(line.length <= 80, line);
});

test('every example is paste-safe: a URL with & or ? is quoted', async () => {
  for (const command of COMMANDS) {
    const run = await runGlassbox([...command, '--help'], { env });
    for (const line of run.stdout.split('\n').filter((l) => l.startsWith('  $ '))) {
      for (const word of line.match(/(?<![\w'"])https?:\/\/\S+/g) ?? []) assert.not.match(word, /[&?*]/, `unquoted in: ${line}`);
    }
  }
});

test('defaults are shown once, typed right, and a repeatable option has no "(default: [])"', async () => {
  for (const command of COMMANDS) {
    const run = await runGlassbox([...command, '--help'], { env: { ...env, COLUMNS: '300' } });
    assert.not.match(run.stdout, /\(default: \[\]\)/, command.join(' '));
    for (const line of run.stdout.split('\n')) assert.ok((line.match(/default/g) ?? []).length <= 1, `two defaults: ${line}`);
  }
  const verify = await runGlassbox(['verify', '--help'], { env: { ...env, COLUMNS: '300' } });
  assert.match(verify.stdout, /--max-skew <seconds> +allowed clock difference for header signatures \(default: 300\)$/m);
});

test('--max-skew still refuses what is not whole seconds, naming the flag (exit 2)', async () => {
  const run = await runGlassbox(['verify', '--max-skew', '5m', 'https://example.amazonaws.com/'], { env });
  assert.is(run.code, 2);
  assert.match(run.stderr, /--max-skew '5m': expected whole seconds/);
});

test('configure-helper --registry has one statement of what happens without it', async () => {
  const run = await runGlassbox(['ecr', 'configure-helper', '--help'], { env: { ...env, COLUMNS: '300' } });
  assert.match(run.stdout, /--registry <host> +a registry host to route \(repeatable; at least one: none is assumed\)$/m);
  const none = await runGlassbox(['ecr', 'configure-helper'], { env });
  assert.is(none.code, 2);
  assert.match(none.stderr, /give at least one --registry HOST/);
});

test.after(() => home.remove());
test.run();
