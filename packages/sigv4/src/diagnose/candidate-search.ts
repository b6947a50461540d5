import { canonicalRequest } from '../canonical-request.ts';
import type { Sha256 } from '../hash.ts';
import { signature } from '../signature.ts';
import { deriveSigningKey } from '../signing-key.ts';
import { stringToSign } from '../string-to-sign.ts';
import type { Dimension, Variant } from './candidate-space.ts';

/** Which dimension holds which part of the canonical request and string to sign. */
export interface SpaceLayout {
  readonly path: number;
  readonly query: number;
  readonly signedList: number;
  /** By lower-case header name. */
  readonly headers: ReadonlyMap<string, number>;
  readonly payload: number;
  readonly scope: number;
  readonly time: number;
}

/** Step 1 and step 3 for one choice of values: the canonical request and the string to sign. */
export function composeCandidate(
  method: string,
  layout: SpaceLayout,
  value: (dimension: number) => string,
  sha256: Sha256,
): { canonical: string; sts: string } {
  const names = value(layout.signedList);
  let headers = '';
  for (const name of names.split(';')) headers += `${name}:${value(layout.headers.get(name)!)}\n`;
  const canonical = canonicalRequest({
    method,
    canonicalUri: value(layout.path),
    canonicalQueryString: value(layout.query),
    canonicalHeaders: headers,
    signedHeaders: names,
    payloadHash: value(layout.payload),
  });
  return { canonical, sts: stringToSign(value(layout.time), value(layout.scope), sha256.hex(canonical)) };
}

/** Where the search stops: whichever comes first. */
export interface SearchBudget {
  /** At most this many candidates are hashed. */
  readonly maxCandidates: number;
  /** At most this many milliseconds, by {@link SearchBudget.now}. */
  readonly timeBudgetMs: number;
  /** The clock, in milliseconds. */
  readonly now: () => number;
}

/** A candidate that reproduced the signature: its chosen variant in each dimension, and its working. */
export interface SearchHit {
  readonly choices: readonly Variant[];
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

/** What the search did. */
export interface SearchOutcome {
  readonly hit: SearchHit | undefined;
  /** Candidates hashed and signed. */
  readonly tried: number;
  /** The size of the whole space (the product of the dimensions' sizes). */
  readonly space: number;
  /** The budget ran out before the space did. */
  readonly exhausted: boolean;
  /** For each dimension, the indexes of the variants that were tried as the only change. */
  readonly triedAlone: readonly ReadonlySet<number>[];
}

/**
 * Searches the candidate space cheapest first for the one whose signature is `target`.
 *
 * Costs are small whole numbers, so the candidates are visited level by level: all those of total
 * cost 0 (the rules), then 1, then 2…, each level by a depth-first walk that stops going down a
 * dimension as soon as its (sorted) costs exceed what is left of the level. Every candidate is
 * reached exactly once and nothing is queued. The canonical parts are strings computed once (in the
 * space); a signing key is derived once per scope variant; each candidate costs one join, one
 * SHA-256 and one HMAC.
 */
export function searchCandidates(
  method: string,
  dimensions: readonly Dimension[],
  layout: SpaceLayout,
  secretAccessKey: string,
  target: string,
  sha256: Sha256,
  budget: SearchBudget,
): SearchOutcome {
  const sizes = dimensions.map((d) => d.variants.length);
  const space = sizes.reduce((a, n) => a * n, 1);
  const costs = dimensions.map((d) => d.variants.map((v) => v.cost));
  const keys = new Map<number, Uint8Array>();
  const keyFor = (index: number): Uint8Array => {
    let key = keys.get(index);
    if (key === undefined) {
      const s = dimensions[layout.scope]!.variants[index]!.scope!;
      keys.set(index, (key = deriveSigningKey(secretAccessKey, s.dateStamp, s.region, s.service, sha256)));
    }
    return key;
  };
  const triedAlone = dimensions.map(() => new Set<number>());
  const at = new Array<number>(dimensions.length).fill(0);
  const started = budget.now();
  let tried = 0;
  let exhausted = false;
  let hit: SearchHit | undefined;

  // Visits one candidate; false stops the walk (found, or out of budget).
  const visit = (): boolean => {
    if (tried >= budget.maxCandidates || ((tried & 255) === 0 && tried > 0 && budget.now() - started > budget.timeBudgetMs)) {
      exhausted = true;
      return false;
    }
    const { canonical, sts } = composeCandidate(
      method,
      layout,
      (dimension) => dimensions[dimension]!.variants[at[dimension]!]!.value,
      sha256,
    );
    tried++;
    let changed = -1;
    let changes = 0;
    for (let d = 0; d < at.length; d++) if (at[d] !== 0) (changed = d), changes++;
    if (changes === 1) triedAlone[changed]!.add(at[changed]!);
    if (signature(keyFor(at[layout.scope]!), sts, sha256) === target) {
      hit = { choices: at.map((i, d) => dimensions[d]!.variants[i]!), canonicalRequest: canonical, stringToSign: sts };
      return false;
    }
    return true;
  };
  // All candidates of exactly `remaining` more cost, from dimension `d` on.
  const walk = (d: number, remaining: number): boolean => {
    if (d === at.length) return remaining === 0 ? visit() : true;
    const row = costs[d]!;
    for (let i = 0; i < row.length && row[i]! <= remaining; i++) {
      at[d] = i;
      if (!walk(d + 1, remaining - row[i]!)) return false;
    }
    at[d] = 0;
    return true;
  };
  const highest = costs.reduce((sum, row) => sum + row[row.length - 1]!, 0);
  for (let level = 0; level <= highest; level++) if (!walk(0, level)) break;
  return { hit, tried, space, exhausted: hit === undefined && exhausted, triedAlone };
}
