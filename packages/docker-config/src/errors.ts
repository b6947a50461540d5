import { redactMarked } from './secret-marking.ts';

/**
 * Every failure @glassbox/docker-config reports, as a stable code to switch on.
 *
 * config.json: `CONFIG_MALFORMED` (not JSON; the file is left untouched), `CONFIG_INVALID` (JSON, but not
 * the shape Docker reads, e.g. `auths` is not an object), `AUTH_ENTRY_INVALID` (an `auth` value that is not
 * base64 of `user:password`), `READ_FAILED`, `WRITE_FAILED`, `LOCK_FAILED` (another process held the file
 * too long), `PERMISSION_DENIED` (EACCES, EPERM or EROFS on the path named: reported at once, never waited
 * out), `NOT_REGULAR_FILE` (config.json is, or links to, a FIFO, socket or device: never read or replaced),
 * `CREDS_STORE_HIDES_AUTHS` (a `credsStore` or `credHelpers` entry would make a plain `auths` entry
 * invisible to Docker), `INVALID_ARGUMENT`, `PASSWORD_EMPTY` (a registry password to store is empty: no
 * registry issues one, so the token it came with is broken; the CLI exits 3 for it, as for ECR's own).
 * Helpers: `HELPER_NOT_FOUND` (no `docker-credential-<name>` on PATH), `HELPER_FAILED` (it answered with
 * an error or unreadable output), `HELPER_TIMEOUT`.
 */
export type DockerConfigErrorCode =
  | 'CONFIG_MALFORMED'
  | 'CONFIG_INVALID'
  | 'AUTH_ENTRY_INVALID'
  | 'READ_FAILED'
  | 'WRITE_FAILED'
  | 'LOCK_FAILED'
  | 'PERMISSION_DENIED'
  | 'NOT_REGULAR_FILE'
  | 'CREDS_STORE_HIDES_AUTHS'
  | 'INVALID_ARGUMENT'
  | 'PASSWORD_EMPTY'
  | 'HELPER_NOT_FOUND'
  | 'HELPER_FAILED'
  | 'HELPER_TIMEOUT';

/** Extra, machine-readable facts some errors carry. */
export interface DockerConfigErrorDetails {
  /** The file concerned. */
  path?: string | undefined;
  /** 1-based line of a JSON syntax error. */
  line?: number | undefined;
  /** 1-based column of a JSON syntax error. */
  column?: number | undefined;
  /** The registry key concerned. */
  key?: string | undefined;
  /** The credential helper concerned (the `<name>` of `docker-credential-<name>`). */
  helper?: string | undefined;
}

/**
 * The error class of @glassbox/docker-config. Match on `code`; the message says what to fix.
 *
 * @example
 * ```ts
 * try {
 *   await readDockerConfig();
 * } catch (error) {
 *   if (error instanceof DockerConfigError && error.code === 'CONFIG_MALFORMED') {
 *     console.error(`fix ${error.path} at line ${error.line}, column ${error.column}`);
 *   }
 * }
 * ```
 */
export class DockerConfigError extends Error {
  /** The stable code: see {@link DockerConfigErrorCode}. */
  readonly code: DockerConfigErrorCode;
  /** The file concerned, when there is one. */
  readonly path: string | undefined;
  /** 1-based line of a JSON syntax error. */
  readonly line: number | undefined;
  /** 1-based column of a JSON syntax error. */
  readonly column: number | undefined;
  /** The registry key concerned. */
  readonly key: string | undefined;
  /** The credential helper concerned. */
  readonly helper: string | undefined;

  constructor(code: DockerConfigErrorCode, message: string, options: DockerConfigErrorDetails & { cause?: unknown } = {}) {
    // Messages may quote a helper's answer or a file: no secret this process has read stays in them.
    super(redactMarked(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DockerConfigError';
    this.code = code;
    this.path = options.path;
    this.line = options.line;
    this.column = options.column;
    this.key = options.key;
    this.helper = options.helper;
  }
}
