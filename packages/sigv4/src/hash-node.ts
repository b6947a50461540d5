import * as crypto from 'node:crypto';
import type { Sha256 } from './hash.ts';

// `crypto.hash` (Node ≥ 20.12) hashes in one call, several times faster than createHash for the
// short strings SigV4 hashes; fall back where it is missing.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;
const hex: Sha256['hex'] = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * HMAC under a key used more than once (the cached signing key) is computed from its padded key
 * blocks, as RFC 2104 defines it — H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) — with two one-shot hashes
 * over buffers kept per key, instead of setting up an Hmac object on every call.
 */
interface KeyPads {
  /** K ⊕ ipad, followed by room for the message. */
  inner: Buffer;
  /** K ⊕ opad, followed by the 32-byte inner hash. */
  outer: Buffer;
  /** The key's bytes when the pads were made: a caller may reuse the array for another key. */
  bytes: Uint8Array;
}
const keyPads = new WeakMap<Uint8Array, KeyPads | 'seen'>();
const BLOCK = 64;
const oneShotBuffer = oneShot as unknown as ((algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer) | undefined;

function hmac(key: string | Uint8Array, data: string | Uint8Array): Uint8Array {
  if (typeof key === 'string' || key.length > BLOCK || oneShotBuffer === undefined) return createHmac(key, data);
  let pads = keyPads.get(key);
  if (pads !== undefined && pads !== 'seen' && !sameBytes(pads.bytes, key)) pads = undefined;
  if (pads === undefined) {
    keyPads.set(key, 'seen'); // a key seen once (the derivation chain) is not worth padding
    return createHmac(key, data);
  }
  if (pads === 'seen') keyPads.set(key, (pads = padKey(key)));
  const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (pads.inner.length < BLOCK + length) pads.inner = Buffer.concat([pads.inner.subarray(0, BLOCK), Buffer.alloc(length)]);
  if (typeof data === 'string') pads.inner.write(data, BLOCK);
  else pads.inner.set(data, BLOCK);
  pads.outer.set(oneShotBuffer('sha256', pads.inner.subarray(0, BLOCK + length), 'buffer'), BLOCK);
  return oneShotBuffer('sha256', pads.outer, 'buffer');
}

function createHmac(key: string | Uint8Array, data: string | Uint8Array): Uint8Array {
  return crypto.createHmac('sha256', key).update(data).digest();
}

// RFC 2104: K zero-padded to the block size, XORed with 0x36 (inner) and 0x5c (outer).
function padKey(key: Uint8Array): KeyPads {
  const inner = Buffer.alloc(BLOCK + 256, 0);
  const outer = Buffer.alloc(BLOCK + 32, 0);
  for (let i = 0; i < BLOCK; i++) {
    const byte = key[i] ?? 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  return { inner, outer, bytes: key.slice() };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** SHA-256 and HMAC from `node:crypto`: the default, and the fastest on Node. */
export const nodeSha256: Sha256 = {
  hex,
  hmac,
  incremental() {
    const hash = crypto.createHash('sha256');
    return { update: (chunk) => void hash.update(chunk), hex: () => hash.digest('hex') };
  },
};
