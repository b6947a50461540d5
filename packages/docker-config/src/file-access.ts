/**
 * Reading a file that someone else may have put there, without ever blocking on it or trusting it by
 * accident: `lstat` (or `stat` when links are followed) first, so a FIFO, socket or device is refused
 * before it is opened; then `open` with O_NONBLOCK (a FIFO swapped in after the check cannot hang us) and
 * O_NOFOLLOW when links are not followed (a link swapped in fails with ELOOP); then `fstat` on the open
 * descriptor, which must be the very inode that was checked, before a single byte is read.
 *
 * Synchronous and built on `process.getBuiltinModule('node:fs')`: the credential helper's warm path runs
 * this on every `docker pull`, and an ESM import of node:fs costs it several milliseconds.
 */
import type { Stats } from 'node:fs';

const { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } = process.getBuiltinModule('node:fs');

/** errno codes that mean "you may not", whatever the folder: reported at once, never waited out. */
export const PERMISSION_ERRNOS: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Whether a failed file-system call was refused for lack of permission (or a read-only file system).
 *
 * @example
 * ```ts
 * isPermissionError(Object.assign(new Error('x'), { code: 'EROFS' })); // true
 * ```
 */
export function isPermissionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PERMISSION_ERRNOS.has(code);
}

/**
 * What a file is, in words, when it is not a regular file (`a FIFO (named pipe)`, `a socket`, ...), else
 * undefined.
 *
 * @example
 * ```ts
 * nonRegularKind(lstatSync('/dev/null')); // 'a device'
 * ```
 */
export function nonRegularKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** `0644`-style text of a mode. */
export function modeText(mode: number): string {
  return '0' + (mode & 0o777).toString(8).padStart(3, '0');
}

/** What {@link readCheckedFile} may accept. */
export interface FileRules {
  /** Follow a symlink at `path` (config.json, as Docker) or refuse it (the token cache). */
  followLinks: boolean;
  /** Accept only a file owned by this process's user, with no group or other permission bits (the token cache). */
  ownedAndPrivate: boolean;
  /** Refuse a file larger than this. */
  maxBytes: number;
}

/** What {@link readCheckedFile} found. */
export type CheckedRead =
  | { kind: 'bytes'; bytes: Buffer; stats: Stats }
  | { kind: 'missing' }
  /** `reason` says what the file is (`a symbolic link`, `owned by uid 65534`, `mode 0644`), `nonRegular` whether it is no regular file at all. */
  | { kind: 'refused'; reason: string; nonRegular: boolean }
  | { kind: 'error'; error: NodeJS.ErrnoException };

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Why a file breaks `rules`, or undefined when it may be read. */
function refusal(stats: Stats, rules: FileRules): { reason: string; nonRegular: boolean } | undefined {
  const kind = nonRegularKind(stats);
  if (kind !== undefined) return { reason: kind, nonRegular: true };
  if (rules.ownedAndPrivate) {
    const uid = currentUid();
    if (uid !== undefined && stats.uid !== uid) return { reason: `owned by another user (uid ${stats.uid})`, nonRegular: false };
    if ((stats.mode & 0o077) !== 0) return { reason: `readable or writable by others (mode ${modeText(stats.mode)})`, nonRegular: false };
  }
  if (stats.size > rules.maxBytes) return { reason: `larger than ${rules.maxBytes} bytes`, nonRegular: false };
  return undefined;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Reads `path` if it is a regular file that `rules` accept; never opens anything else, never blocks.
 *
 * @example
 * ```ts
 * const read = readCheckedFile('/home/me/.cache/glassbox/ecr-….json', { followLinks: false, ownedAndPrivate: true, maxBytes: 65536 });
 * if (read.kind === 'refused') console.warn(`not using it: ${read.reason}`);
 * ```
 */
export function readCheckedFile(path: string, rules: FileRules): CheckedRead {
  let checked: Stats;
  try {
    checked = rules.followLinks ? statSync(path) : lstatSync(path);
  } catch (error) {
    return isMissing(error) ? { kind: 'missing' } : { kind: 'error', error: error as NodeJS.ErrnoException };
  }
  const before = refusal(checked, rules);
  if (before) return { kind: 'refused', ...before };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (rules.followLinks ? 0 : constants.O_NOFOLLOW));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (isMissing(error)) return { kind: 'missing' };
    // ELOOP: a link appeared since the lstat; ENXIO: a socket did.
    if (code === 'ELOOP') return { kind: 'refused', reason: 'a symbolic link', nonRegular: true };
    if (code === 'ENXIO') return { kind: 'refused', reason: 'a socket', nonRegular: true };
    return { kind: 'error', error: error as NodeJS.ErrnoException };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.ino !== checked.ino || stats.dev !== checked.dev)
      return { kind: 'refused', reason: 'replaced while it was being opened', nonRegular: false };
    const after = refusal(stats, rules);
    if (after) return { kind: 'refused', ...after };
    // Read to the end, not to `stats.size`: the file may grow while we read, and must stay within the bound.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.max(4096, Math.min(stats.size - length + 1, rules.maxBytes + 1 - length)));
      const count = readSync(fd, chunk, 0, chunk.length, null);
      if (count === 0) break;
      chunks.push(chunk.subarray(0, count));
      length += count;
      if (length > rules.maxBytes) return { kind: 'refused', reason: `larger than ${rules.maxBytes} bytes`, nonRegular: false };
    }
    return { kind: 'bytes', bytes: Buffer.concat(chunks, length), stats };
  } catch (error) {
    return { kind: 'error', error: error as NodeJS.ErrnoException };
  } finally {
    closeSync(fd);
  }
}
