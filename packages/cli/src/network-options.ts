import { InvalidArgumentError, Option, type Command } from 'commander';

/**
 * Parses `--cli-connect-timeout` / `--cli-read-timeout` as the AWS CLI reads them: seconds, 0 for no
 * limit. Fractions are accepted (the AWS CLI takes whole seconds; a fraction costs nothing and helps tests).
 */
function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(seconds)) {
    throw new InvalidArgumentError('expected seconds, 0 or more (0 waits for ever)');
  }
  return seconds;
}

/** The two timeout flags, in milliseconds, as commands hand them to the transport. */
export interface TimeoutFlags {
  cliConnectTimeout?: number;
  cliReadTimeout?: number;
}

/** `--cli-connect-timeout`, as the AWS CLI names it. */
export function connectTimeoutOption(): Option {
  return new Option(
    '--cli-connect-timeout <seconds>',
    'seconds to connect (TCP, proxy tunnel, TLS); 0 waits for ever (default 10)',
  ).argParser(parseSeconds);
}

/** `--cli-read-timeout`, as the AWS CLI names it. */
export function readTimeoutOption(): Option {
  return new Option(
    '--cli-read-timeout <seconds>',
    'seconds to wait for the answer to start, then between pieces of it; 0 waits for ever (default 30)',
  ).argParser(parseSeconds);
}

/**
 * Adds the AWS CLI's timeout flags to a command that calls out.
 *
 * @example
 * ```ts
 * withTimeoutOptions(program.command('get-login-password'));
 * ```
 */
export function withTimeoutOptions(command: Command): Command {
  return command.addOption(connectTimeoutOption()).addOption(readTimeoutOption());
}

/**
 * The flags as transport options (milliseconds), leaving out what was not given.
 *
 * @example
 * ```ts
 * timeoutOptions({ cliConnectTimeout: 2 }); // { connectTimeoutMs: 2000 }
 * ```
 */
export function timeoutOptions(flags: TimeoutFlags): { connectTimeoutMs?: number; readTimeoutMs?: number } {
  return {
    ...(flags.cliConnectTimeout === undefined ? {} : { connectTimeoutMs: Math.round(flags.cliConnectTimeout * 1000) }),
    ...(flags.cliReadTimeout === undefined ? {} : { readTimeoutMs: Math.round(flags.cliReadTimeout * 1000) }),
  };
}
