/**
 * Shared test support: temporary folders and the built package. Not a test file (scripts/test.mjs runs only
 * `*.test.ts`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** The built package entry, for child processes that cannot load TypeScript. */
export const DIST_INDEX = join(ROOT, 'packages/docker-config/dist/index.js');

/** A built module of this package that the index does not export (the atomic writer, the lock, the token cache). */
export function distModule(name: string): string {
  return join(ROOT, 'packages/docker-config/dist', `${name}.js`);
}

let built = false;

/**
 * Builds packages/cli and what it depends on (tsc -b: quick when nothing changed). This package must
 * build cleanly; a type error elsewhere in the CLI is reported but does not stop these tests as long as the
 * bins were emitted (tsc -b still writes them), since the bins under test do not depend on that code.
 */
export function buildOnce(): void {
  if (built) return;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', join(ROOT, 'packages/docker-config')], { stdio: 'inherit', cwd: ROOT });
  try {
    execFileSync(process.execPath, [tsc, '-b', join(ROOT, 'packages/cli')], { stdio: 'pipe', cwd: ROOT });
  } catch (error) {
    const output = String((error as { stdout?: unknown }).stdout ?? '');
    if (!existsSync(join(ROOT, 'packages/cli/dist/bin/glassbox.js'))) throw error;
    console.warn(`\n  packages/cli has type errors (not in the credential helper); testing the emitted bins:\n${output.slice(0, 2000)}`);
  }
  built = true;
}

/** A fresh temporary folder, and a function that removes it. */
export async function tempDir(prefix = 'glassbox-docker-config-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
