/**
 * Where the credential helper's tests find things: the repository, the built bin, temporary folders. Not a
 * test file (scripts/test.mjs runs only `*.test.ts`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperBin } from '../../run-bin.ts';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../..');

/** The built credential helper. */
export const HELPER_BIN = helperBin;

let built = false;

/**
 * Builds packages/cli and what it depends on (tsc -b: quick when nothing changed). A type error elsewhere in
 * the CLI is reported but does not stop these tests as long as the bins were emitted (tsc -b still writes
 * them), since the bins under test do not depend on that code.
 */
export function buildOnce(): void {
  if (built) return;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b', join(ROOT, 'packages/cli')], { stdio: 'pipe', cwd: ROOT });
  } catch (error) {
    const output = String((error as { stdout?: unknown }).stdout ?? '');
    if (!existsSync(HELPER_BIN)) throw error;
    console.warn(`\n  packages/cli has type errors (not in the credential helper); testing the emitted bins:\n${output.slice(0, 2000)}`);
  }
  built = true;
}

/** A fresh temporary folder, and a function that removes it. */
export async function tempDir(prefix = 'glassbox-helper-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
