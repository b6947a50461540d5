/**
 * Container credentials (ECS task roles, EKS Pod Identity, Greengrass, local emulators): an HTTP GET
 * answering `{AccessKeyId, SecretAccessKey, Token, Expiration}`. Rules as botocore
 * `ContainerProvider` / `ContainerMetadataFetcher` and the JS SDK `fromContainerMetadata` apply them:
 *
 * - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` wins and is resolved against `http://169.254.170.2`.
 * - `AWS_CONTAINER_CREDENTIALS_FULL_URI` may be `https://` to any host, but `http://` only to a loopback
 *   address (`127.0.0.0/8`, `::1`, `localhost`) or the ECS / EKS link-local hosts `169.254.170.2`,
 *   `169.254.170.23`, `fd00:ec2::23`: plain HTTP elsewhere would send credentials across a network.
 * - The `Authorization` header comes from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every
 *   call, since EKS rotates it; wins) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
 * - 2 s per attempt, 3 attempts on network errors and 5xx (botocore's `TIMEOUT_SECONDS`, `RETRY_ATTEMPTS`).
 */
import { readFile } from 'node:fs/promises';
import { AwsError } from '../errors.ts';
import { rememberSecret } from '@glassbox/sigv4/redaction';
import { parseExpiration, readVariable, type ProviderContext, type SourceAnswer, type SourceResult } from './context.ts';
import { createCredentials, type Credentials } from './credentials.ts';
import type { HttpClientResponse } from './http-client.ts';

// The chain's default base is the context's (context.ts), so the chain can load this file only when it reaches it.
export { ECS_CONTAINER_ENDPOINT } from './context.ts';

const TIMEOUT_MS = 2000;
const ATTEMPTS = 3;
const LINK_LOCAL_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]']);

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Where container credentials are fetched from. */
export interface ContainerCredentialsTarget {
  /** The URL to GET. */
  url: URL;
  /** The variable that gave it. */
  from: string;
}

/**
 * The URL to ask and which variable gave it, or undefined when neither variable is set; a `FULL_URI`
 * outside the allowed hosts is an error.
 *
 * @example
 * ```ts
 * containerCredentialsUrl({ env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }, containerEndpointBase: ECS_CONTAINER_ENDPOINT });
 * // { url: URL('http://169.254.170.2/v2/credentials/x'), from: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' }
 * ```
 */
export function containerCredentialsUrl(
  context: Pick<ProviderContext, 'env' | 'containerEndpointBase'>,
): ContainerCredentialsTarget | undefined {
  const relative = readVariable(context.env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
  if (relative !== undefined) {
    // Concatenate rather than resolve: resolving "//elsewhere/x" against the base would change the host.
    const base = new URL(context.containerEndpointBase);
    const url = new URL(base.origin + (relative.startsWith('/') ? relative : `/${relative}`));
    if (url.host !== base.host)
      throw new AwsError(
        'CONTAINER_CREDENTIALS_FAILED',
        `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "${relative}" does not stay on ${base.host}.`,
      );
    return { url, from: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' };
  }
  const full = readVariable(context.env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
  if (full === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(full);
  } catch (error) {
    throw new AwsError('CONTAINER_CREDENTIALS_FAILED', `AWS_CONTAINER_CREDENTIALS_FULL_URI is "${full}", which is not a URL.`, {
      cause: error,
    });
  }
  if (url.protocol === 'https:') return { url, from: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' };
  if (url.protocol === 'http:' && (isLoopback(url.hostname) || LINK_LOCAL_HOSTS.has(url.hostname)))
    return { url, from: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' };
  throw new AwsError(
    'CONTAINER_CREDENTIALS_FAILED',
    `AWS_CONTAINER_CREDENTIALS_FULL_URI points at ${url.protocol}//${url.host}: plain http is only allowed to a loopback address or 169.254.170.2 / 169.254.170.23 / [fd00:ec2::23]; use https for other hosts.`,
  );
}

async function authorizationToken(env: ProviderContext['env']): Promise<{ value: string; from: string } | undefined> {
  const file = readVariable(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
  let token: { value: string; from: string } | undefined;
  if (file !== undefined) {
    try {
      token = { value: (await readFile(file, 'utf8')).trim(), from: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE' };
    } catch (error) {
      throw new AwsError(
        'CONTAINER_CREDENTIALS_FAILED',
        `Could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: error },
      );
    }
  } else {
    const value = readVariable(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN');
    if (value !== undefined) token = { value, from: 'AWS_CONTAINER_AUTHORIZATION_TOKEN' };
  }
  rememberSecret(token?.value, 'container authorization token');
  if (token !== undefined && /[\r\n]/.test(token.value)) {
    throw new AwsError(
      'CONTAINER_CREDENTIALS_FAILED',
      `The token from ${token.from} contains a line break, which cannot go in an HTTP header.`,
    );
  }
  return token;
}

function parseContainerResponse(response: HttpClientResponse, origin: string): Credentials {
  let document: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(response.body);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    document = parsed as Record<string, unknown>;
  } catch (error) {
    throw new AwsError(
      'CONTAINER_CREDENTIALS_FAILED',
      `The container credentials endpoint ${origin} answered 200 with something that is not a JSON object.`,
      { cause: error },
    );
  }
  const { AccessKeyId, SecretAccessKey, Token } = document;
  if (typeof AccessKeyId !== 'string' || AccessKeyId === '' || typeof SecretAccessKey !== 'string' || SecretAccessKey === '') {
    throw new AwsError(
      'CONTAINER_CREDENTIALS_FAILED',
      `The container credentials endpoint ${origin} answered without AccessKeyId and SecretAccessKey.`,
    );
  }
  return createCredentials({
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: typeof Token === 'string' && Token !== '' ? Token : undefined,
    expiration: parseExpiration(document['Expiration'], `The Expiration from ${origin}`, 'CONTAINER_CREDENTIALS_FAILED'),
    source: `container (${origin})`,
  });
}

/**
 * Fetches container credentials, or undefined when neither URI variable is set.
 *
 * @example
 * ```ts
 * await containerCredentials(context); // Credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI
 * ```
 */
export async function containerCredentials(context: ProviderContext): Promise<SourceAnswer | undefined> {
  const target = containerCredentialsUrl(context);
  if (target === undefined) return undefined;
  const token = await authorizationToken(context.env);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers['authorization'] = token.value;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let response: HttpClientResponse;
    try {
      response = await context.http(target.url.href, { method: 'GET', headers, timeoutMs: TIMEOUT_MS, signal: context.signal });
    } catch (error) {
      if (error instanceof AwsError && error.code === 'ABORTED') throw error;
      lastError = error;
      continue;
    }
    if (response.status >= 500) {
      lastError = new AwsError(
        'CONTAINER_CREDENTIALS_FAILED',
        `The container credentials endpoint ${target.url.origin} answered HTTP ${response.status}.`,
      );
      continue;
    }
    if (response.status !== 200) {
      let detail = '';
      try {
        const parsed = JSON.parse(response.body) as Record<string, unknown>;
        const message = parsed['message'] ?? parsed['Message'];
        const code = parsed['code'] ?? parsed['Code'];
        detail = [code, message].filter((part) => typeof part === 'string').join(': ');
      } catch {
        // Not JSON: the status says enough.
      }
      throw new AwsError(
        'CONTAINER_CREDENTIALS_FAILED',
        `The container credentials endpoint ${target.url.origin} answered HTTP ${response.status}${detail ? ` (${detail})` : ''}${token === undefined ? '; no authorization token was sent (AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE] is unset)' : ''}.`,
      );
    }
    const credentials = parseContainerResponse(response, target.url.origin);
    return {
      credentials,
      reason: `${target.from} is set; ${target.url.origin} answered${token === undefined ? '' : ` (authorized with ${token.from})`}`,
    };
  }
  const message = lastError instanceof Error ? lastError.message : String(lastError);
  throw new AwsError(
    'CONTAINER_CREDENTIALS_FAILED',
    `The container credentials endpoint ${target.url.origin} failed ${ATTEMPTS} times; last: ${message}`,
    { cause: lastError },
  );
}

/**
 * The container source for the chain: skipped when neither URI variable is set, an error when set but
 * failing (as botocore does: a configured container endpoint that fails stops the chain).
 *
 * @example
 * ```ts
 * await fromContainer(context);
 * ```
 */
export async function fromContainer(context: ProviderContext): Promise<SourceResult> {
  const result = await containerCredentials(context);
  if (result === undefined) return { skipped: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set' };
  return result;
}
