import { randomBytes } from 'node:crypto';
import { open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, usageError } from './cli-error.ts';
import { ExitCode } from './exit-codes.ts';

/** Where `sign --send -o FILE` puts the response body, opened before the request is sent. */
export interface OutputFile {
  /** The path as the user gave it (for messages). */
  readonly shown: string;
  /** Writes the whole body and puts the file in place. */
  commit(bytes: Uint8Array): Promise<void>;
  /** Removes what was prepared (the request failed). */
  discard(): Promise<void>;
}

/**
 * Prepares `-o FILE` as curl does, but never leaves half a file behind: the body goes to a temporary
 * file in the same folder, renamed over FILE once complete, so a reader sees the old file or the new
 * one. Created with mode 0666 less the umask — 0644 under the usual umask, like curl: a download is
 * not a secret. A FILE that exists and is not a regular file (`/dev/null`, a FIFO) is written
 * directly, as curl does, since renaming over it would replace the device. A symbolic link is
 * followed: the file it points to is the one replaced.
 *
 * Opened before sending, so a folder that does not exist or cannot be written is a usage error
 * (exit 2) before anything goes out; a failure while writing (a full disk) exits 5.
 */
export async function prepareOutputFile(path: string, cwd: string): Promise<OutputFile> {
  const shown = path;
  const absolute = resolve(cwd, path);
  const existing = await stat(absolute).catch(() => undefined);
  if (existing?.isDirectory()) throw usageError(`-o '${shown}' is a directory: give a file name`);
  if (existing !== undefined && !existing.isFile()) {
    const handle = await openOrExplain(absolute, 'w', shown);
    return {
      shown,
      commit: async (bytes) => {
        try {
          await handle.writeFile(bytes);
        } catch (error) {
          throw writeError(shown, error);
        } finally {
          await handle.close().catch(() => undefined);
        }
      },
      discard: () => handle.close().catch(() => undefined),
    };
  }
  const target = existing === undefined ? absolute : await realpath(absolute);
  const temporary = join(dirname(target), `.${basename(target)}.glassbox-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await openOrExplain(temporary, 'wx', shown, 0o666);
  const discard = async (): Promise<void> => {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
  };
  return {
    shown,
    commit: async (bytes) => {
      try {
        await handle.writeFile(bytes);
        await handle.close();
        await rename(temporary, target);
      } catch (error) {
        await discard();
        throw writeError(shown, error);
      }
    },
    discard,
  };
}

async function openOrExplain(path: string, flags: string, shown: string, mode?: number): Promise<FileHandle> {
  try {
    return await open(path, flags, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : (error as Error).message;
    throw usageError(`cannot write -o '${shown}': ${why}`, error);
  }
}

function writeError(shown: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' ? 'no space left on the device' : code === 'EDQUOT' ? 'disk quota exceeded' : (error as Error).message;
  return new CliError(ExitCode.OUTPUT, `cannot write -o '${shown}': ${why}${code ? ` (${code})` : ''}`, { cause: error });
}
