/**
 * A cross-process lock beside a file, so that read-modify-write cycles from many processes (several
 * `glassbox ecr login`s, or Docker running the helper for every layer of a build) run one at a time.
 * proper-lockfile takes the lock by `mkdir <file>.lock` (atomic on every local file system) and treats a
 * lock whose holder stopped refreshing it as stale, so a crashed process cannot block the next one forever.
 */
import { DockerConfigError } from './errors.ts';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** Give up after this long waiting for another holder. Default 15 000 ms: longer than `staleMs`, so a crashed holder's lock is taken over rather than waited out. */
  waitMs?: number | undefined;
  /** A lock not refreshed for this long is taken over. Default 10 000 ms (the library's minimum is 2 000). */
  staleMs?: number | undefined;
}

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
  const waitMs = options.waitMs ?? 15_000;
  // Short, growing waits: the holders here keep the lock for milliseconds.
  const minTimeout = 5;
  const maxTimeout = 100;
  const retries = Math.max(1, Math.ceil(waitMs / ((minTimeout + maxTimeout) / 2)));
  let release: () => Promise<void>;
  try {
    release = await lock(path, {
      realpath: false,
      lockfilePath: `${path}.lock`,
      stale: Math.max(2_000, options.staleMs ?? 10_000),
      retries: { retries, factor: 1.3, minTimeout, maxTimeout, randomize: true },
      // A lost lock only means another process may have taken over a stale one; the task's own write is
      // still atomic, so there is nothing to abort.
      onCompromised: () => undefined,
    });
  } catch (error) {
    throw new DockerConfigError(
      'LOCK_FAILED',
      `Could not lock ${path} within ${waitMs} ms: another process holds ${path}.lock. If none is running, remove that folder.`,
      { path, cause: error },
    );
  }
  try {
    return await task();
  } finally {
    await release().catch(() => undefined);
  }
}
