import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

/**
 * The SigV4a signature: ECDSA P-256 over SHA-256 of the string to sign, DER-encoded, in lower-case
 * hex (70 to 144 digits). ECDSA draws a fresh random nonce each time, so signing the same request
 * twice gives two different, equally valid signatures: check them by verifying, never by comparing.
 *
 * @example
 * ```ts
 * const signature = ecdsaSignature(keyPair.privateKey, stringToSign);
 * ```
 */
export function ecdsaSignature(privateKey: KeyObject, stringToSign: string): string {
  return cryptoSign('sha256', Buffer.from(stringToSign, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('hex');
}

/**
 * Checks a hex DER ECDSA P-256 signature of the string to sign against a public key.
 *
 * @example
 * ```ts
 * ecdsaVerify(keyPair.publicKey, stringToSign, signature); // true
 * ```
 */
export function ecdsaVerify(publicKey: KeyObject, stringToSign: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-f]{2}){8,72}$/.test(signatureHex)) return false;
  try {
    return cryptoVerify(
      'sha256',
      Buffer.from(stringToSign, 'utf8'),
      { key: publicKey, dsaEncoding: 'der' },
      Buffer.from(signatureHex, 'hex'),
    );
  } catch {
    return false; // malformed DER is a bad signature, not a crash
  }
}
