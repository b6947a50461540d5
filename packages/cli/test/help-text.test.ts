// Help reads cleanly at any width and in a pipe: descriptions are single paragraphs that commander wraps to
// the terminal (no hard newlines of our own), defaults are shown once and typed right, and every example can
// be pasted into a shell as printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const env = cleanEnv(tempDir().path);
const commands = [
  [],
  ['sign'],
  ['verify'],
  ['diff'],
  ['ecr'],
  ['ecr', 'get-login-password'],
  ['ecr', 'login'],
  ['ecr', 'configure-helper'],
  ['demo'],
];
const help = async (command: string[], columns: number): Promise<string> => {
  const run = await runGlassbox([...command, '--help'], { env: { ...env, COLUMNS: String(columns) } });
  assert.is(run.code, 0, run.stderr);
  return run.stdout;
};
/** The paragraph between `Usage:` and the first section: the command's description. */
const description = (text: string): string => text.split('\n\n')[1] ?? '';
/** The sections commander lays out (Arguments, Options, Commands), not our examples. */
const laidOut = (text: string): string[] => text.split(/\n(?=Examples?:|Exit codes|Credentials)/)[0]!.split('\n');

for (const command of commands) {
  const name = ['glassbox', ...command].join(' ');
  test(`${name} --help: the description is one paragraph, rewrapped to the width`, async () => {
    const wide = description(await help(command, 1000));
    assert.not.match(wide, /\n/, `at 1000 columns the description is one line:\n${wide}`);
    const narrow = description(await help(command, 60));
    for (const line of narrow.split('\n')) assert.ok(line.length <= 60, `wider than 60 columns: ${line}`);
  });

  test(`${name} --help: options fit 80 columns and show no empty default`, async () => {
    const text = await help(command, 80);
    for (const line of laidOut(text)) assert.ok(line.length <= 80, `wider than 80 columns: ${line}`);
    assert.not.match(text, /\(default: \[\]\)/);
    assert.not.match(text, /default: "\d+"/, 'a number shown as a string');
  });

  test(`${name} --help: every example pastes into a shell as printed`, async () => {
    for (const line of (await help(command, 80)).split('\n').filter((l) => l.trimStart().startsWith('$ '))) {
      // Outside quotes, & and ? would be the shell's (a background job, a glob), not the URL's.
      const unquoted = line.replace(/'[^']*'|"[^"]*"/g, "''");
      assert.not.match(unquoted, /https?:\/\/\S*[&?*]/, `unquoted URL with & ? or *: ${line}`);
    }
  });
}

test('configure-helper --registry states one rule for its default, not two', async () => {
  const text = await help(['ecr', 'configure-helper'], 200);
  const line = text.split('\n').find((l) => l.includes('--registry'))!;
  assert.is((line.match(/default/g) ?? []).length, 0, line);
  assert.match(line, /give at least one/);
});

test('verify --max-skew: the default is the number 300', async () => {
  assert.match(await help(['verify'], 200), /--max-skew <seconds>.*\(default: 300\)/);
});

test.run();
