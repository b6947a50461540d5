// Runs the BUILT bins (packages/cli/dist/bin/*) as real subprocesses: real argv, stdin, stdout,
// stderr and exit codes. Builds the package first when dist is missing or older than any source file
// (under `npm test`, `tsc -b` has just run and nothing is rebuilt).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(packageDir, '..', '..');
export const glassboxBin = join(packageDir, 'dist', 'bin', 'glassbox.js');
/** CommonJS, to start sooner (src/bin/docker-credential-glassbox.cts says why). */
export const helperBin = join(packageDir, 'dist', 'bin', 'docker-credential-glassbox.cjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const sources = ['cli', 'sigv4', 'aws', 'ecr', 'docker-config'].map((p) => newestSource(join(repoRoot, 'packages', p, 'src')));
  // tsc -b rewrites only what changed, so the newest file of dist/ (or the build info) marks the last build.
  const buildInfo = join(packageDir, 'tsconfig.tsbuildinfo');
  const built = existsSync(glassboxBin)
    ? Math.max(newestSource(join(packageDir, 'dist')), existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : 0)
    : 0;
  if (built >= Math.max(...sources)) return;
  // Type errors elsewhere do not stop tsc from emitting; the bin's existence is what matters here.
  spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/cli'], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
  if (!existsSync(glassboxBin)) throw new Error(`could not build ${glassboxBin}: run npx tsc -b packages/cli`);
}
ensureBuilt();

/** What a run produced. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as the bytes written (a downloaded body is compared with this, not the text). */
  stdoutBytes: Buffer;
}

/** Every run's output, for the secret scan. */
export const transcripts: RunResult[] = [];

/**
 * A clean environment: an empty HOME, no AWS files, instance metadata off (so the credential chain
 * never reaches for 169.254.169.254), no colour unless asked. Nothing is inherited from the caller's
 * environment, so real AWS credentials on the machine can never be used or printed.
 */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    DOCKER_CONFIG: join(home, 'docker'),
    GLASSBOX_CACHE_DIR: join(home, 'cache'),
    NO_PROXY: '127.0.0.1',
    ...extra,
  };
}

/** Runs `glassbox ARGS` with `env`, optional stdin; resolves when it exits (killed after 20 s). */
export function runGlassbox(
  args: readonly string[],
  options: { env: Record<string, string>; stdin?: string | Uint8Array; cwd?: string },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [glassboxBin, ...args], {
      env: options.env,
      cwd: options.cwd ?? repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const result = { code, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes };
      transcripts.push(result);
      resolvePromise(result);
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** A temporary folder, removed by the returned function. */
export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'glassbox-cli-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs tasks with at most `limit` at once (each vector is a process; two cores). */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** What a run of the built docker-credential-glassbox produced. */
export interface HelperRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built docker-credential-glassbox as Docker does: the verb as argument, the request on stdin. */
export function runHelper(args: string[], stdin: string, env: Record<string, string>): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [helperBin, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}
