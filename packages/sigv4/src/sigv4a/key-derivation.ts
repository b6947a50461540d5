import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SigV4Error } from '../errors.ts';
import type { Sha256 } from '../hash.ts';
import { nodeSha256 } from '../hash-node.ts';
import { toHex, utf8 } from '../text.ts';
import { ALGORITHM_V4A, MAX_KDF_COUNTER, P256_ORDER, V4A_KEY_PREFIX } from './constants.ts';

/** A SigV4a key pair: the P-256 private scalar derived from the credentials, and its public point. */
export interface V4aKeyPair {
  /** The private key, usable with `crypto.sign`. As secret as the secret access key. */
  readonly privateKey: KeyObject;
  /** The public key: what a service uses to verify, and all a verifier needs. */
  readonly publicKey: KeyObject;
  /** The public point's X coordinate, 64 hex digits (aws-c-auth prints it this way). */
  readonly publicX: string;
  /** The public point's Y coordinate, 64 hex digits. */
  readonly publicY: string;
  /** The counter value that produced the key (almost always 1). */
  readonly counter: number;
}

/** The output of the SigV4a key derivation. */
export interface V4aPrivateKey {
  /** The P-256 private scalar, 32 big-endian bytes. As secret as the secret access key. */
  readonly scalar: Uint8Array;
  /** The counter value that produced it (the first candidate ≤ n−2; almost always 1). */
  readonly counter: number;
}

/**
 * The fixed input of one KDF round (NIST SP 800-108 counter mode, one 256-bit block):
 * `0x00000001 ‖ "AWS4-ECDSA-P256-SHA256" ‖ 0x00 ‖ accessKeyId ‖ byte(counter) ‖ 0x00000100`.
 */
function fixedInput(accessKeyId: string, counter: number): Uint8Array {
  const label = utf8(ALGORITHM_V4A);
  const context = utf8(accessKeyId);
  const out = new Uint8Array(4 + label.length + 1 + context.length + 1 + 4);
  let at = 0;
  out.set([0, 0, 0, 1], at);
  at += 4;
  out.set(label, at);
  at += label.length + 1; // the 0x00 separator is already there
  out.set(context, at);
  at += context.length;
  out[at++] = counter;
  out.set([0, 0, 1, 0], at); // the output length in bits: 256
  return out;
}

/**
 * Derives the SigV4a private key (a P-256 scalar) from an access key pair, as aws-c-auth
 * (`source/key_derivation.c`), smithy-rs (`sign/v4a.rs`) and the AWS SDKs do: for counter
 * c = 1..254, k0 = HMAC-SHA256("AWS4A" + secret, fixedInput(accessKeyId, c)); the first k0 ≤ n−2
 * gives the private key k0 + 1 (so it lies in [1, n−1]). Returned as 32 big-endian bytes.
 *
 * @example
 * ```ts
 * const d = deriveV4aPrivateKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
 * ```
 */
export function deriveV4aPrivateKey(accessKeyId: string, secretAccessKey: string, hash: Sha256 = nodeSha256): V4aPrivateKey {
  const key = V4A_KEY_PREFIX + secretAccessKey;
  for (let counter = 1; counter <= MAX_KDF_COUNTER; counter++) {
    const k0 = BigInt('0x' + toHex(hash.hmac(key, fixedInput(accessKeyId, counter))));
    if (k0 <= P256_ORDER - 2n) return { scalar: bigintTo32Bytes(k0 + 1n), counter };
  }
  // Probability about 2^(-32·254): reachable only with a broken HMAC.
  throw new SigV4Error('MISSING_CREDENTIALS', 'credentials: no SigV4a key could be derived from this access key pair');
}

/**
 * The SigV4a key pair for an access key pair: the derived scalar as a `node:crypto` private key,
 * and its public point. `createECDH` computes the point; the JWK import makes the key usable with
 * `crypto.sign`/`crypto.verify`.
 *
 * @example
 * ```ts
 * const { publicX, publicY } = v4aKeyPair('AKISORANDOMAASORANDOM', 'q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom');
 * ```
 */
export function v4aKeyPair(accessKeyId: string, secretAccessKey: string, hash: Sha256 = nodeSha256): V4aKeyPair {
  const cacheKey = `${accessKeyId}:${toHex(hash.hmac(secretAccessKey, accessKeyId))}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const { scalar, counter } = deriveV4aPrivateKey(accessKeyId, secretAccessKey, hash);
  const pair = keyPairFromScalar(scalar, counter);
  // Deriving costs a bigint round trip and a point multiplication; keep a few, keyed like the SigV4 cache.
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, pair);
  return pair;
}

/**
 * The key pair for a P-256 private scalar (32 big-endian bytes): the public point by scalar
 * multiplication, both halves as `node:crypto` keys.
 *
 * @example
 * ```ts
 * const pair = keyPairFromScalar(deriveV4aPrivateKey(accessKeyId, secret).scalar);
 * ```
 */
export function keyPairFromScalar(scalar: Uint8Array, counter = 0): V4aKeyPair {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey(); // 0x04 ‖ X ‖ Y
  const x = Buffer.from(point.subarray(1, 33));
  const y = Buffer.from(point.subarray(33, 65));
  const jwk = { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') };
  const privateKey = createPrivateKey({ key: { ...jwk, d: Buffer.from(scalar).toString('base64url') }, format: 'jwk' });
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  return { privateKey, publicKey, publicX: x.toString('hex'), publicY: y.toString('hex'), counter };
}

/**
 * Forgets every cached SigV4a key pair (for instance after rotating credentials).
 *
 * @example
 * ```ts
 * clearV4aKeyCache();
 * ```
 */
export function clearV4aKeyCache(): void {
  cache.clear();
}

const MAX_CACHED = 50;
const cache = new Map<string, V4aKeyPair>();

function bigintTo32Bytes(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
}
