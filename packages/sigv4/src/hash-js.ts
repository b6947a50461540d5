import { toHex, utf8 } from './text.ts';
import type { Sha256 } from './hash.ts';

/**
 * A hash constructor in the shape of `@aws-crypto/sha256-js`'s `Sha256`: constructed with a key it
 * computes HMAC, without one plain SHA-256. `digestSync` keeps signing synchronous.
 */
export interface Sha256Constructor {
  new (
    secret?: string | Uint8Array,
  ): {
    /** Adds data to the hash. */
    update(data: string | Uint8Array): void;
    /** The digest, synchronously. */
    digestSync(): Uint8Array;
  };
}

/**
 * Adapts an `@aws-crypto/sha256-js`-style constructor to the {@link Sha256} seam.
 *
 * @example
 * ```ts
 * import { Sha256 } from '@aws-crypto/sha256-js';
 * const result = await sign(request, { ...options, sha256: Sha256 });
 * ```
 */
export function sha256FromConstructor(Hash: Sha256Constructor): Sha256 {
  return {
    hex(data) {
      const hash = new Hash();
      hash.update(utf8(data));
      return toHex(hash.digestSync());
    },
    hmac(key, data) {
      const hash = new Hash(utf8(key));
      hash.update(utf8(data));
      return hash.digestSync();
    },
    incremental() {
      const hash = new Hash();
      return { update: (chunk) => hash.update(chunk), hex: () => toHex(hash.digestSync()) };
    },
  };
}
