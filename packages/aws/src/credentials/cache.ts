/**
 * Caching temporary credentials: resolve once, reuse until shortly before they expire, and let every
 * caller that arrives during a refresh wait on that same refresh instead of starting its own (a burst
 * of `docker pull`s must not become a burst of STS or IMDS calls).
 *
 * The refresh margin is **5 minutes** by default, the JS SDK's choice (botocore refreshes 15 minutes
 * ahead, and must 10 minutes ahead): long enough that a request signed just before the margin still
 * arrives well inside the credentials' lifetime, short enough that a 15-minute STS session is reused.
 * Credentials without an expiration (long-term keys) are kept for the provider's lifetime.
 * If a refresh fails while the cached credentials have not actually expired yet, those are returned
 * (botocore's "advisory refresh"); once expired, the error is thrown.
 */
import { resolveCredentials, type ResolveCredentialsOptions, type ResolvedCredentials } from './chain.ts';
import type { Credentials } from './credentials.ts';

/**
 * How long before expiry cached credentials are refreshed, in milliseconds: 5 minutes.
 *
 * @example
 * ```ts
 * // Refresh twice as early as the default, for requests that take long to send:
 * const provider = cacheCredentials(() => resolveCredentials(), { refreshMarginMs: 2 * DEFAULT_REFRESH_MARGIN_MS });
 * ```
 */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Options of {@link cacheCredentials}. */
export interface CacheOptions {
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  now?: (() => number) | undefined;
  /** Refresh this long before expiry. Default {@link DEFAULT_REFRESH_MARGIN_MS}. */
  refreshMarginMs?: number | undefined;
}

/** A cached credential source: call it for credentials. */
export interface CredentialProvider {
  (): Promise<Credentials>;
  /** The last successful resolution (source, profile, trace), if any. Holds no secret beyond the credentials object itself. */
  readonly lastResolution: ResolvedCredentials | undefined;
  /** Forget the cached credentials, so the next call resolves again (e.g. after an `ExpiredTokenException`). */
  invalidate(): void;
}

/**
 * Wraps any resolver in the cache: one in-flight resolution shared by concurrent callers, reuse until
 * `expiration - refreshMarginMs`.
 *
 * @example
 * ```ts
 * const provider = cacheCredentials(() => resolveCredentials({ profile: 'deploy' }));
 * const [a, b] = await Promise.all([provider(), provider()]); // one STS call
 * ```
 */
export function cacheCredentials(load: () => Promise<ResolvedCredentials>, options: CacheOptions = {}): CredentialProvider {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  let current: ResolvedCredentials | undefined;
  let inFlight: Promise<ResolvedCredentials> | undefined;

  const fresh = (resolved: ResolvedCredentials): boolean => {
    const expiration = resolved.credentials.expiration;
    return expiration === undefined || now() < expiration.getTime() - margin;
  };

  const provider = async (): Promise<Credentials> => {
    if (current !== undefined && fresh(current)) return current.credentials;
    inFlight ??= load().then(
      (resolved) => {
        current = resolved;
        inFlight = undefined;
        return resolved;
      },
      (error: unknown) => {
        inFlight = undefined;
        throw error;
      },
    );
    try {
      return (await inFlight).credentials;
    } catch (error) {
      const stale = current?.credentials;
      if (stale?.expiration !== undefined && now() < stale.expiration.getTime()) return stale;
      throw error;
    }
  };
  Object.defineProperty(provider, 'lastResolution', { get: () => current, enumerable: true });
  Object.defineProperty(provider, 'invalidate', {
    value: () => {
      current = undefined;
    },
  });
  return provider as CredentialProvider;
}

/** Options of {@link createCredentialProvider}: the chain's options plus the cache's. */
export interface CredentialProviderOptions extends ResolveCredentialsOptions {
  /** Refresh this long before expiry. Default {@link DEFAULT_REFRESH_MARGIN_MS} (5 minutes). */
  refreshMarginMs?: number | undefined;
}

/**
 * The credential chain behind the cache: what a long-running client should hold. `process.env` is read
 * once, here, unless `env` is given.
 *
 * @example
 * ```ts
 * const credentials = createCredentialProvider({ profile: 'deploy' });
 * await sign(request, { credentials, region: 'us-east-1', service: 'ecr' });
 * ```
 */
export function createCredentialProvider(options: CredentialProviderOptions = {}): CredentialProvider {
  const env = options.env ?? { ...process.env };
  const { refreshMarginMs, ...chainOptions } = options;
  return cacheCredentials(() => resolveCredentials({ ...chainOptions, env }), { now: options.now, refreshMarginMs });
}
