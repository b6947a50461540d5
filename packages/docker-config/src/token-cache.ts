/**
 * The credential helper's on-disk cache of ECR registry passwords. Docker runs the helper for every pull
 * and push, and an ECR token lasts 12 hours, so nearly every `get` should be answered from here without
 * touching the network or even loading the AWS credential chain.
 *
 * Differences from the Amazon ECR credential helper (awslabs/amazon-ecr-credential-helper
 * `ecr-login/cache/`), each on purpose:
 * - Key: the registry plus a hash of a credential *identity* (profile, role, web-identity file, container
 *   endpoint — never a secret), not of the access key ID, so temporary credentials that rotate behind a
 *   profile (assume-role, SSO) keep hitting the cache (their #269, #1107). The caller computes the hash (the
 *   credential helper in @glassbox/cli: it knows the AWS rules); this file only files entries under it.
 * - Refresh margin: an entry is fresh until a quarter of its lifetime remains (9 h of a 12 h token), where
 *   the Amazon helper refreshes at half (6 h). A quarter of 12 h is 3 h, still longer than any single
 *   push needs the token for; see {@link REFRESH_FRACTION}.
 * - On an API failure an entry is served only while it is still valid, with a warning; the Amazon helper
 *   serves even expired tokens, which Docker then sees as 403 "token has expired" (their #7).
 * - One file per key, written atomically with mode 0600, and a lock so two concurrent misses make one call.
 * - A corrupt file is ignored and rewritten.
 *
 * Files we did not create are not ours. The folder must be private (ours, writable by nobody else: a
 * folder of ours that others can write is tightened to 0700) or shared and sticky like /tmp, where
 * nobody can rename or delete another user's files. A folder others can write without the sticky bit, or
 * another user's, is not used at all. In either kind, a cache file is read only if it is a regular file
 * (`lstat`, then O_NOFOLLOW | O_NONBLOCK and `fstat` on the same inode: a planted link is never followed,
 * a FIFO never blocks), owned by us, with no group or other permission. Anything else is refused with a
 * warning and replaced: unlinked, and a new file renamed into its name — never written through.
 */
import { homedir as osHomedir } from 'node:os';
import { dirname, join } from 'node:path';
import { modeText, readCheckedFile } from './file-access.ts';

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises) and costs a warm `get` several milliseconds; this reads the same module.
const { lstatSync, statSync, unlinkSync } = process.getBuiltinModule('node:fs');

/** An environment to read variables from. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A registry password as cached. */
export interface CachedToken {
  /** The registry host the password is for. */
  registry: string;
  /** `AWS` for ECR. */
  username: string;
  /** The registry password. */
  password: string;
  /** When ECR said it expires (epoch ms). */
  expiresAt: number;
  /** When we asked for it (epoch ms): with `expiresAt`, the lifetime the refresh margin is a share of. */
  requestedAt: number;
}

/**
 * An entry is refreshed once less than this share of its lifetime remains. ECR tokens last 12 h, so
 * entries are fresh for 9 h. The Amazon helper uses 1/2 (`ecr-login/cache/credentials.go`).
 *
 * @example
 * ```ts
 * const hour = 3_600_000;
 * const entry = { registry, username: 'AWS', password, requestedAt: 0, expiresAt: 12 * hour };
 * isFresh(entry, 8 * hour);  // true: 4 h left, more than 12 h × REFRESH_FRACTION
 * isFresh(entry, 10 * hour); // false: 2 h left, so the helper asks ECR again
 * ```
 */
export const REFRESH_FRACTION = 0.25;

/**
 * A token is served after an API failure only if it stays valid at least this long (ms).
 *
 * @example
 * ```ts
 * isStillValid(entry, entry.expiresAt - 2 * MIN_REMAINING_FOR_STALE_MS); // true: may be served if ECR is unreachable
 * isStillValid(entry, entry.expiresAt - 30_000);                        // false: too close to expiry to hand to Docker
 * ```
 */
export const MIN_REMAINING_FOR_STALE_MS = 60_000;

const FORMAT_VERSION = 1;

/**
 * The cache folder: `GLASSBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/glassbox`, else `~/.cache/glassbox`
 * (the XDG Base Directory default).
 *
 * @example
 * ```ts
 * tokenCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }); // '/var/cache/me/glassbox'
 * ```
 */
export function tokenCacheDir(env: Env = process.env): string {
  const explicit = env['GLASSBOX_CACHE_DIR'];
  if (explicit) return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg) return join(xdg, 'glassbox');
  return join(env['HOME'] || osHomedir(), '.cache', 'glassbox');
}

/**
 * The cache file for a registry and identity: `<dir>/ecr-<registry host>-<identity hash>.json`.
 *
 * @example
 * ```ts
 * tokenCachePath('/c', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', '0123456789abcdef');
 * // '/c/ecr-123456789012.dkr.ecr.eu-west-1.amazonaws.com-0123456789abcdef.json'
 * ```
 */
export function tokenCachePath(dir: string, registry: string, identityHash: string): string {
  // Registry hosts are DNS names; anything else is replaced so a key can never name another path.
  const safeHost = registry.toLowerCase().replace(/[^a-z0-9.-]/g, '_');
  return join(dir, `ecr-${safeHost}-${identityHash}.json`);
}

/**
 * Whether an entry is fresh: more than {@link REFRESH_FRACTION} of its lifetime remains.
 *
 * @example
 * ```ts
 * isFresh({ registry: 'r', username: 'AWS', password: 'p', requestedAt: 0, expiresAt: 12 * 3600_000 }, 8 * 3600_000); // true
 * ```
 */
export function isFresh(entry: CachedToken, now: number): boolean {
  const lifetime = Math.max(0, entry.expiresAt - entry.requestedAt);
  return entry.expiresAt - now > lifetime * REFRESH_FRACTION && entry.expiresAt - now > MIN_REMAINING_FOR_STALE_MS;
}

/**
 * Whether an entry may still be served when the API fails: it stays valid for at least a minute.
 *
 * @example
 * ```ts
 * isStillValid({ registry: 'r', username: 'AWS', password: 'p', requestedAt: 0, expiresAt: 3600_000 }, 0); // true
 * ```
 */
export function isStillValid(entry: CachedToken, now: number): boolean {
  return entry.expiresAt - now > MIN_REMAINING_FOR_STALE_MS;
}

/** A cache file is a few hundred bytes; anything much larger is not ours. */
const MAX_ENTRY_BYTES = 64 * 1024;

/**
 * Why the folder `dir` may not hold the token cache, or undefined when it may (or does not exist yet):
 * it must be ours and writable by nobody else, or sticky (shared like /tmp, where only a file's owner can
 * replace it, and only files that are ours are read).
 */
function cacheFolderProblem(dir: string): string | undefined {
  let info;
  try {
    info = statSync(dir);
  } catch {
    return undefined; // missing: the writer creates it, 0700
  }
  if (!info.isDirectory()) return `${dir} is not a folder`;
  if ((info.mode & 0o1000) !== 0) return undefined;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && info.uid !== uid) return `${dir} belongs to another user (uid ${info.uid}) and is not a sticky shared folder`;
  if ((info.mode & 0o022) !== 0)
    return `${dir} can be written by other users (mode ${modeText(info.mode)}) without the sticky bit, so anyone could replace a cached token`;
  return undefined;
}

/** What is at a cache path: an entry, nothing, a file of another format, or a file we refuse to trust. */
type CacheRead = { kind: 'entry'; entry: CachedToken } | { kind: 'missing' } | { kind: 'corrupt' } | { kind: 'refused'; reason: string };

function readCacheFile(path: string): CacheRead {
  const folderProblem = cacheFolderProblem(dirname(path));
  if (folderProblem !== undefined) return { kind: 'refused', reason: folderProblem };
  const read = readCheckedFile(path, { followLinks: false, ownedAndPrivate: true, maxBytes: MAX_ENTRY_BYTES });
  if (read.kind === 'missing' || read.kind === 'error') return { kind: 'missing' };
  if (read.kind === 'refused') return { kind: 'refused', reason: `it is ${read.reason}` };
  try {
    const value = JSON.parse(read.bytes.toString('utf8')) as Record<string, unknown> | null;
    if (
      value?.['version'] === FORMAT_VERSION &&
      typeof value['registry'] === 'string' &&
      typeof value['username'] === 'string' &&
      typeof value['password'] === 'string' &&
      value['password'] !== '' &&
      typeof value['expiresAt'] === 'number' &&
      Number.isFinite(value['expiresAt']) &&
      typeof value['requestedAt'] === 'number' &&
      Number.isFinite(value['requestedAt'])
    ) {
      return {
        kind: 'entry',
        entry: {
          registry: value['registry'],
          username: value['username'],
          password: value['password'],
          expiresAt: value['expiresAt'],
          requestedAt: value['requestedAt'],
        },
      };
    }
  } catch {
    // fall through
  }
  return { kind: 'corrupt' };
}

/**
 * Reads an entry; undefined when missing, `'corrupt'` when the file is not an entry of this format or is
 * not one we may trust (a link, FIFO, socket or device; another user's file; a group- or world-readable
 * one; any file in a folder others can write without the sticky bit). Never follows a link, never blocks.
 *
 * @example
 * ```ts
 * const entry = await readCachedToken(tokenCachePath(dir, registry, hash));
 * if (typeof entry === 'object') console.log(new Date(entry.expiresAt));
 * ```
 */
export async function readCachedToken(path: string): Promise<CachedToken | undefined | 'corrupt'> {
  // Synchronous on purpose: one small file, and node:fs/promises would cost the warm path its load time.
  const read = readCacheFile(path);
  if (read.kind === 'entry') return read.entry;
  return read.kind === 'missing' ? undefined : 'corrupt';
}

/**
 * Writes an entry atomically, mode 0600, in a 0700 folder, replacing whatever has the name (a link is
 * replaced, never followed).
 *
 * @example
 * ```ts
 * await writeCachedToken(tokenCachePath(dir, registry, hash), { registry, username: 'AWS', password, expiresAt, requestedAt: Date.now() });
 * ```
 */
export async function writeCachedToken(path: string, entry: CachedToken): Promise<void> {
  // Loaded here, not at the top: the warm path (a cache hit) only reads.
  const { writeFileAtomic } = await import('./atomic-write.ts');
  await writeFileAtomic(
    path,
    JSON.stringify({ version: FORMAT_VERSION, ...entry, expires: new Date(entry.expiresAt).toISOString() }) + '\n',
    { followLinks: false },
  );
}

/** What a fetch of a new token returns. */
export interface FetchedToken {
  /** `AWS` for ECR. */
  username: string;
  /** The registry password. */
  password: string;
  /** When ECR says it expires. */
  expiresAt: Date;
}

/** Options of {@link cachedToken}. */
export interface CachedTokenOptions {
  /** The registry host (the cache key's first half). */
  registry: string;
  /** The credential identity hash (the second half). */
  identityHash: string;
  /** The cache folder. */
  cacheDir: string;
  /** Asks the API; called at most once, and only on a miss. */
  fetch: () => Promise<FetchedToken>;
  /** Receives user-facing warnings (stale serving, corrupt cache). */
  warn: (message: string) => void;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Where a token came from: a fresh cache entry, the API, or a cache entry served because the API failed. */
export type TokenSource = 'cache' | 'api' | 'stale-cache';

/** What {@link cachedToken} returns. */
export interface CachedTokenResult {
  /** The token to hand to Docker. */
  token: CachedToken;
  /** Where it came from. */
  source: TokenSource;
}

/**
 * Looks up a fresh cached token without taking a lock or loading anything: the warm path.
 *
 * @example
 * ```ts
 * const hit = await freshCachedToken('/c/ecr-….json', Date.now());
 * ```
 */
export async function freshCachedToken(path: string, now: number): Promise<CachedToken | undefined> {
  const read = readCacheFile(path);
  return read.kind === 'entry' && isFresh(read.entry, now) ? read.entry : undefined;
}

/**
 * A token for the registry: a fresh cached one, else a new one from `fetch` (cached), else — when
 * `fetch` fails — a cached one that is still valid, with a warning. Concurrent callers (other processes
 * included) wait on a lock and re-read, so only one of them calls the API.
 *
 * @example
 * ```ts
 * const { token, source } = await cachedToken({ registry, identityHash, cacheDir, fetch, warn: (m) => process.stderr.write(m + '\n') });
 * ```
 */
export async function cachedToken(options: CachedTokenOptions): Promise<CachedTokenResult> {
  const now = options.now ?? Date.now;
  const path = tokenCachePath(options.cacheDir, options.registry, options.identityHash);
  const first = await freshCachedToken(path, now());
  if (first) return { token: first, source: 'cache' };

  // The miss path: only now load the writer and the lock.
  const [{ ensurePrivateDir }, { withFileLock }, { DockerConfigError }] = await Promise.all([
    import('./atomic-write.ts'),
    import('./file-lock.ts'),
    import('./errors.ts'),
  ]);
  // A cache that cannot be used costs an API call per pull, not the pull itself (as in the Amazon helper).
  const uncached = async (why: string): Promise<CachedTokenResult> => {
    options.warn(`glassbox: not caching the ECR token: ${why}`);
    const requestedAt = now();
    const fetched = await options.fetch();
    return {
      token: {
        registry: options.registry,
        username: fetched.username,
        password: fetched.password,
        expiresAt: fetched.expiresAt.getTime(),
        requestedAt,
      },
      source: 'api',
    };
  };
  try {
    await ensurePrivateDir(options.cacheDir, 0o700, (warning) => options.warn(`glassbox: ${warning.message}`));
  } catch (error) {
    return uncached(`${(error as Error).message}; set GLASSBOX_CACHE_DIR to a writable folder.`);
  }
  const folderProblem = cacheFolderProblem(options.cacheDir);
  if (folderProblem !== undefined) return uncached(`${folderProblem}; set GLASSBOX_CACHE_DIR to a folder of your own.`);
  // In a shared folder a neighbour could plant the lock folder to make every pull wait: only ours is waited on.
  const plantedLock = foreignLock(`${path}.lock`);
  if (plantedLock !== undefined) return uncached(plantedLock);
  try {
    return await withFileLock(path, () => refreshUnderLock(path, options, now));
  } catch (error) {
    if (error instanceof DockerConfigError && error.code === 'LOCK_FAILED') return uncached(error.message);
    throw error;
  }
}

/** Why the lock folder at `lockPath` is not one we may wait on (not a folder, or another user's), else undefined. */
function foreignLock(lockPath: string): string | undefined {
  let info;
  try {
    info = lstatSync(lockPath);
  } catch {
    return undefined;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (!info.isDirectory()) return `${lockPath} is not a lock folder of ours`;
  if (uid !== undefined && info.uid !== uid) return `${lockPath} belongs to another user (uid ${info.uid})`;
  return undefined;
}

/** The miss path, holding the lock: re-read (another process may have refreshed), else fetch and write. */
async function refreshUnderLock(path: string, options: CachedTokenOptions, now: () => number): Promise<CachedTokenResult> {
  const read = readCacheFile(path);
  const entry = read.kind === 'entry' ? read.entry : undefined;
  if (entry !== undefined && isFresh(entry, now())) return { token: entry, source: 'cache' };
  if (read.kind === 'corrupt') options.warn(`glassbox: ignoring the unreadable token cache ${path}; it will be rewritten.`);
  if (read.kind === 'refused') {
    options.warn(`glassbox: not using the token cache file ${path}: ${read.reason}; replacing it with a file of our own.`);
    try {
      unlinkSync(path);
    } catch {
      // Not ours to remove (another user's file in a sticky folder): the write below then fails and says so.
    }
  }
  const requestedAt = now();
  let fetched: FetchedToken;
  try {
    fetched = await options.fetch();
  } catch (error) {
    if (entry !== undefined && isStillValid(entry, now())) {
      const minutes = Math.round((entry.expiresAt - now()) / 60_000);
      options.warn(
        `glassbox: could not refresh the ECR token for ${options.registry} (${(error as Error).message}); using the cached one, valid for ${minutes} more minutes.`,
      );
      return { token: entry, source: 'stale-cache' };
    }
    throw error;
  }
  const token: CachedToken = {
    registry: options.registry,
    username: fetched.username,
    password: fetched.password,
    expiresAt: fetched.expiresAt.getTime(),
    requestedAt,
  };
  try {
    await writeCachedToken(path, token);
  } catch (error) {
    // A cache that cannot be written costs an API call next time, not this pull.
    options.warn(`glassbox: could not write the token cache ${path}: ${(error as Error).message}`);
  }
  return { token, source: 'api' };
}
