/** Where the helper's tokens come from on a cache miss: @glassbox/ecr `getAuthorizationToken`, loaded on first use. */
import type { Env, FetchedToken } from '@glassbox/docker-config/token-cache';

/** The registry a token is asked for, as parsed from the host Docker gave. */
export interface EcrTokenRequest {
  /** The registry host (lower-case, no scheme, port or path). */
  host: string;
  /** The 12-digit account; absent for ECR Public. */
  account?: string | undefined;
  /** The region in the hostname (`us-east-1` for ECR Public). */
  region: string;
  /** ECR Public (`public.ecr.aws`) rather than a private registry. */
  public: boolean;
  /** The environment the helper runs with. */
  env: Env;
}

/**
 * Asks ECR (or ECR Public) for the registry's password, then closes the connections.
 *
 * @example
 * ```ts
 * const token = await fetchEcrToken({ host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', account: '123456789012', region: 'eu-west-1', public: false, env: process.env });
 * ```
 */
export async function fetchEcrToken(request: EcrTokenRequest): Promise<FetchedToken> {
  // The token entry and the transport's close, not @glassbox/ecr's root: that one loads every credential provider.
  const [{ getAuthorizationToken }, { closeConnections }] = await Promise.all([
    import('@glassbox/ecr/get-authorization-token'),
    import('@glassbox/aws/http'),
  ]);
  try {
    const result = await getAuthorizationToken({
      registry: request.host,
      region: request.region,
      public: request.public,
      ...(request.account !== undefined && !request.public ? { registryIds: [request.account] } : {}),
      env: request.env,
    });
    return { username: result.username, password: result.password, expiresAt: result.expiresAt };
  } finally {
    // Kept-alive sockets would hold the process open for seconds after Docker has its answer.
    await closeConnections();
  }
}

/**
 * An empty password is never a token (ECR issues none): the same `TOKEN_INVALID` @glassbox/ecr raises, so
 * the exit code is 3.
 *
 * @example
 * ```ts
 * if (fetched.password === '') throw emptyPasswordError();
 * ```
 */
export function emptyPasswordError(): Error {
  return Object.assign(new Error('the registry password is empty (ECR never issues one), so the token was refused and not cached'), {
    code: 'TOKEN_INVALID',
  });
}
