/**
 * Who the AWS credential chain will sign in as, described without a secret and without running the
 * chain: the credential helper keys its token cache on this, on the warm path of every `docker pull`.
 * So it is synchronous and loads only Node builtins and the one shared-file parser
 * (`credentials/shared-file-syntax.ts`): never the chain, the transport or undici.
 */
import { homedir as osHomedir } from 'node:os';
import { join } from 'node:path';
import { readAwsIni, splitConfigSections } from './credentials/shared-file-syntax.ts';
import type { Environment } from './regions.ts';

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises) and costs the helper's warm `get` several milliseconds; this is the same module.
const { closeSync, constants, existsSync, fstatSync, openSync, readFileSync } = process.getBuiltinModule('node:fs');

/** An AWS config file is a few kilobytes; one larger than this is not read for the identity. */
const MAX_AWS_CONFIG_BYTES = 4 * 1024 * 1024;

/** Settings of a profile that decide who it signs in as; none of them is a secret. */
const IDENTITY_SETTINGS: readonly string[] = [
  'role_arn',
  'source_profile',
  'credential_source',
  'role_session_name',
  'external_id',
  'web_identity_token_file',
  'credential_process',
  'sso_session',
  'sso_account_id',
  'sso_role_name',
  'sso_start_url',
  'aws_access_key_id',
];

/** Variables that change the identity whatever the profile says. */
const IDENTITY_VARIABLES = [
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/** Who the chain will sign in as. */
export interface ProfileIdentity {
  /** Human-readable and secret-free, e.g. `profile=dev config=/home/me/.aws/config role_arn=arn:aws:iam::1:role/ci`. */
  readonly description: string;
}

/**
 * Reads the config file only if it is a regular file of a sane size, opened without blocking: a FIFO
 * named by `AWS_CONFIG_FILE` must not hang every pull. Anything else (missing, unreadable) is no text.
 */
function readConfigText(path: string): string | undefined {
  // existsSync first: most machines that run the helper have no config file, and a thrown ENOENT costs a stack trace.
  if (!existsSync(path)) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_AWS_CONFIG_BYTES) return undefined;
    return readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The profile's identity settings as `key=value`, sorted; none when the file cannot be parsed (the chain will say why). */
function identitySettings(configText: string, profile: string): string[] {
  let section;
  try {
    section = splitConfigSections(readAwsIni(configText, 'the AWS config file', () => new Error('unparsable'))).profiles[profile];
  } catch {
    return [];
  }
  if (section === undefined) return [];
  const found: string[] = [];
  for (const key of IDENTITY_SETTINGS) {
    const value = section[key];
    if (typeof value === 'string') found.push(`${key}=${value}`);
  }
  return found.sort();
}

/**
 * Describes the identity the AWS credential chain will resolve to, from the environment and the
 * profile's settings: stable while temporary credentials rotate behind a profile (assume-role, SSO, web
 * identity), different when the profile, role or source changes. Environment keys come first, as in the
 * chain (botocore), and are identified by their access key ID; `AWS_DEFAULT_PROFILE` is read before
 * `AWS_PROFILE` (botocore's order).
 *
 * @example
 * ```ts
 * profileIdentity({ AWS_PROFILE: 'dev', HOME: '/home/me' }).description; // 'profile=dev config=/home/me/.aws/config'
 * ```
 */
export function profileIdentity(env: Environment = process.env): ProfileIdentity {
  const parts: string[] = [];
  const accessKeyId = env['AWS_ACCESS_KEY_ID']?.trim();
  if (accessKeyId && env['AWS_SECRET_ACCESS_KEY']) {
    parts.push(`env-access-key=${accessKeyId}`);
  } else {
    const profile = env['AWS_DEFAULT_PROFILE'] || env['AWS_PROFILE'] || 'default';
    parts.push(`profile=${profile}`);
    const configFile = env['AWS_CONFIG_FILE'] || join(env['HOME'] || osHomedir(), '.aws', 'config');
    parts.push(`config=${configFile}`);
    const text = readConfigText(configFile);
    if (text !== undefined) parts.push(...identitySettings(text, profile));
  }
  for (const name of IDENTITY_VARIABLES) {
    const value = env[name];
    if (value) parts.push(`${name}=${value}`);
  }
  return { description: parts.join(' ') };
}
