// docs/docker-flow-offline.md is executable: every ```sh block of it runs here, in order, in one bash session
// (set -euo pipefail), with the built `glassbox` and `docker-credential-glassbox` on PATH, a HOME and TMPDIR of
// its own, and free ports in place of the guide's 5055 (emulator) and 5000 (registry). The checks below are the
// guide's claims: the image round-trips, skopeo prefers a stale containers/auth.json to Docker's config.json,
// the helper makes one call, and cleaning up leaves no process listening and no file behind.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { glassboxBin, helperBin } from '../packages/cli/test/run-bin.ts';
import { freePort } from './support/free-port.ts';
import { suiteNeeding } from './support/system-programs.ts';
import { repoRoot } from './vectors.ts';

const GUIDE = join(repoRoot, 'docs', 'docker-flow-offline.md');
const GUIDE_PORTS = { emulator: 5055, registry: 5000 };

/** The ```sh blocks of a markdown text, in order, without their fences. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bash(script: string, env: Record<string, string>, cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Its own process group, killed whole: a hung guide cannot leave its background servers running.
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const test = suiteNeeding('docs/docker-flow-offline.md runs as written', ['skopeo', 'docker-registry', 'htpasswd', 'curl', 'openssl']);

test('the guide has its blocks, and its ports appear only where the test can replace them', () => {
  const blocks = shellBlocks(readFileSync(GUIDE, 'utf8'));
  assert.ok(blocks.length >= 8, `${blocks.length} sh blocks`);
  const script = blocks.join('\n');
  for (const port of Object.values(GUIDE_PORTS)) assert.match(script, `127.0.0.1:${port}`);
  assert.not.match(script.replace(/\b(5055|5000)\b/g, ''), /127\.0\.0\.1:\d/, 'every 127.0.0.1 address is one of the two ports');
});

test('every sh block runs, in order, and does what the guide says', async () => {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-flow-'));
  const ports = { emulator: await freePort(), registry: await freePort() };
  try {
    const bin = join(root, 'bin');
    const home = join(root, 'home');
    const temp = join(root, 'tmp');
    for (const dir of [bin, home, temp]) mkdirSync(dir);
    // `glassbox` and `docker-credential-glassbox` on PATH, as the README's install line puts them.
    for (const [name, file] of [
      ['glassbox', glassboxBin],
      ['docker-credential-glassbox', helperBin],
    ] as const) {
      writeFileSync(join(bin, name), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(file)} "$@"\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const blocks = shellBlocks(readFileSync(GUIDE, 'utf8')).map((block) =>
      block
        .replace(new RegExp(`\\b${GUIDE_PORTS.emulator}\\b`, 'g'), String(ports.emulator))
        .replace(new RegExp(`\\b${GUIDE_PORTS.registry}\\b`, 'g'), String(ports.registry)),
    );
    const script = [
      'set -euo pipefail',
      // If a block fails, the servers it started must not outlive the test.
      "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
      ...blocks.map((block, index) => `echo '### block ${index + 1}'\n${block}`),
    ].join('\n');
    const env = {
      PATH: `${bin}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
      HOME: home,
      TMPDIR: temp,
      LANG: 'C.UTF-8',
      NO_PROXY: '127.0.0.1',
    };
    const run = await bash(script, env, root, 180_000);
    const out = run.stdout;
    assert.is(run.code, 0, `the guide failed:\n${out}\n${run.stderr}`);

    const manifest = /^manifest: (sha256:[0-9a-f]{64})$/m.exec(out)?.[1];
    assert.ok(manifest, out);
    assert.match(out, /^33$/m, 'get-login-password printed 32 hex digits and a newline');
    assert.match(out, /^anonymous \/v2\/: HTTP 401$/m);
    assert.match(out, `layout ok: ${manifest}`);
    assert.match(out, /^Login Succeeded$/m);
    assert.match(out, `pushed: ${manifest}`);
    assert.match(out, /^refused: skopeo used the stale entry/m, 'the stale containers/auth.json won over config.json');
    assert.match(out, `with --authfile: ${manifest}`);
    assert.match(out, `"127.0.0.1:${ports.registry}": "glassbox"`);
    assert.match(out, /^hello from an offline image$/m);
    // The emulator's log: three calls (section 2, the login, the helper's one), each verified.
    const calls = out.split('\n').filter((line) => / #\d+ GetAuthorizationToken /.test(line));
    assert.is(calls.length, 3, calls.join('\n'));
    for (const line of calls) assert.match(line, /AKIAIOSFODNN7EXAMPLE: signature ok, token issued \(HTTP 200\)$/);
    assert.match(out, /^cleaned up$/m);

    // Cleaning up left nothing: no server on either port, no workspace in TMPDIR.
    assert.is(await listening(ports.emulator), false, 'the emulator is gone');
    assert.is(await listening(ports.registry), false, 'the registry is gone');
    assert.equal(readdirSync(temp), [], 'the workspace was removed');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
