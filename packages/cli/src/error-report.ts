import { CliError } from './cli-error.ts';
import { ExitCode, type ExitCodeValue } from './exit-codes.ts';

/** The exit code for an internal error (a bug): EX_SOFTWARE from sysexits.h, outside the documented 0–4. */
export const INTERNAL_ERROR_EXIT = 70;

const NETWORK_CODES = new Set(['NETWORK_ERROR', 'TIMEOUT', 'ABORTED']);
const ECR_USAGE_CODES = new Set(['MISSING_REGION', 'INVALID_REGION', 'INVALID_ENDPOINT', 'INVALID_CONFIGURATION', 'INVALID_REGISTRY_ALIAS']);
const NODE_NETWORK_CODES = /^(ECONN|ENOTFOUND|EAI_|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|UND_ERR_(SOCKET|CONNECT|HEADERS_TIMEOUT|BODY_TIMEOUT|CLOSED))/;

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

/** The one-line (or, for service errors with a hint, few-line) message shown for an error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
