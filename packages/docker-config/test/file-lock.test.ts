import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DockerConfigError } from '../src/errors.ts';
import { withFileLock } from '../src/file-lock.ts';
import { buildOnce, distModule, tempDir } from './support.ts';
import { nodeAsOtherUser, OTHER_USER_UNAVAILABLE } from './support/other-user.ts';
import { run } from './support/process.ts';

function node(script: string, args: string[]) {
  return run(process.execPath, ['--input-type=module', '-e', script, ...args], { PATH: process.env['PATH'] ?? '/usr/bin:/bin' });
}

test('the lock folder is 0700 even under umask 000 (in a child process: the umask is process-wide)', async () => {
  buildOnce();
  const { dir, cleanup } = await tempDir();
  try {
    const script = `import { withFileLock } from ${JSON.stringify('file://' + distModule('file-lock'))};
      import { statSync } from 'node:fs';
      process.umask(0);
      const file = process.argv[1];
      await withFileLock(file, async () => console.log((statSync(file + '.lock').mode & 0o777).toString(8)));`;
    const run = await node(script, [join(dir, 'config.json')]);
    assert.is(run.code, 0, run.stderr);
    assert.is(run.stdout.trim(), '700');
  } finally {
    await cleanup();
  }
});

test('a live lock: the writer gives up when its message says, not twice as late', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'config.json');
    let releaseHolder!: () => void;
    const held = new Promise<void>((resolve) => (releaseHolder = resolve));
    let acquired!: () => void;
    const holding = new Promise<void>((resolve) => (acquired = resolve));
    const holder = withFileLock(file, async () => {
      acquired();
      await held;
    });
    await holding;
    const waitMs = 3_000;
    const started = Date.now();
    try {
      await withFileLock(file, async () => undefined, { waitMs });
      assert.unreachable('the lock was held');
    } catch (error) {
      const waited = Date.now() - started;
      assert.instance(error, DockerConfigError);
      assert.is((error as DockerConfigError).code, 'LOCK_FAILED');
      assert.match((error as Error).message, /within 3000 ms/);
      // A deadline, not a speed: the old retry schedule (retries x randomised growing timeouts) took 5 to 10 s here.
      assert.ok(waited >= waitMs, `gave up after ${waited} ms, before the ${waitMs} ms it says`);
      assert.ok(waited < waitMs + 1_500, `gave up after ${waited} ms, long after the ${waitMs} ms it says`);
    } finally {
      releaseHolder();
      await holder;
    }
  } finally {
    await cleanup();
  }
});

test('a folder the user may not write is PERMISSION_DENIED at once, naming the lock folder, never "another process holds the lock"', async () => {
  if (OTHER_USER_UNAVAILABLE !== undefined) {
    console.log(`  (permission case skipped: ${OTHER_USER_UNAVAILABLE})`);
    return;
  }
  buildOnce();
  const { dir, cleanup } = await tempDir();
  try {
    await chmod(dir, 0o755); // root's: the other user may read it, not create in it
    // waitMs of ten minutes: a wait of any length before the error would show as a test timeout.
    const script = `import { withFileLock } from ${JSON.stringify('file://' + distModule('file-lock'))};
      try { await withFileLock(process.argv[1], async () => undefined, { waitMs: 600000 }); console.log('locked'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, path: e.path, message: e.message })); }`;
    const run = await nodeAsOtherUser(script, [join(dir, 'config.json')], { PATH: '/usr/bin:/bin' });
    const outcome = JSON.parse(run.stdout) as { code: string; path: string; message: string };
    assert.is(outcome.code, 'PERMISSION_DENIED', run.stdout + run.stderr);
    assert.is(outcome.path, join(dir, 'config.json.lock'));
    assert.not.match(outcome.message, /another process/);
  } finally {
    await cleanup();
  }
});

test.run();
