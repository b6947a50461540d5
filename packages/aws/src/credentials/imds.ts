/**
 * EC2 instance metadata (IMDS), **IMDSv2 only**: there is no fallback to the unauthenticated v1 flow,
 * which is what SSRF attacks on instance credentials use. The three steps, as botocore `IMDSFetcher`
 * and `@smithy/credential-provider-imds` make them:
 *
 * 1. `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds: 21600` → a session token;
 * 2. `GET /latest/meta-data/iam/security-credentials/` with `X-aws-ec2-metadata-token` → the role name;
 * 3. `GET /latest/meta-data/iam/security-credentials/<role>` → `{Code, AccessKeyId, SecretAccessKey, Token, Expiration}`.
 *
 * Settings: `AWS_EC2_METADATA_DISABLED=true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` replaces
 * the endpoint, else `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (`IPv4` → `http://169.254.169.254`,
 * `IPv6` → `http://[fd00:ec2::254]`); `AWS_METADATA_SERVICE_TIMEOUT` (seconds, default 1) and
 * `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (default 2: one retry, for a metadata service that is slow to
 * wake) bound the wait off EC2.
 */
import { AwsError } from '../errors.ts';
import { rememberSecret } from '@glassbox/sigv4/redaction';
import { parseExpiration, readVariable, type ProviderContext, type SourceAnswer, type SourceResult } from './context.ts';
import { createCredentials } from './credentials.ts';
import type { HttpClientResponse } from './http-client.ts';

/**
 * The IMDS endpoints by `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`.
 *
 * @example
 * ```ts
 * IMDS_ENDPOINTS.IPv6; // 'http://[fd00:ec2::254]': used when AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6
 * ```
 */
export const IMDS_ENDPOINTS = {
  /** The IPv4 link-local address every EC2 instance has. */
  IPv4: 'http://169.254.169.254',
  /** The IPv6 address, on Nitro instances with IPv6 enabled. */
  IPv6: 'http://[fd00:ec2::254]',
} as const;

/**
 * The session token lifetime we ask for, in seconds: six hours, as every SDK asks.
 *
 * @example
 * ```ts
 * // The IMDSv2 token request every credentials lookup starts with:
 * const headers = { 'x-aws-ec2-metadata-token-ttl-seconds': String(IMDS_TOKEN_TTL_SECONDS) }; // PUT /latest/api/token
 * ```
 */
export const IMDS_TOKEN_TTL_SECONDS = 21600;

const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';

/** Where IMDS is and how long to wait for it. */
function imdsSettings(env: ProviderContext['env']): { endpoint: string; from: string; timeoutMs: number; attempts: number } {
  const positive = (name: string, fallback: number): number => {
    const text = readVariable(env, name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new AwsError('INVALID_CONFIGURATION', `${name} must be a positive number, not "${text}".`);
    return value;
  };
  const timeoutMs = positive('AWS_METADATA_SERVICE_TIMEOUT', 1) * 1000;
  const attempts = Math.min(Math.floor(positive('AWS_METADATA_SERVICE_NUM_ATTEMPTS', 2)), 10);
  const endpoint = readVariable(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT');
  if (endpoint !== undefined) {
    try {
      new URL(endpoint);
    } catch (error) {
      throw new AwsError('INVALID_CONFIGURATION', `AWS_EC2_METADATA_SERVICE_ENDPOINT is "${endpoint}", which is not a URL.`, {
        cause: error,
      });
    }
    return { endpoint: endpoint.replace(/\/+$/, ''), from: 'AWS_EC2_METADATA_SERVICE_ENDPOINT', timeoutMs, attempts };
  }
  const mode = readVariable(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE') ?? 'IPv4';
  const match = Object.entries(IMDS_ENDPOINTS).find(([name]) => name.toLowerCase() === mode.toLowerCase());
  if (match === undefined)
    throw new AwsError('INVALID_CONFIGURATION', `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6, not "${mode}".`);
  return { endpoint: match[1], from: `the default ${match[0]} endpoint`, timeoutMs, attempts };
}

/**
 * Fetches instance credentials; any failure is an `IMDS_FAILED` `AwsError` saying which step failed.
 *
 * @example
 * ```ts
 * const { credentials } = await imdsCredentials(context);
 * ```
 */
export async function imdsCredentials(context: ProviderContext): Promise<SourceAnswer> {
  const settings = imdsSettings(context.env);
  const call = async (step: string, method: 'GET' | 'PUT', path: string, headers: Record<string, string>): Promise<HttpClientResponse> => {
    let lastProblem = '';
    for (let attempt = 1; attempt <= settings.attempts; attempt++) {
      try {
        const response = await context.http(settings.endpoint + path, {
          method,
          headers,
          timeoutMs: settings.timeoutMs,
          signal: context.signal,
        });
        if (response.status < 500) return response;
        lastProblem = `HTTP ${response.status}`;
      } catch (error) {
        if (error instanceof AwsError && error.code === 'ABORTED') throw error;
        lastProblem = error instanceof Error ? error.message : String(error);
      }
    }
    throw new AwsError(
      'IMDS_FAILED',
      `IMDS at ${settings.endpoint} (${settings.from}): ${step} failed after ${settings.attempts} attempt(s): ${lastProblem}`,
    );
  };

  const tokenResponse = await call('the IMDSv2 token request (PUT /latest/api/token)', 'PUT', '/latest/api/token', {
    'x-aws-ec2-metadata-token-ttl-seconds': String(IMDS_TOKEN_TTL_SECONDS),
  });
  if (tokenResponse.status !== 200 || tokenResponse.body.trim() === '') {
    throw new AwsError(
      'IMDS_FAILED',
      `IMDS at ${settings.endpoint} refused the IMDSv2 token request (HTTP ${tokenResponse.status}); Glassbox does not fall back to IMDSv1. Enable IMDSv2 on the instance (it is the default for new instances).`,
    );
  }
  rememberSecret(tokenResponse.body.trim(), 'IMDSv2 session token');
  const tokenHeader = { 'x-aws-ec2-metadata-token': tokenResponse.body.trim() };

  const roleResponse = await call('the role name request', 'GET', CREDENTIALS_PATH, tokenHeader);
  if (roleResponse.status === 404)
    throw new AwsError('IMDS_FAILED', `IMDS at ${settings.endpoint} says this instance has no IAM role (instance profile) attached.`);
  const role = roleResponse.body.split('\n')[0]?.trim() ?? '';
  if (roleResponse.status !== 200 || role === '' || /[/?#]/.test(role)) {
    throw new AwsError(
      'IMDS_FAILED',
      `IMDS at ${settings.endpoint} answered the role name request with HTTP ${roleResponse.status} and no usable role name.`,
    );
  }

  const credentialsResponse = await call(
    `the credentials request for role ${role}`,
    'GET',
    CREDENTIALS_PATH + encodeURIComponent(role),
    tokenHeader,
  );
  if (credentialsResponse.status !== 200) {
    throw new AwsError(
      'IMDS_FAILED',
      `IMDS at ${settings.endpoint} answered the credentials request for role ${role} with HTTP ${credentialsResponse.status}.`,
    );
  }
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(credentialsResponse.body) as Record<string, unknown>;
    if (typeof document !== 'object' || document === null) throw new Error('not an object');
  } catch (error) {
    throw new AwsError('IMDS_FAILED', `IMDS at ${settings.endpoint} sent credentials for role ${role} that are not a JSON object.`, {
      cause: error,
    });
  }
  const { Code, AccessKeyId, SecretAccessKey, Token } = document;
  if (Code !== undefined && Code !== 'Success')
    throw new AwsError('IMDS_FAILED', `IMDS at ${settings.endpoint} reports Code "${String(Code)}" for role ${role}.`);
  if (typeof AccessKeyId !== 'string' || AccessKeyId === '' || typeof SecretAccessKey !== 'string' || SecretAccessKey === '') {
    throw new AwsError(
      'IMDS_FAILED',
      `IMDS at ${settings.endpoint} sent credentials for role ${role} without AccessKeyId and SecretAccessKey.`,
    );
  }
  const credentials = createCredentials({
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: typeof Token === 'string' && Token !== '' ? Token : undefined,
    expiration: parseExpiration(document['Expiration'], `The Expiration from IMDS`, 'IMDS_FAILED'),
    source: `imds (role ${role})`,
  });
  return { credentials, reason: `IMDSv2 at ${settings.endpoint} (${settings.from}) answered for role ${role}` };
}

/**
 * The IMDS source for the chain: skipped when disabled, and — as in botocore — also skipped (with the
 * reason in the trace) when it cannot be reached or has no role, since it is the last resort.
 *
 * @example
 * ```ts
 * await fromInstanceMetadata(context);
 * ```
 */
export async function fromInstanceMetadata(context: ProviderContext): Promise<SourceResult> {
  if (readVariable(context.env, 'AWS_EC2_METADATA_DISABLED')?.toLowerCase() === 'true')
    return { skipped: 'AWS_EC2_METADATA_DISABLED is true' };
  try {
    return await imdsCredentials(context);
  } catch (error) {
    // Off EC2 this probe is a wasted wait (and a request to a link-local address): say how to skip it.
    if (error instanceof AwsError && error.code === 'IMDS_FAILED')
      return { skipped: `${error.message} (off EC2, set AWS_EC2_METADATA_DISABLED=true to skip this lookup)` };
    throw error;
  }
}
