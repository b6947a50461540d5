/**
 * The only runtime seam of the signer: SHA-256 and HMAC-SHA256, synchronous.
 *
 * `node:crypto` is the default ({@link nodeSha256}); {@link sha256FromConstructor} adapts an
 * `@aws-crypto/sha256-js`-style constructor for runtimes without `node:crypto` (browsers, workers).
 * Keep it this small: small enough to delete when every runtime has the same crypto.
 */
export interface Sha256 {
  /** Lower-case hex SHA-256 of `data` (strings are UTF-8). */
  hex(data: string | Uint8Array): string;
  /** Raw HMAC-SHA256 of `data` under `key`. */
  hmac(key: string | Uint8Array, data: string | Uint8Array): Uint8Array;
  /**
   * Lower-case hex HMAC-SHA256, when the implementation can produce hex directly (a signature is
   * hex); without it, {@link Sha256.hmac} and a hex conversion are used.
   */
  hmacHex?(key: Uint8Array, data: string): string;
  /** An incremental hash, for bodies too large to hold in memory. */
  incremental(): {
    /** Adds a chunk. */
    update(chunk: Uint8Array): void;
    /** Lower-case hex of everything added. */
    hex(): string;
  };
}
