// The promises of test/support/radosgw.ts that the end-to-end suites rely on but cannot check
// themselves: a run leaves no Ceph daemon and no folder behind, however it ends. Each case starts a
// cluster in a child process (about 2 s) and looks at what is left once that process is gone.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as assert from 'uvu/assert';
import { repoRoot } from './vectors.ts';
import { RADOSGW_PROGRAMS } from './support/radosgw.ts';
import { suiteNeeding } from './support/system-programs.ts';

interface Started {
  pids: Record<string, number>;
  logDir: string;
}

/** Runs a script that starts a cluster and prints its pids; `end` says how the script then ends. */
function childRun(end: 'returns' | 'killed'): Promise<{ started: Started; code: number | null; signal: NodeJS.Signals | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-radosgw-support-'));
  const script = join(dir, 'start.mts');
  const support = pathToFileURL(join(repoRoot, 'test', 'support', 'radosgw.ts')).href;
  // 'returns': nothing stops the cluster, the event loop empties; 'killed': the parent sends SIGTERM.
  writeFileSync(
    script,
    `import { startRadosgw } from ${JSON.stringify(support)};
const g = await startRadosgw();
console.log(JSON.stringify({ pids: g.pids, logDir: g.logDir }));
${end === 'killed' ? 'setInterval(() => {}, 1000);' : ''}
`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=glassbox-source', '--import', 'tsx', script], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started: Started | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (started === undefined && line !== undefined) {
        started = JSON.parse(line) as Started;
        if (end === 'killed') child.kill('SIGTERM');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (started === undefined) reject(new Error(`the cluster did not start (exit ${code ?? signal}): ${stderr.slice(-3000)}`));
      else resolve({ started, code, signal });
    });
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits up to `ms` for every pid to be gone (a SIGKILLed daemon is reaped by init a moment later). */
async function gone(pids: number[], ms = 5_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

const test = suiteNeeding('test/support/radosgw.ts leaves nothing behind', RADOSGW_PROGRAMS);

test('a run that ends without stopping the gateway: the daemons are stopped and the folder removed', async () => {
  const { started, code } = await childRun('returns');
  assert.is(code, 0);
  assert.equal(Object.keys(started.pids).sort(), ['client.rgw.a', 'mon.a', 'osd.0']);
  assert.equal(await gone(Object.values(started.pids)), []);
  assert.not.ok(existsSync(started.logDir), 'the temporary folder is removed');
});

test('a run killed by SIGTERM: the daemons die with it and the folder is removed; it still dies of SIGTERM', async () => {
  const { started, signal } = await childRun('killed');
  assert.is(signal, 'SIGTERM');
  assert.equal(await gone(Object.values(started.pids)), []);
  assert.not.ok(existsSync(started.logDir), 'the temporary folder is removed');
});

test.run();
