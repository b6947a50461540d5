/**
 * The credential helper's cache key: who the AWS credential chain will sign in as, described without
 * secrets, and its hash. The token cache (@glassbox/docker-config `token-cache`) files entries under the
 * hash, so rotating temporary credentials behind one profile keep hitting the cache.
 */
import { profileIdentity } from '@glassbox/aws/profile-identity';
import type { Env } from '@glassbox/docker-config/token-cache';

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
  // The description is the AWS chain's knowledge, so @glassbox/aws owns it; the hash is the cache's.
  const { description } = profileIdentity(env);
  return { description, hash: fnv1a64(description) };
}
