/**
 * The docker-credential-helpers protocol, both sides' shared words (docker/docker-credential-helpers
 * `credentials/credentials.go`, `credentials/error.go`): a helper reads the server URL (or, for `store`, a
 * JSON object) on stdin, answers JSON on stdout, and reports an error as text on **stdout** with exit
 * code 1. Docker compares trimmed stdout with the fixed texts verbatim, so they live in one place. Pure:
 * the program that speaks it (`docker-credential-glassbox`) lives in @glassbox/cli; the client side is
 * `helper-client.ts`.
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
 * parseStoreRequest('{"Username":"AWS","Secret":"s"}'); // { error: MISSING_SERVER_URL_MESSAGE }
 * ```
 */
export const MISSING_SERVER_URL_MESSAGE = 'no credentials server URL';

/**
 * `store` was given no user name.
 *
 * @example
 * ```ts
 * parseStoreRequest('{"ServerURL":"https://example.com","Secret":"s"}'); // { error: MISSING_USERNAME_MESSAGE }
 * ```
 */
export const MISSING_USERNAME_MESSAGE = 'no credentials username';

/** What `store` was asked to keep, or the protocol error to answer with. */
export type StoreRequest =
  | {
      /** The registry, trimmed. */
      serverURL: string;
      /** The user name (`AWS` for ECR). */
      username: string;
    }
  | {
      /** The protocol's answer for a request without a server URL or user name. */
      error: typeof MISSING_SERVER_URL_MESSAGE | typeof MISSING_USERNAME_MESSAGE;
    };

/**
 * Reads `store`'s stdin (`{"ServerURL","Username","Secret"}`) as the Go helpers do: a missing or empty
 * server URL or user name is the protocol's error. The secret is not returned: no Glassbox helper keeps one.
 *
 * @example
 * ```ts
 * parseStoreRequest('{"ServerURL":"public.ecr.aws","Username":"AWS","Secret":"s"}'); // { serverURL: 'public.ecr.aws', username: 'AWS' }
 * ```
 */
export function parseStoreRequest(input: string): StoreRequest {
  let parsed: { ServerURL?: unknown; Username?: unknown } | null = null;
  try {
    parsed = JSON.parse(input) as { ServerURL?: unknown; Username?: unknown } | null;
  } catch {
    parsed = null;
  }
  const serverURL = typeof parsed?.ServerURL === 'string' ? parsed.ServerURL.trim() : '';
  if (serverURL === '') return { error: MISSING_SERVER_URL_MESSAGE };
  if (typeof parsed?.Username !== 'string' || parsed.Username === '') return { error: MISSING_USERNAME_MESSAGE };
  return { serverURL, username: parsed.Username };
}

/**
 * The answer to `get`: one line of JSON, the members in Docker's order, `ServerURL` echoing what was asked.
 *
 * @example
 * ```ts
 * formatGetAnswer('public.ecr.aws', 'AWS', password); // '{"ServerURL":"public.ecr.aws","Username":"AWS","Secret":"…"}\n'
 * ```
 */
export function formatGetAnswer(serverURL: string, username: string, secret: string): string {
  return JSON.stringify({ ServerURL: serverURL, Username: username, Secret: secret }) + '\n';
}
