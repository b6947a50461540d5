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
export function composeCandidate(method: string, layout: SpaceLayout, value: (dimension: number) => string, sha256: Sha256): { canonical: string; sts: string } {
  const names = value(layout.signedList);
  let headers = '';
  for (const name of names.split(';')) headers += `${name}:${value(layout.headers.get(name)!)}\n`;
  const canonical = canonicalRequest({ method, canonicalUri: value(layout.path), canonicalQueryString: value(layout.query), canonicalHeaders: headers, signedHeaders: names, payloadHash: value(layout.payload) });
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
 * Best-first over index vectors: each vector's parent is the vector with its last non-zero index
 * lowered by one, so every candidate is reached exactly once, and since each dimension is sorted by
 * cost, children never cost less than their parent: candidates come out in order of total cost.
 * The canonical parts are strings computed once (in the space); a signing key is derived once per
 * scope variant; each candidate costs one join, one SHA-256 and one HMAC.
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
  const heap = new CostHeap();
  heap.push({ cost: 0, at: new Array<number>(dimensions.length).fill(0), last: 0, order: 0 });
  const started = budget.now();
  let tried = 0;
  let exhausted = false;
  while (heap.size > 0) {
    if (tried >= budget.maxCandidates || ((tried & 255) === 0 && tried > 0 && budget.now() - started > budget.timeBudgetMs)) {
      exhausted = true;
      break;
    }
    const node = heap.pop()!;
    const at = node.at;
    for (let d = node.last; d < at.length; d++) {
      if (at[d]! + 1 < sizes[d]!) {
        const next = at.slice();
        next[d]! += 1;
        heap.push({ cost: node.cost - dimensions[d]!.variants[at[d]!]!.cost + dimensions[d]!.variants[next[d]!]!.cost, at: next, last: d, order: 0 });
      }
    }
    const { canonical, sts } = composeCandidate(method, layout, (dimension) => dimensions[dimension]!.variants[at[dimension]!]!.value, sha256);
    tried++;
    let changed = -1;
    let changes = 0;
    for (let d = 0; d < at.length; d++) if (at[d] !== 0) ((changed = d), changes++);
    if (changes === 1) triedAlone[changed]!.add(at[changed]!);
    if (signature(keyFor(at[layout.scope]!), sts, sha256) === target) {
      return { hit: { choices: at.map((i, d) => dimensions[d]!.variants[i]!), canonicalRequest: canonical, stringToSign: sts }, tried, space, exhausted: false, triedAlone };
    }
  }
  return { hit: undefined, tried, space, exhausted, triedAlone };
}

interface Node {
  cost: number;
  at: number[];
  /** The dimension this node was reached by: its children only advance this one or later ones. */
  last: number;
  /** Push order, for ties (set by the heap). */
  order: number;
}

/** A binary min-heap by cost; ties go to the node pushed first (fewer, earlier changes). */
class CostHeap {
  readonly #items: Node[] = [];
  #pushed = 0;
  get size(): number {
    return this.#items.length;
  }
  push(node: Node): void {
    const items = this.#items;
    node.order = this.#pushed++;
    items.push(node);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): Node | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.#less(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.#less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
  #less(a: Node, b: Node): boolean {
    return a.cost < b.cost || (a.cost === b.cost && a.order < b.order);
  }
}
