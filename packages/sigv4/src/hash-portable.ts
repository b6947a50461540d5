import type { Sha256 } from './hash.ts';
import { toHex, utf8 } from './text.ts';

/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain JavaScript: the default hash of the
 * browser build (the `browser` condition of `#default-hash` in package.json), where there is no
 * `node:crypto` and WebCrypto is asynchronous. Written for reading, not for speed: signing hashes a
 * few hundred bytes, and on Node `node:crypto` is used instead.
 */

// §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// §5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const BLOCK = 64;

/** §4.1.2's ROTR: a right rotation of a 32-bit word. */
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** One running SHA-256: 64-byte blocks go through {@link compress}, the rest waits in `pending`. */
class Sha256State {
  private readonly state = Uint32Array.from(INITIAL);
  private readonly schedule = new Uint32Array(64);
  private readonly pending = new Uint8Array(BLOCK);
  private pendingLength = 0;
  private totalLength = 0;

  update(data: Uint8Array): this {
    this.totalLength += data.length;
    let offset = 0;
    if (this.pendingLength > 0) {
      offset = Math.min(BLOCK - this.pendingLength, data.length);
      this.pending.set(data.subarray(0, offset), this.pendingLength);
      this.pendingLength += offset;
      if (this.pendingLength < BLOCK) return this;
      this.compress(this.pending, 0);
      this.pendingLength = 0;
    }
    for (; offset + BLOCK <= data.length; offset += BLOCK) this.compress(data, offset);
    this.pending.set(data.subarray(offset));
    this.pendingLength = data.length - offset;
    return this;
  }

  /** §5.1.1: a 1 bit, zeros up to 56 bytes mod 64, then the length in bits as 64 big-endian bits. */
  digest(): Uint8Array {
    const bits = this.totalLength * 8;
    const padding = new Uint8Array((this.pendingLength < 56 ? BLOCK : 2 * BLOCK) - this.pendingLength);
    padding[0] = 0x80;
    const view = new DataView(padding.buffer);
    view.setUint32(padding.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(padding.length - 4, bits >>> 0);
    this.update(padding);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, this.state[i]!);
    return out;
  }

  /** §6.2.2: the message schedule and the 64 rounds over one block. */
  private compress(data: Uint8Array, offset: number): void {
    const w = this.schedule;
    for (let t = 0; t < 16; t++) {
      const i = offset + t * 4;
      w[t] = (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const sigma0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const sigma1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      w[t] = (w[t - 16]! + sigma0 + w[t - 7]! + sigma1) | 0;
    }
    const s = this.state;
    let a = s[0]!,
      b = s[1]!,
      c = s[2]!,
      d = s[3]!,
      e = s[4]!,
      f = s[5]!,
      g = s[6]!,
      h = s[7]!;
    for (let t = 0; t < 64; t++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    s[0]! += a;
    s[1]! += b;
    s[2]! += c;
    s[3]! += d;
    s[4]! += e;
    s[5]! += f;
    s[6]! += g;
    s[7]! += h;
  }
}

const digest = (data: Uint8Array): Uint8Array => new Sha256State().update(data).digest();

/** RFC 2104 §2: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), a key longer than a block hashed first. */
function hmac(key: string | Uint8Array, data: string | Uint8Array): Uint8Array {
  let keyBytes = utf8(key);
  if (keyBytes.length > BLOCK) keyBytes = digest(keyBytes);
  const inner = new Uint8Array(BLOCK);
  const outer = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    const byte = keyBytes[i] ?? 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  const innerHash = new Sha256State().update(inner).update(utf8(data)).digest();
  return new Sha256State().update(outer).update(innerHash).digest();
}

/**
 * SHA-256 and HMAC in plain JavaScript, synchronous: the default hash where `node:crypto` is absent.
 *
 * @example
 * ```ts
 * portableSha256.hex('abc'); // 'ba7816bf…15ad', FIPS 180-4's first example
 * ```
 */
export const portableSha256: Sha256 = {
  hex: (data) => toHex(digest(utf8(data))),
  hmac,
  incremental() {
    const state = new Sha256State();
    return { update: (chunk) => void state.update(chunk), hex: () => toHex(state.digest()) };
  },
};

/** The default hash of the browser build (the `#default-hash` import). */
export { portableSha256 as defaultSha256 };
