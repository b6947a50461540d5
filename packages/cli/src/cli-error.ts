import { ExitCode, type ExitCodeValue } from './exit-codes.ts';

/**
 * The one error class of the CLI: a message for the user (one line, saying what to fix) and the
 * exit code it maps to. Anything else that escapes a command is reported as an internal error.
 *
 * @example
 * ```ts
 * throw new CliError(ExitCode.USAGE, "cannot read --request-file 'x.req': no such file");
 * ```
 */
export class CliError extends Error {
  /** The process exit code this error ends with. */
  readonly exitCode: ExitCodeValue;

  constructor(exitCode: ExitCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Shorthand for a usage error (exit 2). */
export function usageError(message: string, cause?: unknown): CliError {
  return new CliError(ExitCode.USAGE, message, cause === undefined ? undefined : { cause });
}
