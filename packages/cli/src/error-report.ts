import { inCliWords } from './cli-words.ts';
import { CliError } from './cli-error.ts';
import { ExitCode, type ExitCodeValue } from './exit-codes.ts';

/** The exit code for an internal error (a bug): EX_SOFTWARE from sysexits.h, outside the documented 0–4. */
export const INTERNAL_ERROR_EXIT = 70;

const NETWORK_CODES = new Set(['NETWORK_ERROR', 'TIMEOUT', 'ABORTED']);
const TRANSPORT_USAGE_CODES = new Set(['INVALID_CONFIGURATION', 'INVALID_REQUEST']);
const ECR_USAGE_CODES = new Set([
  'MISSING_REGION',
  'INVALID_REGION',
  'INVALID_ENDPOINT',
  'INVALID_CONFIGURATION',
  'INVALID_REGISTRY_ALIAS',
]);
// Socket, DNS and TLS failures as Node and undici name them (TLS: OpenSSL's certificate codes and ERR_SSL_/ERR_TLS_).
const NODE_NETWORK_CODES =
  /^(ECONN|ENOTFOUND|EAI_|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|EPROTO|ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|UND_ERR_(SOCKET|CONNECT|HEADERS_TIMEOUT|BODY_TIMEOUT|CLOSED))/;

/**
 * Maps any error a command throws to an exit code. The packages' error classes are recognised by
 * `name` and `code` (their stable contract), so the CLI does not need to import every class.
 *
 * @example
 * ```ts
 * exitCodeFor(new CliError(ExitCode.USAGE, 'bad')); // 2
 * ```
 */
export function exitCodeFor(error: unknown): ExitCodeValue | typeof INTERNAL_ERROR_EXIT {
  if (error instanceof CliError) return error.exitCode;
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  switch (name) {
    case 'SigV4Error':
      return code === 'MISSING_CREDENTIALS' ? ExitCode.AWS_ERROR : ExitCode.USAGE;
    case 'EcrError':
      if (typeof code === 'string' && NETWORK_CODES.has(code)) return ExitCode.NETWORK;
      if (typeof code === 'string' && ECR_USAGE_CODES.has(code)) return ExitCode.USAGE;
      return ExitCode.AWS_ERROR;
    case 'AwsServiceError':
      return ExitCode.AWS_ERROR;
    case 'TransportError':
      if (typeof code === 'string' && NETWORK_CODES.has(code)) return ExitCode.NETWORK;
      if (typeof code === 'string' && TRANSPORT_USAGE_CODES.has(code)) return ExitCode.USAGE;
      return ExitCode.AWS_ERROR;
    case 'DockerConfigError':
      // An empty password is a broken token, whichever package finds it: 3, as for ECR's TOKEN_INVALID.
      return code === 'PASSWORD_EMPTY' ? ExitCode.AWS_ERROR : ExitCode.USAGE;
    default:
      break;
  }
  if (isNetworkError(error)) return ExitCode.NETWORK;
  return INTERNAL_ERROR_EXIT;
}

/** Whether an error (or its causes) is a socket-level failure from Node or undici. */
export function isNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NODE_NETWORK_CODES.test(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The transport's failure behind an error (the error itself, or one of its causes), if any. */
function transportFailure(error: unknown): { kind?: unknown; code?: unknown } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.name === 'TransportError') return current as { kind?: unknown; code?: unknown };
    current = current.cause;
  }
  return undefined;
}

/**
 * The CLI's own words for a timeout: which flag raises the limit (the transport's message names none,
 * since library callers set it as an option).
 */
function timeoutFlagHint(error: unknown): string {
  const kind = transportFailure(error)?.kind;
  if (kind === 'connect-timeout') return '\nhint: raise the limit with --cli-connect-timeout SECONDS (0 waits for ever).';
  if (kind === 'read-timeout') return '\nhint: raise the limit with --cli-read-timeout SECONDS (0 waits for ever).';
  return '';
}

/**
 * The one-line (or, for service errors with a hint, few-line) message shown for an error. Network
 * failures say so first and already end with what to do; timeouts also name the flag that raises the limit.
 *
 * @example
 * ```ts
 * describeError(new Error('boom')); // 'boom'
 * ```
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = transportFailure(error)?.code;
    const prefix = code === 'NETWORK_ERROR' || code === 'TIMEOUT' ? 'network error: ' : '';
    return `${prefix}${inCliWords(error.message)}${timeoutFlagHint(error)}`;
  }
  return String(error);
}
