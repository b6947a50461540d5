/**
 * The fixed texts of the docker-credential-helpers protocol (docker/docker-credential-helpers
 * `credentials/error.go`). Docker compares trimmed stdout with them verbatim, so they live in one place.
 */

/**
 * "Nothing stored for this server": Docker then goes on without credentials.
 *
 * @example
 * ```ts
 * // Calling another helper as Docker does: this answer means "no credentials", not a failure.
 * if (stdout.trim() === NOT_FOUND_MESSAGE) return undefined;
 * ```
 */
export const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';

/**
 * `get`, `erase` or `store` was given no server URL.
 *
 * @example
 * ```ts
 * let out = '';
 * const sink = { write: (text: string) => (out += text) };
 * await runCredentialHelper({ argv: ['get'], stdin: '', stdout: sink, stderr: sink }); // 1
 * out.trim() === MISSING_SERVER_URL_MESSAGE; // true
 * ```
 */
export const MISSING_SERVER_URL_MESSAGE = 'no credentials server URL';

/**
 * `store` was given no user name.
 *
 * @example
 * ```ts
 * let out = '';
 * const sink = { write: (text: string) => (out += text) };
 * await runCredentialHelper({ argv: ['store'], stdin: '{"ServerURL":"https://example.com","Secret":"s"}', stdout: sink, stderr: sink }); // 1
 * out.trim() === MISSING_USERNAME_MESSAGE; // true
 * ```
 */
export const MISSING_USERNAME_MESSAGE = 'no credentials username';
