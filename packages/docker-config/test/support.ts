/**
 * Shared test support: temporary folders and the built bins. Not a test file (scripts/test.mjs runs only
 * `*.test.ts`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** The built credential helper. */
export const HELPER_BIN = join(ROOT, 'packages/cli/dist/bin/docker-credential-glassbox.js');

/** The built package entry, for child processes that cannot load TypeScript. */
export const DIST_INDEX = join(ROOT, 'packages/docker-config/dist/index.js');

let built = false;

/** Builds packages/cli and what it depends on (tsc -b: quick when nothing changed). */
export function buildOnce(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', join(ROOT, 'packages/cli')], { stdio: 'inherit', cwd: ROOT });
  built = true;
}

/** A fresh temporary folder, and a function that removes it. */
export async function tempDir(prefix = 'glassbox-docker-config-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
