import type { Sha256 } from './hash.ts';
import type { Sha256Constructor } from './hash-js.ts';

/**
 * The signer's measured shortcuts, in one place: each remembers the last (or per-key) result of a
 * pure step that a signer repeats with the same input, so the step files stay pure and readable.
 * The hash-level tricks (one-shot hashes, HMAC from pad blocks) are behind `hash-node.ts`; the
 * signing-key caches, which the specification itself recommends and which hold secrets, are public
 * and clearable where their keys are derived (`defaultSigningKeyCache` in signing-key.ts,
 * `clearV4aKeyCache` in sigv4a/key-derivation.ts). Apart from those, this is the package's only
 * module-level state (`test/module-state.test.ts` fails on any other). None of it holds a secret.
 *
 * Each gain below is measured by `node --import tsx bench/sigv4/fast-paths.ts` (the work a hit skips
 * against the hit itself, and that difference as a share of one signature: an ECR
 * GetAuthorizationToken POST or an S3 presign, 15–17 µs each on the project's VM); a shortcut whose
 * gain cannot be shown goes.
 */

/** The two forms of a signing time (`AmzDate` in amz-date.ts, named here without importing it). */
interface SigningTime {
  readonly amzDate: string;
  readonly dateStamp: string;
}

// Signing many requests in the same second is the norm (a batch, an SDK client under load), and
// formatting the time costs an ISO string and six slices: the last second's forms are kept.
// Measured gain (2026-12-03, two runs): 1.9–3.2 µs per signature, 11–22% of an ECR POST.
let lastSecond: { second: number; value: SigningTime } = { second: NaN, value: { amzDate: '', dateStamp: '' } };

/** `format(second)`, remembered for the last second asked. */
export function amzDateOfSecond(second: number, format: (second: number) => SigningTime): SigningTime {
  if (second !== lastSecond.second) lastSecond = { second, value: format(second) };
  return lastSecond.value;
}

// JSON-protocol clients send the same few small bodies again and again (`{}` is the whole body of
// ECR GetAuthorizationToken), so the last one's hash is kept, per hash implementation. Strings are
// immutable and compared by value, so a hit can never be stale; a body is not secret.
// Measured gain (2026-12-03, two runs): 0.9–1.1 µs per signature, 5–8% of an ECR POST.
const SMALL_BODY = 256;
const lastSmallBody = new WeakMap<Sha256, { body: string; hex: string }>();

/** `hash.hex(body)`, remembered per hash for the last body of at most 256 characters. */
export function bodyHex(body: string, hash: Sha256): string {
  if (body.length > SMALL_BODY) return hash.hex(body);
  const last = lastSmallBody.get(hash);
  if (last !== undefined && last.body === body) return last.hex;
  const hex = hash.hex(body);
  lastSmallBody.set(hash, { body, hex });
  return hex;
}

// Every URL one identity presigns on one day carries the same X-Amz-Credential, and encoding it was
// the costliest step of a presign after hashing: the last one is kept (it is not secret).
// Measured gain (2026-12-03, two runs): 0.7 µs per presign, 4–5% of an S3-style presign.
let lastCredential = { raw: '', encoded: '' };

/** `encode(raw)` for the `X-Amz-Credential` value, remembered for the last one. */
export function encodedCredential(raw: string, encode: (raw: string) => string): string {
  if (raw !== lastCredential.raw) lastCredential = { raw, encoded: encode(raw) };
  return lastCredential.encoded;
}

// A `sha256` constructor (@aws-crypto/sha256-js) is adapted to the Sha256 seam once per constructor,
// not once per signature: the per-hash caches above (and the signing-key cache) key on the adapter,
// so a fresh adapter each time would also make every one of them miss.
// Measured gain: the adapter itself is cheap; the misses it would cause are the gains above.
const adapters = new WeakMap<Sha256Constructor, Sha256>();

/** `adapt(Hash)`, once per constructor. */
export function adapterFor(Hash: Sha256Constructor, adapt: (Hash: Sha256Constructor) => Sha256): Sha256 {
  let hash = adapters.get(Hash);
  if (hash === undefined) adapters.set(Hash, (hash = adapt(Hash)));
  return hash;
}
