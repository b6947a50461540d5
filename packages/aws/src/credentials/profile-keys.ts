/**
 * Long-term (or pasted temporary) keys written in a profile: `aws_access_key_id`,
 * `aws_secret_access_key`, `aws_session_token`. botocore looks in the credentials file first
 * (`SharedCredentialProvider`) and in the config file last among the profile sources (`ConfigProvider`).
 */
import { AwsError } from '../errors.ts';
import { createCredentials, type Credentials } from './credentials.ts';
import type { ProviderContext, SourceResult } from './context.ts';
import { profileString, type ConfigSection } from './shared-files.ts';

/**
 * The static keys in one section, or undefined when it has none. Half a pair is an error.
 *
 * @example
 * ```ts
 * keysFromSection({ aws_access_key_id: 'AKID', aws_secret_access_key: 's' }, 'dev', 'profile-keys'); // Credentials
 * ```
 */
export function keysFromSection(section: ConfigSection | undefined, where: string, source: string): Credentials | undefined {
  const accessKeyId = profileString(section, 'aws_access_key_id');
  const secretAccessKey = profileString(section, 'aws_secret_access_key');
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? 'aws_access_key_id' : 'aws_secret_access_key';
    throw new AwsError('PROFILE_INVALID', `${where} has only half a key pair: add ${missing}.`);
  }
  const sessionToken = profileString(section, 'aws_session_token') ?? profileString(section, 'aws_security_token');
  return createCredentials({ accessKeyId, secretAccessKey, sessionToken, source });
}

/**
 * The profile's keys in the shared credentials file.
 *
 * @example
 * ```ts
 * await fromSharedCredentialsFile(context); // { credentials, reason: '[dev] in /home/me/.aws/credentials has aws_access_key_id' }
 * ```
 */
export async function fromSharedCredentialsFile(context: Pick<ProviderContext, 'config' | 'profile'>): Promise<SourceResult> {
  const { config, profile } = context;
  const file = config.credentialsFile;
  const where = `[${profile.name}] in ${file.path}`;
  if (!file.exists) return { skipped: `${file.path} does not exist` };
  const section = file.profiles[profile.name];
  if (section === undefined) return { skipped: `${file.path} has no [${profile.name}]` };
  const credentials = keysFromSection(section, where, `shared-credentials-file (profile ${profile.name})`);
  if (credentials === undefined) return { skipped: `${where} has no aws_access_key_id` };
  return { credentials, reason: `${where} has aws_access_key_id and aws_secret_access_key` };
}

/**
 * The profile's keys in the shared config file.
 *
 * @example
 * ```ts
 * await fromConfigFileKeys(context);
 * ```
 */
export async function fromConfigFileKeys(context: Pick<ProviderContext, 'config' | 'profile'>): Promise<SourceResult> {
  const { config, profile } = context;
  const file = config.configFile;
  const header = profile.name === 'default' ? '[default]' : `[profile ${profile.name}]`;
  const where = `${header} in ${file.path}`;
  if (!file.exists) return { skipped: `${file.path} does not exist` };
  const section = file.profiles[profile.name];
  if (section === undefined) return { skipped: `${file.path} has no ${header}` };
  const credentials = keysFromSection(section, where, `shared-config-file (profile ${profile.name})`);
  if (credentials === undefined) return { skipped: `${where} has no aws_access_key_id` };
  return { credentials, reason: `${where} has aws_access_key_id and aws_secret_access_key` };
}
