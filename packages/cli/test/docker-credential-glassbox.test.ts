// The credential helper's bin: the file package.json ships, which runs on a Node without require(esm) too;
// and its stdout: Docker closing the pipe early ends it quietly with its status; a stdout that refuses the
// bytes is one line on stderr and exit 5. Real pipes, built bin.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, glassboxBin, helperBin, packageDir, tempDir } from './run-bin.ts';

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

const bin = suite('docker-credential-glassbox: the bin');
bin('package.json ships the bins the tests run', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(Object.fromEntries(Object.entries(manifest.bin).map(([name, file]) => [name, join(packageDir, file)])), {
    glassbox: glassboxBin,
    'docker-credential-glassbox': helperBin,
  });
  assert.ok(helperBin.endsWith('.cjs'), 'CommonJS, which Node starts sooner (src/bin/docker-credential-glassbox.cts)');
});

bin('without require() of ES modules (--no-experimental-require-module) it loads the program by import()', () => {
  const version = (nodeFlags: string[]) =>
    spawnSync(process.execPath, [...nodeFlags, helperBin, 'version'], { env, encoding: 'utf8', input: '' });
  const usual = version([]);
  const fallback = version(['--no-experimental-require-module']);
  assert.is(usual.status, 0, usual.stderr);
  assert.match(usual.stdout, /^docker-credential-glassbox \S+/);
  assert.equal(
    { status: fallback.status, stdout: fallback.stdout, stderr: fallback.stderr },
    { status: 0, stdout: usual.stdout, stderr: '' },
  );
});
bin('a top-level await in the program (require() refuses the graph) also falls back to import()', () => {
  // The built bin beside a stand-in program with a top-level await, laid out as in dist/.
  const dir = tempDir();
  try {
    mkdirSync(join(dir.path, 'bin'));
    mkdirSync(join(dir.path, 'helper'));
    writeFileSync(join(dir.path, 'package.json'), '{"type":"module"}');
    copyFileSync(helperBin, join(dir.path, 'bin', 'docker-credential-glassbox.cjs'));
    writeFileSync(
      join(dir.path, 'helper', 'helper-process.js'),
      "await Promise.resolve();\nprocess.stdout.write('the program ran\\n');\nexport const finished = Promise.resolve();\n",
    );
    const run = spawnSync(process.execPath, [join(dir.path, 'bin', 'docker-credential-glassbox.cjs')], { env, encoding: 'utf8' });
    assert.equal({ status: run.status, stdout: run.stdout, stderr: run.stderr }, { status: 0, stdout: 'the program ran\n', stderr: '' });
  } finally {
    dir.remove();
  }
});
bin.run();
