import type { Sha256 } from './hash.ts';
import { toHex } from './text.ts';

/**
 * Step 4b — the signature: hex HMAC-SHA256 of the string to sign under the signing key.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#calculate-signature
 * @example
 * ```ts
 * signature(deriveSigningKey(secret, '20150830', 'us-east-1', 'service', nodeSha256), sts, nodeSha256);
 * ```
 */
export function signature(signingKey: Uint8Array, stringToSign: string, hash: Sha256): string {
  return hash.hmacHex ? hash.hmacHex(signingKey, stringToSign) : toHex(hash.hmac(signingKey, stringToSign));
}
