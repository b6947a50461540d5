/**
 * A cross-process lock beside a file, so that read-modify-write cycles from many processes (several
 * `glassbox ecr login`s, or Docker running the helper for every layer of a build) run one at a time.
 * proper-lockfile takes the lock by `mkdir <file>.lock` (atomic on every local file system) and treats a
 * lock whose holder stopped refreshing it as stale, so a crashed process cannot block the next one forever.
 *
 * The waiting is ours, not the library's: its retry schedule (`retries` × a randomised, growing timeout)
 * has no deadline: sized for the 15 s its message promised, it gave up after about 29 s. We ask it for one
 * attempt at a time and stop at a wall-clock deadline, so the wait is what the message says. A failure
 * that waiting cannot cure — EACCES, EPERM, EROFS — is reported at once as `PERMISSION_DENIED`.
 */
import { DockerConfigError } from './errors.ts';
import { fileSystemError } from './fs-error.ts';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /**
   * Give up after this long waiting for other holders. Default 30 000 ms: longer than `staleMs`, so a crashed
   * holder's lock is taken over rather than waited out, and long enough for a queue of writers to drain
   * (210 processes writing at once on two cores took about 25 s: `pnpm soak`).
   */
  waitMs?: number | undefined;
  /** A lock not refreshed for this long is taken over. Default 10 000 ms (the library's minimum is 2 000). */
  staleMs?: number | undefined;
}

/** The mode of the lock folder, whatever the umask: nobody else may put anything in it (it would block our `rmdir`). */
export const LOCK_DIR_MODE = 0o700;

const fs = process.getBuiltinModule('node:fs');

/** node:fs, with `mkdir` creating the lock folder 0700 (proper-lockfile calls `mkdir(path, callback)`, mode 0777 & ~umask). */
const lockFs = {
  ...fs,
  mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.mkdir(path, { mode: LOCK_DIR_MODE }, callback),
};

/**
 * Runs `task` while holding the lock `<path>.lock`. The folder of `path` must exist; `path` itself need not.
 * The library is loaded on first use: the credential helper's fast path never takes a lock.
 *
 * @example
 * ```ts
 * const config = await withFileLock('/home/me/.docker/config.json', async () => readAndUpdate());
 * ```
 */
export async function withFileLock<T>(path: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const { lock } = await import('proper-lockfile');
  const waitMs = options.waitMs ?? 30_000;
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + waitMs;
  // Short, growing waits: the holders here keep the lock for milliseconds.
  let pause = 5;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lock(path, {
        realpath: false,
        lockfilePath: lockPath,
        fs: lockFs,
        stale: Math.max(2_000, options.staleMs ?? 10_000),
        retries: 0,
        // A lost lock only means another process may have taken over a stale one; the task's own write is
        // still atomic, so there is nothing to abort.
        onCompromised: () => undefined,
      });
      break;
    } catch (error) {
      // Only a lock held by someone else is worth waiting for; anything else (EACCES, EROFS, ENOENT) is final.
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED')
        throw fileSystemError('LOCK_FAILED', 'create the lock folder', lockPath, error);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new DockerConfigError(
          'LOCK_FAILED',
          `Could not lock ${path} within ${waitMs} ms: another process holds ${lockPath}. If none is running, remove that folder.`,
          { path, cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause * (1 + Math.random()), remaining)));
      pause = Math.min(100, pause * 1.3);
    }
  }
  try {
    return await task();
  } finally {
    await release().catch(() => undefined);
  }
}
