/**
 * Writing a secret-bearing file so that no reader ever sees half of it and nobody else can read it:
 * a temporary file in the same folder (so `rename` stays on one file system and is atomic), created with
 * O_EXCL and mode 0600, flushed with `fsync`, then renamed over the target.
 *
 * Two kinds of target:
 * - config.json (`followLinks`, the default): a symlinked target is followed, as Docker does (docker/cli
 *   `cli/config/configfile/file.go`, `Save`), so dotfile managers keep their link; but a target that is a
 *   FIFO, socket or device is refused (`NOT_REGULAR_FILE`) before anything is written — as root, renaming
 *   over a `config.json -> /dev/null` would replace the system's /dev/null.
 * - the token cache (`followLinks: false`): the name itself is replaced, whatever it is. We never resolve a
 *   link ourselves (that is what let a planted link redirect the token), and `rename` replaces a link, a
 *   FIFO or someone else's file as a name, never writing through it.
 *
 * A writer killed between creating its temporary file and renaming it leaves a copy of the secret behind;
 * the next write to the same target removes such copies (see {@link removeStaleTemporaries}).
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, readlink, rename, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DockerConfigError } from './errors.ts';
import { modeText, nonRegularKind } from './file-access.ts';
import { fileSystemError } from './fs-error.ts';

/** Something worth telling the user that did not stop the operation. */
export interface DockerConfigWarning {
  /** Stable: `FILE_MODE_FIXED`, `DIR_MODE_FIXED`, `DIR_MODE_LOOSE`, `CREDS_STORE_HIDES_AUTHS`, `CRED_HELPER_HIDES_AUTHS`. */
  code: string;
  /** What happened and what to do about it. */
  message: string;
  /** The file or folder concerned. */
  path?: string | undefined;
}

/** Receives warnings as they happen (e.g. to print them on stderr). */
export type WarnCallback = (warning: DockerConfigWarning) => void;

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** File mode of the result. Default 0o600. */
  mode?: number | undefined;
  /** Mode of a folder that has to be created, and the loosest accepted for an existing one. Default 0o700. */
  dirMode?: number | undefined;
  /** Called for each permission that was fixed. */
  warn?: WarnCallback | undefined;
  /**
   * Follow a symlink at `path` and replace its target (Docker's rule for config.json; the default), refusing
   * a target that is a FIFO, socket or device; or replace the name `path` itself, whatever it is (the token
   * cache: a planted link is replaced, never followed).
   */
  followLinks?: boolean | undefined;
}

/** How many links deep a chain of symlinks may go before we give up (Linux allows 40). */
const MAX_LINK_DEPTH = 40;

/**
 * Where a write to `path` really lands: the final target of a chain of symlinks, which may not exist yet
 * (a dangling link is allowed, as in Docker).
 *
 * @example
 * ```ts
 * await resolveWriteTarget('/home/me/.docker/config.json'); // '/home/me/dotfiles/docker/config.json' when linked
 * ```
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
    let target: string;
    try {
      target = await readlink(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT') return current; // not a link, or not there yet
      throw fileSystemError('WRITE_FAILED', 'read the link', current, error);
    }
    current = isAbsolute(target) ? target : resolve(dirname(current), target);
  }
  throw new DockerConfigError('WRITE_FAILED', `${path}: too many levels of symbolic links; point it at a real file.`, { path });
}

/**
 * Creates `dir` with `dirMode` if missing; if it exists with looser permissions, tightens it and warns.
 * Returns the warnings it produced.
 *
 * @example
 * ```ts
 * const warnings = await ensurePrivateDir('/home/me/.docker'); // [] or [{ code: 'DIR_MODE_FIXED', ... }]
 * ```
 */
export async function ensurePrivateDir(dir: string, dirMode = 0o700, warn?: WarnCallback): Promise<DockerConfigWarning[]> {
  const warnings: DockerConfigWarning[] = [];
  try {
    await mkdir(dir, { recursive: true, mode: dirMode });
    const info = await stat(dir);
    const loose = info.mode & 0o777 & ~dirMode;
    // Only a folder of our own is ours to tighten: never a shared one such as /tmp (sticky bit), which
    // DOCKER_CONFIG or GLASSBOX_CACHE_DIR might name, nor another user's.
    const ours = (info.mode & 0o1000) === 0 && (typeof process.getuid !== 'function' || info.uid === process.getuid());
    if (loose !== 0) {
      try {
        if (!ours) throw new Error('shared or not ours');
        await chmod(dir, dirMode);
        warnings.push({
          code: 'DIR_MODE_FIXED',
          message: `${dir} was readable or writable by others (mode ${modeText(info.mode)}); changed it to ${modeText(dirMode)}.`,
          path: dir,
        });
      } catch {
        // Not ours to change (shared, or owned by another user): say so rather than fail the write.
        warnings.push({
          code: 'DIR_MODE_LOOSE',
          message: `${dir} has mode ${modeText(info.mode)} and could not be changed; other users may be able to replace files in it.`,
          path: dir,
        });
      }
    }
  } catch (error) {
    throw fileSystemError('WRITE_FAILED', 'create the folder', dir, error);
  }
  for (const warning of warnings) warn?.(warning);
  return warnings;
}

async function ensureDir(dir: string, dirMode: number): Promise<DockerConfigWarning[]> {
  try {
    await mkdir(dir, { recursive: true, mode: dirMode });
  } catch (error) {
    throw fileSystemError('WRITE_FAILED', 'create the folder', dir, error);
  }
  return [];
}

/** How long a temporary file of a live writer is left alone: far longer than any write takes. */
export const STALE_TEMPORARY_MS = 10 * 60_000;

/** `.<name>.<writer pid>.<12 hex digits>.tmp`: hidden, recognisable, and naming the process that wrote it. */
function temporaryName(target: string): string {
  return `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists, as another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the temporary copies of `target` that writers left behind when they were killed (kill -9, a
 * crash, a full disk): files in its folder named as {@link writeFileAtomic} names them, regular, owned
 * by this user, whose writer process is gone, or which are older than ten minutes (`STALE_TEMPORARY_MS`) (a
 * recycled process ID). Names without a PID (written before PIDs were part of the name) go by age only.
 * Someone else's files are never touched. Returns the paths removed.
 *
 * @example
 * ```ts
 * await removeStaleTemporaries('/home/me/.docker/config.json'); // ['/home/me/.docker/.config.json.4242.0a1b2c3d4e5f.tmp']
 * ```
 */
export async function removeStaleTemporaries(target: string, now = Date.now()): Promise<string[]> {
  const dir = dirname(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(?:(\\d+)\\.)?[0-9a-f]{12}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    try {
      const info = await lstat(path);
      if (!info.isFile() || (uid !== undefined && info.uid !== uid)) continue;
      const pid = match[1] === undefined ? undefined : Number(match[1]);
      const old = now - info.mtimeMs > STALE_TEMPORARY_MS;
      if (!old && (pid === undefined || pid === process.pid || !processIsGone(pid))) continue;
      await unlink(path);
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove: either way not this write's business.
    }
  }
  return removed;
}

/**
 * Checks that `target` (where a write to `path` lands) may be replaced by a regular file: missing, or a
 * regular file. A FIFO, socket or device is `NOT_REGULAR_FILE`, a folder `WRITE_FAILED`. Returns the
 * target's stats when it exists.
 *
 * @example
 * ```ts
 * await checkReplaceable(await resolveWriteTarget(path), path); // throws for a config.json -> /dev/null
 * ```
 */
export async function checkReplaceable(target: string, path: string = target): Promise<Stats | undefined> {
  let previous: Stats;
  try {
    previous = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileSystemError('WRITE_FAILED', 'inspect', target, error);
  }
  const kind = nonRegularKind(previous);
  if (kind === undefined) return previous;
  if (kind === 'a folder')
    throw new DockerConfigError('WRITE_FAILED', `Cannot write ${target}: it is a folder. Remove it or point DOCKER_CONFIG elsewhere.`, {
      path: target,
    });
  const via = target !== resolve(path) ? ` (where ${path} points)` : '';
  throw new DockerConfigError(
    'NOT_REGULAR_FILE',
    `Refusing to replace ${target}${via}: it is ${kind}, not a regular file. Point ${path} at a regular file (or remove the link) and try again.`,
    { path: target },
  );
}

/**
 * Replaces the file at `path` (following symlinks unless `followLinks` is false) with `content`,
 * atomically, with mode 0600, in a folder of mode 0700 (created so, or tightened with a `DIR_MODE_FIXED`
 * warning; a symlink's target folder is only created, never tightened).
 * If the file existed with looser permissions the result is still 0600, and a `FILE_MODE_FIXED`
 * warning says so. A followed target that is a FIFO, socket or device is `NOT_REGULAR_FILE`, a folder
 * `WRITE_FAILED`, both before anything is written; EACCES, EPERM and EROFS are `PERMISSION_DENIED`.
 * Stale temporary copies of earlier, killed writers are removed first. Returns the warnings.
 *
 * @example
 * ```ts
 * await writeFileAtomic('/home/me/.docker/config.json', '{\n\t"auths": {}\n}', { warn: (w) => console.error(w.message) });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<DockerConfigWarning[]> {
  const mode = options.mode ?? 0o600;
  const followLinks = options.followLinks ?? true;
  const target = followLinks ? await resolveWriteTarget(path) : resolve(path);
  const dir = dirname(target);
  // Through a symlink the file lands in someone's chosen folder (a dotfiles repository, say): create it if
  // need be, but tightening it is not our call. The folder holding the link itself is checked by the caller.
  const followed = target !== resolve(path);
  const warnings = followed
    ? await ensureDir(dir, options.dirMode ?? 0o700)
    : await ensurePrivateDir(dir, options.dirMode ?? 0o700, options.warn);

  let previousMode: number | undefined;
  if (followLinks) {
    previousMode = (await checkReplaceable(target, path))?.mode;
  } else {
    // The name is replaced whatever it is; only a regular file's mode is worth reporting as fixed.
    const previous = await lstat(target).catch(() => undefined);
    previousMode = previous?.isFile() ? previous.mode : undefined;
  }

  await removeStaleTemporaries(target);
  // Docker names its temporary file `config.json<random>`; we add a dot so it is hidden, and our PID so
  // that the next writer can tell a dead writer's leftovers from a live writer's file.
  const temporary = join(dir, temporaryName(target));
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content);
      // A umask never widens, but an explicit chmod makes the mode exact whatever the umask.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw fileSystemError('WRITE_FAILED', 'write', target, error);
  }
  // Make the rename itself durable; some file systems refuse to open a folder for fsync, which is harmless.
  try {
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // best effort
  }

  if (previousMode !== undefined && (previousMode & 0o777 & ~mode) !== 0) {
    const warning: DockerConfigWarning = {
      code: 'FILE_MODE_FIXED',
      message: `${target} was readable by others (mode ${modeText(previousMode)}); it is now ${modeText(mode)} because it holds credentials.`,
      path: target,
    };
    warnings.push(warning);
    options.warn?.(warning);
  }
  return warnings;
}
