/**
 * Writing a secret-bearing file so that no reader ever sees half of it and nobody else can read it:
 * a temporary file in the same folder (so `rename` stays on one file system and is atomic), written with
 * mode 0600, flushed with `fsync`, then renamed over the target. A symlinked target is followed, as Docker
 * does (docker/cli `cli/config/configfile/file.go`, `Save`), so dotfile managers keep their link.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DockerConfigError } from './errors.ts';

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
      throw error;
    }
    current = isAbsolute(target) ? target : resolve(dirname(current), target);
  }
  throw new DockerConfigError('WRITE_FAILED', `${path}: too many levels of symbolic links; point it at a real file.`, { path });
}

function modeText(mode: number): string {
  return '0' + (mode & 0o777).toString(8).padStart(3, '0');
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
    throw new DockerConfigError('WRITE_FAILED', `Cannot create the folder ${dir}: ${(error as Error).message}`, { path: dir, cause: error });
  }
  for (const warning of warnings) warn?.(warning);
  return warnings;
}

async function ensureDir(dir: string, dirMode: number): Promise<DockerConfigWarning[]> {
  try {
    await mkdir(dir, { recursive: true, mode: dirMode });
  } catch (error) {
    throw new DockerConfigError('WRITE_FAILED', `Cannot create the folder ${dir}: ${(error as Error).message}`, { path: dir, cause: error });
  }
  return [];
}

/**
 * Replaces the file at `path` (following symlinks) with `content`, atomically, with mode 0600, in a
 * folder of mode 0700 (created so, or tightened with a `DIR_MODE_FIXED` warning; a symlink's target
 * folder is only created, never tightened).
 * If the file existed with looser permissions the result is still 0600, and a `FILE_MODE_FIXED`
 * warning says so. Returns the warnings.
 *
 * @example
 * ```ts
 * await writeFileAtomic('/home/me/.docker/config.json', '{\n\t"auths": {}\n}', { warn: (w) => console.error(w.message) });
 * ```
 */
export async function writeFileAtomic(path: string, content: string, options: AtomicWriteOptions = {}): Promise<DockerConfigWarning[]> {
  const mode = options.mode ?? 0o600;
  const target = await resolveWriteTarget(path);
  const dir = dirname(target);
  // Through a symlink the file lands in someone's chosen folder (a dotfiles repository, say): create it if
  // need be, but tightening it is not our call. The folder holding the link itself is checked by the caller.
  const followed = target !== resolve(path);
  const warnings = followed ? await ensureDir(dir, options.dirMode ?? 0o700) : await ensurePrivateDir(dir, options.dirMode ?? 0o700, options.warn);

  let previousMode: number | undefined;
  try {
    previousMode = (await stat(target)).mode;
  } catch {
    previousMode = undefined;
  }

  // Docker names its temporary file `config.json<random>`; we add a dot so it is hidden and recognisable.
  const temporary = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      // A umask never widens, but an explicit chmod makes the mode exact whatever the umask.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new DockerConfigError('WRITE_FAILED', `Cannot write ${target}: ${(error as Error).message}`, { path: target, cause: error });
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
