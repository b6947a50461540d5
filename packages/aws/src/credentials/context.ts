/**
 * What every credential provider is given instead of reaching for globals: the environment, the home
 * directory, a clock, an HTTP client and an abort signal. The public entry points read `process.env`
 * and `os.homedir()` once and pass them down; nothing below them looks at the process.
 */
import type { Environment } from '../regions.ts';
import { AwsError, type AwsErrorCode } from '../errors.ts';
import type { Credentials } from './credentials.ts';
import type { HttpClient } from './http-client.ts';
import type { SelectedProfile, SharedConfig } from './shared-files.ts';

/**
 * The ECS credentials host `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
 *
 * @example
 * ```ts
 * const target = containerCredentialsUrl({ env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }, containerEndpointBase: ECS_CONTAINER_ENDPOINT });
 * target?.url.href; // 'http://169.254.170.2/v2/credentials/x' (tests pass a 127.0.0.1 base instead)
 * ```
 */
export const ECS_CONTAINER_ENDPOINT = 'http://169.254.170.2';

// Defined beside what they describe (the profile selection, the variables); re-exported here for the
// providers that take them with the rest of their context. shared-files.ts imports neither module back.
export type { SelectedProfile } from './shared-files.ts';
export { readVariable } from './variables.ts';

/** The injected world a provider runs in. */
export interface ProviderContext {
  /** The environment variables (`AWS_*`, `HOME`, `PATH` for `credential_process`). */
  readonly env: Environment;
  /** The home directory: `~` in file paths. */
  readonly homedir: string;
  /** The profile in use, and whether the caller named it (an explicit profile disables environment keys). */
  readonly profile: SelectedProfile;
  /** The parsed shared config and credentials files. */
  readonly config: SharedConfig;
  /** The HTTP client for STS, the container endpoint and IMDS. */
  readonly http: HttpClient;
  /** The clock, in epoch milliseconds. */
  readonly now: () => number;
  /** Cancels every network call and child process. */
  readonly signal?: AbortSignal | undefined;
  /** The proxy for STS calls: a URL, `false` for none, or undefined for `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from `env`. */
  readonly proxy?: string | false | undefined;
  /** Per-request timeout for STS and the container endpoint, in milliseconds. */
  readonly timeoutMs: number;
  /** Where `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is resolved against (ECS: `http://169.254.170.2`). */
  readonly containerEndpointBase: string;
  /** Time limit for a `credential_process` command, in milliseconds. */
  readonly processTimeoutMs: number;
}

/** One line of the credential trace: a source, what it did, and why. Never contains a secret. */
export interface CredentialTraceEntry {
  /** The source, e.g. `environment`, `assume-role`, `imds`. */
  readonly source: string;
  /** `used`: it answered; `skipped`: not configured (the chain moved on); `failed`: configured but broken (the chain stopped). */
  readonly outcome: 'used' | 'skipped' | 'failed';
  /** Why, in words: which variables or keys were (not) found, which endpoint answered. */
  readonly reason: string;
}

/** A source that answered. */
export interface SourceAnswer {
  /** The credentials it produced. */
  readonly credentials: Credentials;
  /** Why it answered: which variables or keys it found, which endpoint replied. */
  readonly reason: string;
}

/** A source that does not apply. */
export interface SourceSkip {
  /** Why not: what was missing. */
  readonly skipped: string;
}

/** A provider's answer: credentials, or the reason it does not apply. Configured-but-broken throws. */
export type SourceResult = SourceAnswer | SourceSkip;

/**
 * Parses an ISO 8601 expiration (`2026-01-01T00:00:00Z`); absent gives undefined, anything unparseable
 * an `AwsError` with the given code.
 *
 * @example
 * ```ts
 * parseExpiration('2026-01-01T00:00:00Z', 'Expiration', 'CREDENTIALS_INVALID'); // Date
 * ```
 */
export function parseExpiration(value: unknown, what: string, code: AwsErrorCode): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new AwsError(
      code,
      `${what} ${typeof value === 'string' ? `"${value.slice(0, 40)}"` : `(a ${typeof value})`} is not an ISO 8601 date such as 2026-01-01T00:00:00Z.`,
    );
  }
  return date;
}
