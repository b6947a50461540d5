// Replaced at merge by @glassbox/aws profileIdentity (issue 14).
/**
 * The credential helper's cache key: who the AWS credential chain will sign in as, described without
 * secrets, and its hash. The token cache (@glassbox/docker-config `token-cache`) files entries under the
 * hash, so rotating temporary credentials behind one profile keep hitting the cache.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '@glassbox/docker-config/token-cache';

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises) and costs a warm `get` several milliseconds; this reads the same module.
const { closeSync, constants, existsSync, fstatSync, openSync, readFileSync } = process.getBuiltinModule('node:fs');

/**
 * The text of `file` when it is a regular file of at most `maxBytes`, else undefined. Opened with
 * O_NONBLOCK and checked with `fstat` on the open descriptor: a FIFO named by AWS_CONFIG_FILE must not hang
 * every pull, and what is checked is what is read.
 */
function readRegularFile(file: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > maxBytes) return undefined;
    return readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** An AWS config file is a few kilobytes; one larger than this is not read for the identity. */
const MAX_AWS_CONFIG_BYTES = 4 * 1024 * 1024;

/** Settings of a profile that decide who it signs in as; none of them is a secret. */
const IDENTITY_SETTINGS = new Set([
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
]);

/**
 * The identity-relevant settings of one profile in the AWS config file, read with a few lines of
 * section scanning rather than an INI library: this runs on the warm path of every `docker pull`.
 */
function profileSettings(configText: string, profile: string): string[] {
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  const found: string[] = [];
  let inside = false;
  for (const raw of configText.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (section) {
      inside = wanted.includes(section[1]!.replace(/\s+/g, ' '));
      continue;
    }
    if (!inside) continue;
    const setting = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (setting && IDENTITY_SETTINGS.has(setting[1]!.toLowerCase())) found.push(`${setting[1]!.toLowerCase()}=${setting[2]!.trim()}`);
  }
  return found.sort();
}

/**
 * FNV-1a, 64-bit (http://www.isthe.com/chongo/tech/comp/fnv/): a file-name key, not a security boundary —
 * the input holds no secret, and the cache folder is the user's own. Not SHA-256 because loading
 * node:crypto costs a warm `get` about 8 ms of a budget of a few tens.
 */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Who the helper will sign in as, described without secrets, and the hash the cache is keyed on. */
export interface CredentialIdentity {
  /** Human-readable, secret-free: e.g. `profile=dev role_arn=arn:aws:iam::1:role/ci`. */
  description: string;
  /** FNV-1a (64-bit) of `description`, 16 hex digits. */
  hash: string;
}

/**
 * Describes the identity the AWS credential chain will resolve to, from the environment and the
 * profile's settings — stable while temporary credentials rotate behind a profile (assume-role, SSO,
 * web identity, a credentials file rewritten by a login tool), different when the profile, role or source
 * changes. Keys in the environment are identified by their access key ID: nothing else identifies them,
 * so keys injected afresh per session (e.g. by `aws-vault exec`) miss the cache, as with the Amazon helper.
 *
 * @example
 * ```ts
 * credentialIdentity({ AWS_PROFILE: 'dev', HOME: '/home/me' }).description; // 'profile=dev ...'
 * ```
 */
export function credentialIdentity(env: Env = process.env): CredentialIdentity {
  const parts: string[] = [];
  const accessKeyId = env['AWS_ACCESS_KEY_ID']?.trim();
  // Environment keys come first in the chain, even with AWS_PROFILE set (botocore; @glassbox/ecr's chain.ts).
  if (accessKeyId && env['AWS_SECRET_ACCESS_KEY']) {
    parts.push(`env-access-key=${accessKeyId}`);
  } else {
    // botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE.
    const profile = env['AWS_DEFAULT_PROFILE'] || env['AWS_PROFILE'] || 'default';
    parts.push(`profile=${profile}`);
    const configFile = env['AWS_CONFIG_FILE'] || join(env['HOME'] || homedir(), '.aws', 'config');
    parts.push(`config=${configFile}`);
    // existsSync first: most machines that run the helper have no config file, and a thrown ENOENT costs a
    // stack trace. Read only if it is a regular file: a FIFO named by AWS_CONFIG_FILE must not hang every pull.
    if (existsSync(configFile)) {
      const text = readRegularFile(configFile, MAX_AWS_CONFIG_BYTES);
      // Unreadable or not a file: the identity is the profile name and the environment below.
      if (text !== undefined) parts.push(...profileSettings(text, profile));
    }
  }
  for (const name of ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
    const value = env[name];
    if (value) parts.push(`${name}=${value}`);
  }
  const description = parts.join(' ');
  return { description, hash: fnv1a64(description) };
}
