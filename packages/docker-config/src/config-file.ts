/**
 * Docker's config.json: where it is, how to read it, and how to write it back without losing anything.
 *
 * Docker reads the file into a fixed Go struct and writes that struct back, so it drops keys it does not
 * know, and its CLI overwrites a file it could not parse (docker/cli#5075). We change only what was asked
 * and splice it into the bytes as read (json-edit.ts): everything else — unknown keys, duplicate keys,
 * numbers beyond double precision, invalid UTF-8, a BOM, whitespace, values nested thousands deep — is
 * written back byte for byte. A file that does not parse is never written over.
 *
 * Duplicate keys: inside `auths` and `credHelpers` the last one wins, as in Go's encoding/json (and
 * JSON.parse). A top-level `auths`, `credHelpers` or `credsStore` that appears twice is refused
 * (`CONFIG_INVALID`, naming the key and lines): Go merges two `auths` maps where JSON.parse keeps only the
 * last, so there is no one meaning to edit.
 *
 * config.json may be a symlink (followed, as Docker does) but must end at a regular file: a FIFO, socket
 * or device is `NOT_REGULAR_FILE`, never opened for reading (so a FIFO cannot hang us) and never replaced.
 */
import { mkdir } from 'node:fs/promises';
import { homedir as osHomedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  checkReplaceable,
  ensurePrivateDir,
  resolveWriteTarget,
  writeFileAtomic,
  type DockerConfigWarning,
  type WarnCallback,
} from './atomic-write.ts';
import { DockerConfigError } from './errors.ts';
import { readCheckedFile } from './file-access.ts';
import { withFileLock } from './file-lock.ts';
import { fileSystemError } from './fs-error.ts';
import { lineAt, rootValueStart, scanObject, spliceJson } from './json-edit.ts';

/** A JSON object as parsed: keys in file order (integer-like keys excepted: JavaScript sorts those first). */
export type JsonObject = { [key: string]: unknown };

/** Where the config is and how to report on it; shared by every operation of this package. */
export interface DockerConfigOptions {
  /** The config folder (what `docker --config DIR` takes). Wins over `DOCKER_CONFIG`. */
  configDir?: string | undefined;
  /** The environment to read `DOCKER_CONFIG` and `HOME` from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The home folder. Default `HOME` from `env`, else `os.homedir()`. */
  homedir?: string | undefined;
  /** Receives each warning (fixed permissions, hidden entries) as it happens. */
  warn?: WarnCallback | undefined;
}

/** A config.json as read. */
export interface DockerConfigFile {
  /** The file's path (as located, before following any symlink). */
  path: string;
  /** Whether the file existed (a missing or empty file reads as `{}`). */
  exists: boolean;
  /** The parsed object, unknown keys included. Mutate it and pass it to {@link writeDockerConfig}. */
  data: JsonObject;
  /** The indentation found in the file (Docker writes a tab), reused when writing. */
  indent: string;
  /** Whether the file ended with a newline, kept when writing. */
  trailingNewline: boolean;
  /** The bytes as read: a write splices the changes to `data` into them and keeps every other byte. */
  raw?: Buffer | undefined;
}

/** A config.json larger than this is not one Docker wrote; it is refused rather than read into memory. */
const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

/** The top-level keys whose duplicates are refused: Go merges or overrides them, JSON.parse keeps the last. */
const SINGLE_KEYS: readonly string[] = ['auths', 'credHelpers', 'credsStore'];

/**
 * The path of config.json: `configDir/config.json`, else `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json` (docker/cli `cli/config/config.go`: `DOCKER_CONFIG` names a folder).
 *
 * @example
 * ```ts
 * dockerConfigPath({ env: { DOCKER_CONFIG: '/tmp/d' } }); // '/tmp/d/config.json'
 * ```
 */
export function dockerConfigPath(options: DockerConfigOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.configDir !== undefined && options.configDir !== '') return join(options.configDir, 'config.json');
  const fromEnv = env['DOCKER_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return join(fromEnv, 'config.json');
  const home = options.homedir ?? (env['HOME'] || osHomedir());
  return join(home, '.docker', 'config.json');
}

/** Line and column (1-based) of a character offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Where V8's JSON.parse says the error is: Node 20 writes `at position N`, Node 22 and later also
 * `(line L column C)`; a truncated document ends at the end of the text.
 */
function syntaxErrorLocation(text: string, message: string): { line: number; column: number } {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/.exec(message);
  if (position) return lineAndColumn(text, Number(position[1]));
  return lineAndColumn(text, text.length);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses config.json text. Empty text is `{}` (Docker ignores an empty file). Malformed JSON throws
 * `CONFIG_MALFORMED` with the line and column; a document whose `auths`, `credHelpers` or `credsStore` has
 * the wrong type throws `CONFIG_INVALID` (Docker would refuse it too).
 *
 * @example
 * ```ts
 * parseDockerConfig('{"auths":{}}', 'config.json'); // { auths: {} }
 * ```
 */
export function parseDockerConfig(text: string, path = 'config.json'): JsonObject {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    if (error instanceof RangeError) {
      // V8 parses iteratively (a million levels pass); should an engine run out of stack, it is still the file's shape.
      throw new DockerConfigError(
        'CONFIG_INVALID',
        `${path} is nested too deeply to read (${error.message}). Flatten the values Glassbox does not own.`,
        { path, cause: error },
      );
    }
    const { line, column } = syntaxErrorLocation(body, (error as Error).message);
    throw new DockerConfigError(
      'CONFIG_MALFORMED',
      `${path} is not valid JSON (line ${line}, column ${column}: ${(error as Error).message}). Fix it by hand; Glassbox will not overwrite it.`,
      { path, line, column, cause: error },
    );
  }
  if (!isObject(parsed)) {
    throw new DockerConfigError(
      'CONFIG_INVALID',
      `${path} must hold a JSON object ({ ... }); it holds ${Array.isArray(parsed) ? 'an array' : String(parsed)}.`,
      { path },
    );
  }
  refuseDuplicateKeys(Buffer.from(text, 'utf8'), path);
  for (const key of ['auths', 'credHelpers'] as const) {
    if (parsed[key] !== undefined && !isObject(parsed[key])) {
      throw new DockerConfigError(
        'CONFIG_INVALID',
        `${path}: "${key}" must be an object mapping registry to ${key === 'auths' ? 'an entry' : 'a helper name'}.`,
        { path },
      );
    }
  }
  if (parsed['credHelpers'] !== undefined) {
    for (const [key, value] of Object.entries(parsed['credHelpers'] as JsonObject)) {
      if (typeof value !== 'string')
        throw new DockerConfigError('CONFIG_INVALID', `${path}: credHelpers["${key}"] must be a helper name (a string).`, { path, key });
    }
  }
  if (parsed['credsStore'] !== undefined && typeof parsed['credsStore'] !== 'string') {
    throw new DockerConfigError('CONFIG_INVALID', `${path}: "credsStore" must be a helper name (a string).`, { path });
  }
  return parsed;
}

/** Throws CONFIG_INVALID when a key of {@link SINGLE_KEYS} appears twice at the top level of `bytes`. */
function refuseDuplicateKeys(bytes: Buffer, path: string): void {
  const members = scanObject(bytes, rootValueStart(bytes)).members;
  for (const key of SINGLE_KEYS) {
    const found = members.filter((member) => member.key === key);
    if (found.length < 2) continue;
    const lines = found.map((member) => lineAt(bytes, member.keyStart));
    throw new DockerConfigError(
      'CONFIG_INVALID',
      `${path}: "${key}" appears ${found.length} times (lines ${lines.join(', ')}). Docker merges duplicate "${key}" objects and other tools keep only the last, so Glassbox will not guess: merge them into one by hand.`,
      { path, key, line: lines[1] },
    );
  }
}

/** The indentation of the first nested line, or Docker's tab. */
function detectIndent(text: string): string {
  return /^\s*\{\r?\n([ \t]+)\S/.exec(text)?.[1] ?? '\t';
}

/**
 * Reads config.json. A missing file is an empty config; a malformed one throws `CONFIG_MALFORMED`
 * (naming line and column) and is left alone.
 *
 * @example
 * ```ts
 * const { data, path } = await readDockerConfig({ configDir: '/tmp/docker' });
 * console.log(path, Object.keys(data.auths ?? {}));
 * ```
 */
export async function readDockerConfig(options: DockerConfigOptions = {}): Promise<DockerConfigFile> {
  const path = dockerConfigPath(options);
  const read = readCheckedFile(path, { followLinks: true, ownedAndPrivate: false, maxBytes: MAX_CONFIG_BYTES });
  if (read.kind === 'missing') return { path, exists: false, data: {}, indent: '\t', trailingNewline: false };
  if (read.kind === 'error') throw fileSystemError('READ_FAILED', 'read', path, read.error);
  if (read.kind === 'refused') {
    if (!read.nonRegular || read.reason === 'a folder')
      throw new DockerConfigError('READ_FAILED', `Cannot read ${path}: it is ${read.reason}.`, { path });
    throw new DockerConfigError(
      'NOT_REGULAR_FILE',
      `${path} is (or links to) ${read.reason}, not a regular file; Glassbox will neither read nor replace it. Point it at a regular file, or set DOCKER_CONFIG to another folder.`,
      { path },
    );
  }
  const text = read.bytes.toString('utf8');
  return {
    path,
    exists: true,
    data: parseDockerConfig(text, path),
    indent: detectIndent(text),
    trailingNewline: text.endsWith('\n'),
    raw: read.bytes,
  };
}

/**
 * The bytes written for a config: the file as read with only the changed members spliced in (see the
 * module comment), or, for a new or empty file, the whole object with the file's indentation and final
 * newline (a tab and no newline for a new file, as Docker writes).
 *
 * @example
 * ```ts
 * renderDockerConfig({ path: 'config.json', exists: false, data: { auths: {} }, indent: '\t', trailingNewline: false }).toString();
 * ```
 */
export function renderDockerConfig(file: DockerConfigFile): Buffer {
  const raw = file.raw;
  if (raw !== undefined && rootValueStart(raw) < raw.length) {
    const before = parseDockerConfig(raw.toString('utf8'), file.path);
    return spliceJson(raw, before, file.data, file.indent);
  }
  const bom = raw !== undefined && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? '\ufeff' : '';
  return Buffer.from(bom + JSON.stringify(file.data, null, file.indent) + (file.trailingNewline ? '\n' : ''), 'utf8');
}

/**
 * The text written for a config, as {@link renderDockerConfig} makes it, decoded as UTF-8 (so invalid
 * bytes in the file show as U+FFFD here; the file itself is written from the bytes).
 *
 * @example
 * ```ts
 * serializeDockerConfig({ path: 'config.json', exists: false, data: { auths: {} }, indent: '\t', trailingNewline: false });
 * ```
 */
export function serializeDockerConfig(file: DockerConfigFile): string {
  return renderDockerConfig(file).toString('utf8');
}

/**
 * Writes a config back atomically (temporary file, fsync, rename; symlinks followed), folder 0700 and
 * file 0600, fixing looser permissions with a warning. Returns the warnings. Prefer
 * {@link updateDockerConfig}, which also locks out concurrent writers.
 *
 * @example
 * ```ts
 * const file = await readDockerConfig();
 * file.data['credsStore'] = 'glassbox';
 * await writeDockerConfig(file);
 * ```
 */
export async function writeDockerConfig(file: DockerConfigFile, options: DockerConfigOptions = {}): Promise<DockerConfigWarning[]> {
  return writeFileAtomic(file.path, renderDockerConfig(file), { warn: options.warn });
}

/** What an update function returns: whether it changed anything, and what to hand back to the caller. */
export interface ConfigChange<T> {
  /** False when nothing changed: the file is then not rewritten (as Docker 27 does, docker/cli#5553). */
  changed: boolean;
  /** Passed through to the caller of {@link updateDockerConfig}. */
  result: T;
}

/** What {@link updateDockerConfig} did. */
export interface ConfigUpdate<T> {
  /** What the change function returned as `result`. */
  result: T;
  /** The config file (as located, before following a symlink). */
  path: string;
  /** Whether the file was rewritten. */
  changed: boolean;
  /** Permissions fixed on the way (also passed to `warn`). */
  warnings: DockerConfigWarning[];
}

/**
 * Read-modify-write under a lock: reads the config, lets `change` edit `file.data`, and writes it back if
 * it says it changed something. Many processes updating different registries at once lose nothing.
 * A malformed file throws before `change` runs and is never overwritten.
 *
 * @example
 * ```ts
 * await updateDockerConfig((file) => {
 *   file.data['credsStore'] = 'glassbox';
 *   return { changed: true, result: undefined };
 * });
 * ```
 */
export async function updateDockerConfig<T>(
  change: (file: DockerConfigFile) => ConfigChange<T> | Promise<ConfigChange<T>>,
  options: DockerConfigOptions = {},
): Promise<ConfigUpdate<T>> {
  const path = dockerConfigPath(options);
  // The config folder is ours to keep private; a symlinked file's own folder is only created.
  const warnings = await ensurePrivateDir(dirname(path), 0o700, options.warn);
  const target = await resolveWriteTarget(path);
  // Before the lock: a config.json -> /dev/null must not even get a /dev/null.lock folder.
  await checkReplaceable(target, path);
  if (dirname(target) !== dirname(path)) {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw fileSystemError('WRITE_FAILED', 'create the folder', dirname(target), error);
    });
  }
  return withFileLock(target, async () => {
    const file = await readDockerConfig(options);
    const outcome = await change(file);
    if (outcome.changed) warnings.push(...(await writeDockerConfig(file, options)));
    return { result: outcome.result, path, changed: outcome.changed, warnings };
  });
}
