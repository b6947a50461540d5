/**
 * Assume role from a profile: `role_arn` plus exactly one of `source_profile` (another profile's
 * credentials, possibly itself assuming a role: chains are followed, cycles refused) or
 * `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`). The source credentials
 * sign STS `AssumeRole` with SigV4 (service `sts`). Rules from botocore `AssumeRoleProvider`:
 * a profile with `web_identity_token_file` is the web identity provider's instead; both sources, or
 * neither, is a configuration error. `role_session_name`, `external_id` and `duration_seconds` are
 * passed on; `mfa_serial` needs an interactive prompt this library does not have, so it is refused.
 */
// The sources a role can start from (container, IMDS, web identity, credential_process) and STS itself are
// imported when a role needs them: the chain asks this provider first for every profile, most of which
// hold plain keys.
import { AwsError } from '../errors.ts';
import type { ProviderContext, SourceResult } from './context.ts';
import type { Credentials } from './credentials.ts';
import { fromEnvironment } from './env.ts';
import { keysFromSection } from './profile-keys.ts';
import { getProfile, profileNotFound, profileString, resolveProfileSettings, type Profile } from './shared-files.ts';

/**
 * The `credential_source` values botocore accepts.
 *
 * @example
 * ```ts
 * // ~/.aws/config:  [profile deploy]  role_arn = arn:aws:iam::123456789012:role/deploy  credential_source = Ec2InstanceMetadata
 * const source = profile.values['credential_source'];
 * const valid = typeof source === 'string' && (CREDENTIAL_SOURCES as readonly string[]).includes(source);
 * ```
 */
export const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;

/** How many `source_profile` hops we follow before calling it a loop. */
const MAX_CHAIN = 10;

/**
 * Whether a profile is an assume-role profile (has `role_arn` and is not a web identity profile).
 *
 * @example
 * ```ts
 * isAssumeRoleProfile(getProfile(config, 'deploy')); // true
 * ```
 */
export function isAssumeRoleProfile(profile: Profile | undefined): boolean {
  return (
    profileString(profile?.values, 'role_arn') !== undefined && profileString(profile?.values, 'web_identity_token_file') === undefined
  );
}

async function fromCredentialSource(context: ProviderContext, source: string, profileName: string): Promise<Credentials> {
  const where = `credential_source = ${source} in profile ${profileName}`;
  if (source === 'Environment') {
    const result = await fromEnvironment(context);
    if ('skipped' in result) throw new AwsError('ASSUME_ROLE_FAILED', `${where}, but ${result.skipped}.`);
    return result.credentials;
  }
  if (source === 'EcsContainer') {
    const result = await (await import('./container.ts')).containerCredentials(context);
    if (result === undefined)
      throw new AwsError('ASSUME_ROLE_FAILED', `${where}, but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set.`);
    return result.credentials;
  }
  if (source === 'Ec2InstanceMetadata') return (await (await import('./imds.ts')).imdsCredentials(context)).credentials;
  throw new AwsError(
    'PROFILE_INVALID',
    `Profile ${profileName} has credential_source = ${source}; expected one of ${CREDENTIAL_SOURCES.join(', ')}.`,
  );
}

/**
 * The credentials a profile stands for when another profile names it as `source_profile`: its role
 * (followed recursively), its web identity, its static keys, or its `credential_process`.
 */
async function sourceProfileCredentials(context: ProviderContext, name: string, visited: string[]): Promise<Credentials> {
  const profile = getProfile(context.config, name);
  if (profile === undefined) throw profileNotFound(context.config, { name, from: `source_profile of profile ${visited.at(-1)}` });
  if (isAssumeRoleProfile(profile)) return assumeRoleForProfile(context, profile, visited);
  const roleArn = profileString(profile.values, 'role_arn');
  const tokenFile = profileString(profile.values, 'web_identity_token_file');
  if (roleArn !== undefined && tokenFile !== undefined) {
    const { assumeRoleWithWebIdentity } = await import('./web-identity.ts');
    return assumeRoleWithWebIdentity(context, {
      tokenFile,
      roleArn,
      roleSessionName: profileString(profile.values, 'role_session_name'),
      profileName: name,
    });
  }
  const keys = keysFromSection(profile.values, `profile ${name}`, `shared files (profile ${name})`);
  if (keys !== undefined) return keys;
  const commandLine = profileString(profile.values, 'credential_process');
  if (commandLine !== undefined) return (await import('./process.ts')).credentialsFromProcess(commandLine, context, name);
  throw new AwsError(
    'ASSUME_ROLE_FAILED',
    `Profile ${name} is used as a source_profile but has no credentials: give it aws_access_key_id/aws_secret_access_key, credential_process, or a role.`,
  );
}

/**
 * Assumes the role a profile describes, resolving its source first.
 *
 * @example
 * ```ts
 * const credentials = await assumeRoleForProfile(context, getProfile(context.config, 'deploy')!);
 * ```
 */
export async function assumeRoleForProfile(context: ProviderContext, profile: Profile, visited: string[] = []): Promise<Credentials> {
  const name = profile.name;
  if (visited.includes(name)) {
    throw new AwsError('PROFILE_INVALID', `source_profile loop: ${[...visited, name].join(' -> ')}. Break the cycle in your config.`);
  }
  if (visited.length >= MAX_CHAIN)
    throw new AwsError('PROFILE_INVALID', `source_profile chain longer than ${MAX_CHAIN}: ${visited.join(' -> ')}.`);
  const roleArn = profileString(profile.values, 'role_arn') as string;
  const sourceProfile = profileString(profile.values, 'source_profile');
  const credentialSource = profileString(profile.values, 'credential_source');
  if (sourceProfile !== undefined && credentialSource !== undefined) {
    throw new AwsError('PROFILE_INVALID', `Profile ${name} has both source_profile and credential_source: keep one.`);
  }
  if (sourceProfile === undefined && credentialSource === undefined) {
    throw new AwsError(
      'PROFILE_INVALID',
      `Profile ${name} has role_arn but neither source_profile nor credential_source: add one to say which credentials assume the role.`,
    );
  }
  if (profileString(profile.values, 'mfa_serial') !== undefined) {
    throw new AwsError(
      'PROFILE_INVALID',
      `Profile ${name} has mfa_serial: Glassbox cannot prompt for an MFA code. Assume the role with the AWS CLI and pass the resulting credentials instead.`,
    );
  }
  let source: Credentials;
  if (sourceProfile === name) {
    // botocore: a profile naming itself as source_profile uses its own static keys to assume its role.
    const keys = keysFromSection(profile.values, `profile ${name}`, `shared files (profile ${name})`);
    if (keys === undefined)
      throw new AwsError(
        'PROFILE_INVALID',
        `Profile ${name} names itself as source_profile but has no aws_access_key_id / aws_secret_access_key.`,
      );
    source = keys;
  } else if (sourceProfile !== undefined) {
    source = await sourceProfileCredentials(context, sourceProfile, [...visited, name]);
  } else {
    source = await fromCredentialSource(context, credentialSource as string, name);
  }

  const parameters: Record<string, string> = {
    RoleArn: roleArn,
    RoleSessionName: profileString(profile.values, 'role_session_name') ?? `glassbox-session-${Math.floor(context.now() / 1000)}`,
  };
  const externalId = profileString(profile.values, 'external_id');
  if (externalId !== undefined) parameters['ExternalId'] = externalId;
  const duration = profileString(profile.values, 'duration_seconds');
  if (duration !== undefined) {
    if (!/^\d+$/.test(duration))
      throw new AwsError(
        'PROFILE_INVALID',
        `Profile ${name} has duration_seconds = ${duration}; expected a whole number of seconds (900 to 43200).`,
      );
    parameters['DurationSeconds'] = duration;
  }
  const { callSts, stsEndpoint } = await import('./sts.ts');
  const endpoint = stsEndpoint(context, resolveProfileSettings(context.config, name, 'sts'));
  const { credentials } = await callSts(context, {
    action: 'AssumeRole',
    parameters,
    endpoint,
    signWith: source,
    source: `assume-role (profile ${name}, ${roleArn}, via ${source.source})`,
    errorCode: 'ASSUME_ROLE_FAILED',
  });
  return credentials;
}

/**
 * The assume-role source for the chain: the selected profile's role, or why it does not apply.
 *
 * @example
 * ```ts
 * await fromAssumeRole(context); // { credentials, reason: 'profile deploy has role_arn and source_profile' }
 * ```
 */
export async function fromAssumeRole(context: ProviderContext): Promise<SourceResult> {
  const profile = getProfile(context.config, context.profile.name);
  if (profile === undefined) return { skipped: `profile ${context.profile.name} is not in the shared files` };
  if (!isAssumeRoleProfile(profile)) return { skipped: `profile ${context.profile.name} has no role_arn` };
  const credentials = await assumeRoleForProfile(context, profile);
  const via = profileString(profile.values, 'source_profile') !== undefined ? 'source_profile' : 'credential_source';
  return { credentials, reason: `profile ${context.profile.name} has role_arn and ${via}; STS AssumeRole answered` };
}
