// The credential helper's bin and its stdout: Docker closing the pipe early ends it quietly with its
// status; a stdout that refuses the bytes is one line on stderr and exit 5. Real pipes, built bin.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, packageDir, tempDir } from './run-bin.ts';

const helperBin = join(packageDir, 'dist', 'bin', 'docker-credential-glassbox.js');
const home = tempDir();
const env = cleanEnv(home.path);

/** Runs `docker-credential-glassbox list` with stdout on `stdout`: a pipe closed before it answers, or /dev/full. */
function runList(into: 'closed pipe' | '/dev/full'): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const full = into === '/dev/full' ? openSync('/dev/full', 'w') : undefined;
    const child = spawn(process.execPath, [helperBin, 'list'], { env, stdio: ['pipe', full ?? 'pipe', 'pipe'] });
    if (full !== undefined) closeSync(full);
    child.stdout?.destroy(); // the reader is gone before the helper writes a byte
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin!.end();
  });
}

const test = suite('docker-credential-glassbox: a closed or full stdout');
test('a closed pipe: exit 0 (list succeeded), nothing on stderr, every time', async () => {
  for (let round = 0; round < 5; round++) {
    const run = await runList('closed pipe');
    assert.is(run.code, 0, `round ${round}: ${run.stderr}`);
    assert.is(run.stderr, '', `round ${round}`);
  }
});

test('/dev/full: exit 5 and one line naming ENOSPC', async () => {
  const run = await runList('/dev/full');
  assert.is(run.code, 5, run.stderr);
  assert.match(run.stderr, /^error: cannot write to standard output: ENOSPC: no space left on device, write\n$/);
});
test.after(() => home.remove());
test.run();
