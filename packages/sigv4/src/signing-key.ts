import { KEY_PREFIX, SCOPE_TERMINATOR } from './constants.ts';
import type { Sha256 } from './hash.ts';
import { toHex } from './text.ts';
import type { Credentials } from './credentials.ts';

/**
 * Step 4a — the signing key: a chain of HMACs that narrows the secret to one day, region and
 * service. The service only ever needs this derived key, which is useless outside its scope.
 *
 * ```
 * kDate    = HMAC("AWS4" + secret, YYYYMMDD)
 * kRegion  = HMAC(kDate, region)
 * kService = HMAC(kRegion, service)
 * kSigning = HMAC(kService, "aws4_request")
 * ```
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key
 * @example
 * ```ts
 * const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'service', nodeSha256);
 * ```
 */
export function deriveSigningKey(secretAccessKey: string, dateStamp: string, region: string, service: string, hash: Sha256): Uint8Array {
  const kDate = hash.hmac(KEY_PREFIX + secretAccessKey, dateStamp);
  const kRegion = hash.hmac(kDate, region);
  const kService = hash.hmac(kRegion, service);
  return hash.hmac(kService, SCOPE_TERMINATOR);
}

/**
 * The intermediate keys of {@link deriveSigningKey}, for the trace. Each is as sensitive as the
 * signing key itself, so the trace shows them only with `revealSigningKey: true`.
 */
export function signingKeyChain(
  secretAccessKey: string,
  dateStamp: string,
  region: string,
  service: string,
  hash: Sha256,
): { kDate: string; kRegion: string; kService: string; kSigning: string } {
  const kDate = hash.hmac(KEY_PREFIX + secretAccessKey, dateStamp);
  const kRegion = hash.hmac(kDate, region);
  const kService = hash.hmac(kRegion, service);
  const kSigning = hash.hmac(kService, SCOPE_TERMINATOR);
  return { kDate: toHex(kDate), kRegion: toHex(kRegion), kService: toHex(kService), kSigning: toHex(kSigning) };
}

/**
 * A bounded cache of signing keys. A key is valid for a whole day, so deriving it once instead of
 * on every request saves four HMACs per signature. Entries are keyed by scope and by
 * HMAC(secret, accessKeyId) — never by the raw secret — and the oldest entry goes first once
 * `maxEntries` is reached.
 *
 * @example
 * ```ts
 * const cache = new SigningKeyCache(10);
 * await sign(request, { ...options, signingKeyCache: cache });
 * ```
 */
export class SigningKeyCache {
  readonly #entries = new Map<string, Uint8Array>();
  readonly #identities = new WeakMap<object, string>();
  readonly #maxEntries: number;
  #last: { credentials: Credentials; secret: string; dateStamp: string; region: string; service: string; key: Uint8Array } | undefined;

  constructor(maxEntries = 50) {
    this.#maxEntries = Math.max(1, Math.floor(maxEntries));
  }

  /** The signing key for these credentials and scope, derived on a miss. */
  get(credentials: Credentials, dateStamp: string, region: string, service: string, hash: Sha256): Uint8Array {
    const last = this.#last;
    if (
      last &&
      last.credentials === credentials &&
      last.secret === credentials.secretAccessKey &&
      last.dateStamp === dateStamp &&
      last.region === region &&
      last.service === service
    ) {
      return last.key; // the same signer signing again: skip building the cache key
    }
    const key = this.#lookup(credentials, dateStamp, region, service, hash);
    this.#last = { credentials, secret: credentials.secretAccessKey, dateStamp, region, service, key };
    return key;
  }

  #lookup(credentials: Credentials, dateStamp: string, region: string, service: string, hash: Sha256): Uint8Array {
    const cacheKey = `${dateStamp}\n${region}\n${service}\n${this.#identity(credentials, hash)}`;
    const cached = this.#entries.get(cacheKey);
    if (cached !== undefined) return cached;
    const key = deriveSigningKey(credentials.secretAccessKey, dateStamp, region, service, hash);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(cacheKey, key);
    return key;
  }

  /** Forgets every key (for instance after rotating credentials). */
  clear(): void {
    this.#entries.clear();
    this.#last = undefined;
  }

  /** How many keys are cached. */
  get size(): number {
    return this.#entries.size;
  }

  // The identity is memoised per credentials object: static credentials pay for it once.
  #identity(credentials: Credentials, hash: Sha256): string {
    let identity = this.#identities.get(credentials);
    if (identity === undefined || !identity.startsWith(credentials.accessKeyId + ':')) {
      identity = `${credentials.accessKeyId}:${toHex(hash.hmac(credentials.secretAccessKey, credentials.accessKeyId))}`;
      this.#identities.set(credentials, identity);
    }
    return identity;
  }
}

/**
 * The cache every signature shares unless `signingKeyCache` says otherwise: 50 keys, like the AWS SDK.
 *
 * @example
 * ```ts
 * await sign(request, options);
 * defaultSigningKeyCache.size; // ≥ 1: the key for this date, region and service is kept for the next request
 * defaultSigningKeyCache.clear(); // after rotating credentials
 * ```
 */
export const defaultSigningKeyCache: SigningKeyCache = new SigningKeyCache(50);
