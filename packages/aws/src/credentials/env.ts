/**
 * Credentials from environment variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN` (or the legacy `AWS_SECURITY_TOKEN`), `AWS_CREDENTIAL_EXPIRATION`.
 * Rules from botocore `EnvProvider` (`botocore/credentials.py`): empty counts as unset, and a key ID
 * without its secret (or the reverse) is an error, not a reason to look further.
 */
import { AwsError } from '../errors.ts';
import { parseExpiration, readVariable, type ProviderContext, type SourceResult } from './context.ts';
import { createCredentials } from './credentials.ts';

/**
 * The source label of environment credentials.
 *
 * @example
 * ```ts
 * const { credentials } = await resolveCredentials();
 * if (credentials.source === ENV_SOURCE) console.log('using AWS_ACCESS_KEY_ID from the environment');
 * ```
 */
export const ENV_SOURCE = 'environment';

/**
 * Reads credentials from the environment, or says why not.
 *
 * @example
 * ```ts
 * await fromEnvironment(context); // { credentials, reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' }
 * ```
 */
export async function fromEnvironment(context: Pick<ProviderContext, 'env'>): Promise<SourceResult> {
  const env = context.env;
  const accessKeyId = readVariable(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = readVariable(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined)
    return { skipped: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set' };
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const [set, missing] =
      accessKeyId === undefined ? ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'] : ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
    throw new AwsError('CREDENTIALS_INVALID', `${set} is set but ${missing} is not: set both, or unset ${set}.`);
  }
  const sessionToken = readVariable(env, 'AWS_SESSION_TOKEN') ?? readVariable(env, 'AWS_SECURITY_TOKEN');
  const expiration = parseExpiration(readVariable(env, 'AWS_CREDENTIAL_EXPIRATION'), 'AWS_CREDENTIAL_EXPIRATION', 'CREDENTIALS_INVALID');
  return {
    credentials: createCredentials({ accessKeyId, secretAccessKey, sessionToken, expiration, source: ENV_SOURCE }),
    reason: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set${sessionToken === undefined ? '' : ', with a session token'}`,
  };
}
