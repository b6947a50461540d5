/**
 * Web identity federation (EKS IRSA, GitHub Actions OIDC, …): a token file plus a role ARN, exchanged
 * at STS `AssumeRoleWithWebIdentity`, which is **unsigned** (`smithy.api#noAuth`: the token is the proof).
 * Inputs as botocore `AssumeRoleWithWebIdentityProvider` reads them: `AWS_WEB_IDENTITY_TOKEN_FILE`,
 * `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`, each variable winning over the profile's
 * `web_identity_token_file`, `role_arn`, `role_session_name`. The token file is re-read on every call
 * because the platform rotates it. The token is a secret too: never printed.
 */
import { readFile } from 'node:fs/promises';
import { AwsError } from '../errors.ts';
import { rememberSecret } from '@glassbox/sigv4/redaction';
import { readVariable, type ProviderContext, type SourceResult } from './context.ts';
import type { Credentials } from './credentials.ts';
import { getProfile, profileString, resolveProfileSettings } from './shared-files.ts';

/** The inputs of one `AssumeRoleWithWebIdentity` call. */
export interface WebIdentityParameters {
  /** The file holding the OIDC token (re-read on every call). */
  tokenFile: string;
  /** The role to assume. */
  roleArn: string;
  /** The session name; default `glassbox-session-<epoch seconds>`. */
  roleSessionName?: string | undefined;
  /** The profile whose endpoint settings (`[services]` `sts`, `endpoint_url`, `region`) apply. */
  profileName: string;
}

/**
 * Reads the token file and exchanges it for role credentials.
 *
 * @example
 * ```ts
 * await assumeRoleWithWebIdentity(context, { tokenFile: '/var/run/secrets/token', roleArn, profileName: 'default' });
 * ```
 */
export async function assumeRoleWithWebIdentity(context: ProviderContext, parameters: WebIdentityParameters): Promise<Credentials> {
  let token: string;
  try {
    token = (await readFile(parameters.tokenFile, 'utf8')).trim();
    rememberSecret(token, 'web identity token');
  } catch (error) {
    throw new AwsError(
      'WEB_IDENTITY_FAILED',
      `Could not read the web identity token file ${parameters.tokenFile} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      { cause: error },
    );
  }
  if (token === '') throw new AwsError('WEB_IDENTITY_FAILED', `The web identity token file ${parameters.tokenFile} is empty.`);
  const { callSts, stsEndpoint } = await import('./sts.ts'); // only once a token file is configured
  const endpoint = stsEndpoint(context, resolveProfileSettings(context.config, parameters.profileName, 'sts'));
  const { credentials } = await callSts(context, {
    action: 'AssumeRoleWithWebIdentity',
    parameters: {
      RoleArn: parameters.roleArn,
      RoleSessionName: parameters.roleSessionName ?? `glassbox-session-${Math.floor(context.now() / 1000)}`,
      WebIdentityToken: token,
    },
    endpoint,
    source: `web-identity (${parameters.roleArn})`,
    errorCode: 'WEB_IDENTITY_FAILED',
  });
  return credentials;
}

/**
 * Web identity from the environment or the selected profile, or why it does not apply.
 *
 * @example
 * ```ts
 * await fromWebIdentity(context); // { credentials, reason: 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set' }
 * ```
 */
export async function fromWebIdentity(context: ProviderContext): Promise<SourceResult> {
  const profile = getProfile(context.config, context.profile.name);
  const pick = (variable: string, key: string): [string | undefined, string] => {
    const fromEnv = readVariable(context.env, variable);
    if (fromEnv !== undefined) return [fromEnv, variable];
    return [profileString(profile?.values, key), `${key} in profile ${context.profile.name}`];
  };
  const [tokenFile, tokenFrom] = pick('AWS_WEB_IDENTITY_TOKEN_FILE', 'web_identity_token_file');
  const [roleArn, roleFrom] = pick('AWS_ROLE_ARN', 'role_arn');
  const [roleSessionName] = pick('AWS_ROLE_SESSION_NAME', 'role_session_name');
  if (tokenFile === undefined)
    return { skipped: `neither AWS_WEB_IDENTITY_TOKEN_FILE nor web_identity_token_file (profile ${context.profile.name}) is set` };
  if (roleArn === undefined) return { skipped: `${tokenFrom} is set but no role ARN (AWS_ROLE_ARN or role_arn) is` };
  const credentials = await assumeRoleWithWebIdentity(context, { tokenFile, roleArn, roleSessionName, profileName: context.profile.name });
  return { credentials, reason: `${tokenFrom} and ${roleFrom} are set; STS AssumeRoleWithWebIdentity answered for ${roleArn}` };
}
