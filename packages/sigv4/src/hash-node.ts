import * as crypto from 'node:crypto';
import type { Sha256 } from './hash.ts';

// `crypto.hash` (Node ≥ 20.12) hashes in one call, several times faster than createHash for the
// short strings SigV4 hashes; fall back where it is missing.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;
const hex: Sha256['hex'] = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * HMAC under a key used more than once (the cached signing key) reuses the hash states after the
 * key's inner and outer pads, as RFC 2104 allows, instead of setting the key up on every call.
 */
const keyedStates = new WeakMap<Uint8Array, { inner: crypto.Hash; outer: crypto.Hash; bytes: Uint8Array } | 'seen'>();
const BLOCK = 64;

function hmac(key: string | Uint8Array, data: string | Uint8Array): Uint8Array {
  if (typeof key === 'string') return crypto.createHmac('sha256', key).update(data).digest();
  let state = keyedStates.get(key);
  // The states belong to the key's bytes, not the array: a caller may reuse the array for another key.
  if (state !== undefined && state !== 'seen' && !sameBytes(state.bytes, key)) {
    keyedStates.delete(key);
    state = undefined;
  }
  if (state === undefined || state === 'seen' || key.length > BLOCK) {
    if (state === 'seen' && key.length <= BLOCK) keyedStates.set(key, padStates(key));
    else if (state === undefined) keyedStates.set(key, 'seen');
    return crypto.createHmac('sha256', key).update(data).digest();
  }
  const innerHash = state.inner.copy().update(data).digest();
  return state.outer.copy().update(innerHash).digest();
}

// RFC 2104: HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), K zero-padded to the block size.
function padStates(key: Uint8Array): { inner: crypto.Hash; outer: crypto.Hash; bytes: Uint8Array } {
  const ipad = new Uint8Array(BLOCK).fill(0x36);
  const opad = new Uint8Array(BLOCK).fill(0x5c);
  for (let i = 0; i < key.length; i++) {
    ipad[i]! ^= key[i]!;
    opad[i]! ^= key[i]!;
  }
  return { inner: crypto.createHash('sha256').update(ipad), outer: crypto.createHash('sha256').update(opad), bytes: key.slice() };
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
