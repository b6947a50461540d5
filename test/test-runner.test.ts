// The test command's own promises: its exit status and its closing line are true, a suite whose setup
// throws is a failure, and a suite whose real peers are missing is skipped locally but fails under CI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './vectors.ts';

const support = join(repoRoot, 'test', 'support', 'system-programs.ts');

/** Runs scripts/test.mjs over a throwaway tree holding the given test files. */
function runSuite(
  files: Record<string, string>,
  env: Record<string, string | undefined> = {},
): { status: number | null; last: string; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-runner-'));
  try {
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    mkdirSync(join(dir, 'test'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'test', name), text);
    const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
    for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'test.mjs')], {
      cwd: dir,
      env: childEnv as NodeJS.ProcessEnv,
      encoding: 'utf8',
    });
    const output = r.stdout + r.stderr;
    const lines = r.stdout.trim().split('\n');
    return { status: r.status, last: lines[lines.length - 1] ?? '', output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a suite whose before hook throws fails the run, with the error shown and its tests counted as failed', () => {
  const r = runSuite({
    'ok.test.ts': `import { test } from 'uvu'; test('passes', () => {}); test.run();`,
    'setup.test.ts': `import { suite } from 'uvu'; const s = suite('needs a server'); s.before(() => { throw new Error('the server did not start'); }); s('a', () => {}); s('b', () => {}); s.run();`,
  });
  assert.is(r.status, 1, r.output);
  assert.is(r.last, '1 passed, 2 failed, 0 skipped');
  assert.match(r.output, /the server did not start/);
});

test('skips are counted apart from failures, and a green run exits 0', () => {
  const r = runSuite({ 'ok.test.ts': `import { test } from 'uvu'; test('passes', () => {}); test.skip('later', () => {}); test.run();` });
  assert.is(r.status, 0, r.output);
  assert.is(r.last, '1 passed, 0 failed, 1 skipped');
});

test('a failing assertion fails the run', () => {
  const r = runSuite({
    'bad.test.ts': `import { test } from 'uvu'; import * as assert from 'uvu/assert'; test('fails', () => assert.is(1, 2)); test.run();`,
  });
  assert.is(r.status, 1, r.output);
  assert.is(r.last, '0 passed, 1 failed, 0 skipped');
});

const needsCurl = {
  'peer.test.ts': `import { suiteNeeding } from ${JSON.stringify(support)};
const s = suiteNeeding('curl peer', ['curl']);
s.before(() => { throw new Error('hook ran'); });
s('one', () => {}); s('two', () => {}); s.run();`,
};

test('a suite whose program is missing is skipped locally, with the reason and the install command', () => {
  const r = runSuite(needsCurl, { GLASSBOX_TEST_MISSING: 'curl', CI: undefined });
  assert.is(r.status, 0, r.output);
  assert.is(r.last, '0 passed, 0 failed, 2 skipped');
  assert.match(r.output, /skipping "curl peer": curl not installed \(apt-get install curl; \.ci\/run does\)/);
  assert.not.match(r.output, /hook ran/);
});

test('under CI=true the same missing program is a failure', () => {
  const r = runSuite(needsCurl, { GLASSBOX_TEST_MISSING: 'curl', CI: 'true' });
  assert.is(r.status, 1, r.output);
  assert.match(r.output, /curl not installed/);
});

test.run();
