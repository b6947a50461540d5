/**
 * The exit codes of `glassbox`, stable so scripts can branch on them. Printed by `glassbox --help`
 * and listed in the package README.
 *
 * @example
 * ```ts
 * const code = await main(['verify', '--request-file', 'captured.txt'], processIo());
 * if (code === ExitCode.SIGNATURE_MISMATCH) console.error('the request was altered or signed with another key');
 * ```
 */
export const ExitCode = {
  /** Success. */
  OK: 0,
  /** The signature does not match, or verification failed. */
  SIGNATURE_MISMATCH: 1,
  /** Usage error: an unknown option, an unreadable file, a malformed request, a bad region or expiry. */
  USAGE: 2,
  /** AWS (or the emulator) answered with an error, or no credentials could be found. */
  AWS_ERROR: 3,
  /** The network failed: connection refused or reset, DNS, timeout, TLS. */
  NETWORK: 4,
  /** The output could not be written: stdout or `-o FILE` refused the bytes (disk full, I/O error). */
  OUTPUT: 5,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit-code table as `--help` prints it.
 *
 * @example
 * ```ts
 * program.addHelpText('after', `\n${EXIT_CODES_HELP}`); // a commander program
 * ```
 */
export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  signature mismatch / verification failed
  2  usage error (bad option, unreadable file, malformed request, unknown region, expiry out of range)
  3  AWS service or credentials error
  4  network error
  5  output error (stdout or -o FILE could not be written: disk full, I/O error)`;
