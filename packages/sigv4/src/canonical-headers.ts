import { UNSIGNABLE_HEADERS, UNSIGNABLE_HEADER_PREFIXES } from './constants.ts';

/** A header as sent: its name as written and one value (a repeated header appears once per value). */
export type HeaderEntry = readonly [name: string, value: string];

/** Which headers to leave out of the signature, beyond {@link UNSIGNABLE_HEADERS}. */
export interface HeaderRules {
  /** Extra lower-case names never to sign. */
  readonly unsignable?: ReadonlySet<string> | undefined;
  /** Lower-case names to sign even though they are unsignable by default. */
  readonly signable?: ReadonlySet<string> | undefined;
}

/** Why a header was or was not signed: shown per header in the trace. */
export interface HeaderDecision {
  /** The lower-case header name. */
  readonly name: string;
  /** Whether it is part of the signature. */
  readonly signed: boolean;
  /** `signed`, or why it was left out. */
  readonly reason: string;
}

/**
 * Decides which headers to sign. Hop-by-hop headers and the ones agents rewrite (`user-agent`,
 * `connection`, `expect`, `proxy-*`, …) are left out because a proxy changing them after signing
 * would break the signature; everything else the request carries is signed.
 *
 * @example
 * ```ts
 * headersToSign([['Host', 'example.com'], ['User-Agent', 'curl']]).signed; // [['Host', 'example.com']]
 * ```
 */
export function headersToSign(
  headers: readonly HeaderEntry[],
  rules: HeaderRules = {},
): {
  /** The headers to sign, as given (name spelling and order kept). */
  signed: HeaderEntry[];
  /** One decision per distinct header name, with the reason. */
  decisions: HeaderDecision[];
} {
  const decisions: HeaderDecision[] = [];
  const decided = new Set<string>(); // not decisions.some(): quadratic in the number of headers
  for (const [rawName] of headers) {
    const name = rawName.toLowerCase();
    if (decided.has(name)) continue;
    decided.add(name);
    const reason = unsignedReason(name, rules);
    decisions.push({ name, signed: reason === undefined, reason: reason ?? 'signed' });
  }
  return { signed: signableHeaders(headers, rules), decisions };
}

/**
 * The one header selection: the headers to sign, as given (spelling and order kept), by the rules of
 * `unsignedReason`. {@link headersToSign} (the trace), {@link signedHeaderNames} (presign) and the
 * canonical request all select through it.
 */
export function signableHeaders(headers: readonly HeaderEntry[], rules: HeaderRules): HeaderEntry[] {
  const signed: HeaderEntry[] = [];
  for (const entry of headers) if (unsignedReason(entry[0].toLowerCase(), rules) === undefined) signed.push(entry);
  return signed;
}

function unsignedReason(name: string, rules: HeaderRules): string | undefined {
  if (rules.signable?.has(name)) return undefined;
  if (rules.unsignable?.has(name)) return 'not signed: excluded by the caller';
  if (UNSIGNABLE_HEADERS.has(name)) return 'not signed: changed in transit by proxies or HTTP stacks (AWS SDK default)';
  for (const prefix of UNSIGNABLE_HEADER_PREFIXES) {
    if (name.startsWith(prefix)) return `not signed: ${prefix}* headers belong to the hop or the browser`;
  }
  return undefined;
}

/**
 * The headers as they are canonicalised: names lower-cased, each value trimmed with inner runs of
 * white space (and obs-folded line breaks) collapsed to one space, repeated names merged into one
 * comma-separated value in the order sent, sorted by name.
 *
 * @example
 * ```ts
 * canonicalHeaderEntries([['Host', 'example.com'], ['X-Amz-Meta-A', ' 1 '], ['x-amz-meta-a', '2']]);
 * // [['host', 'example.com'], ['x-amz-meta-a', '1,2']]
 * ```
 */
export function canonicalHeaderEntries(headers: readonly HeaderEntry[]): HeaderEntry[] {
  if (headers.length > INSERTION_LIMIT) return sortedAndMerged(headers);
  const sorted: [string, string][] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const clean = canonicalHeaderValue(value);
    // Insertion keeps the list sorted as it grows (requests carry a handful of headers), and puts a
    // repeated name right after its earlier values, so merging keeps the order they were sent in.
    let at = sorted.length;
    while (at > 0 && sorted[at - 1]![0] > lower) at--;
    const previous = at > 0 ? sorted[at - 1]! : undefined; // never read index -1: V8 takes a slow path for it
    if (previous !== undefined && previous[0] === lower) previous[1] += `,${clean}`;
    else if (at === sorted.length) sorted.push([lower, clean]);
    else sorted.splice(at, 0, [lower, clean]);
  }
  return sorted;
}

/**
 * Above this many headers, insertion (quadratic: 50,000 headers took seconds) gives way to one
 * sort. Below it, insertion is the faster of the two, and every real request is below it.
 */
const INSERTION_LIMIT = 32;

/** {@link canonicalHeaderEntries} for many headers: Array#sort is stable, so repeated names keep the order sent. */
function sortedAndMerged(headers: readonly HeaderEntry[]): HeaderEntry[] {
  const lowered: [string, string][] = headers.map(([name, value]) => [name.toLowerCase(), canonicalHeaderValue(value)]);
  lowered.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [string, string][] = [];
  for (const entry of lowered) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && previous[0] === entry[0]) previous[1] += `,${entry[1]}`;
    else merged.push(entry);
  }
  return merged;
}

const WHITESPACE_RUN = /\s+/g;
const NEEDS_COLLAPSE = /\s\s|[^\S ]/;
// Printable ASCII words with single spaces between them: nothing to collapse. Most values are
// this, and one pass of a plain character class is cheaper than NEEDS_COLLAPSE's alternation:
// 34 ns against 48 ns a value, 2-3% of an ECR POST signature (interleaved A/B, 2026-12-04).
const PLAIN = /^[!-~]+(?: [!-~]+)*$/;

/**
 * One header value as signed: trimmed, inner white space collapsed.
 *
 * @example
 * ```ts
 * canonicalHeaderValue(' a   b '); // 'a b'
 * ```
 */
export function canonicalHeaderValue(value: string): string {
  const trimmed = value.trim();
  if (PLAIN.test(trimmed)) return trimmed;
  return NEEDS_COLLAPSE.test(trimmed) ? trimmed.replace(WHITESPACE_RUN, ' ') : trimmed;
}

/**
 * Step 1c — the canonical headers: one `name:value` line per signed header, each ending in a
 * newline, so that joined into the canonical request it leaves the blank line the spec requires.
 *
 * @example
 * ```ts
 * canonicalHeaders([['host', 'example.amazonaws.com'], ['x-amz-date', '20150830T123600Z']]);
 * // 'host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n'
 * ```
 */
export function canonicalHeaders(entries: readonly HeaderEntry[]): string {
  let out = '';
  for (const [name, value] of entries) out += `${name}:${value}\n`;
  return out;
}

/**
 * Step 1d — the signed headers: the canonical header names joined with `;`. It is sent in the
 * Authorization header so the service knows which headers to include when it recomputes.
 *
 * @example
 * ```ts
 * signedHeaders([['host', 'example.amazonaws.com'], ['x-amz-date', '20150830T123600Z']]); // 'host;x-amz-date'
 * ```
 */
export function signedHeaders(entries: readonly HeaderEntry[]): string {
  let names = '';
  for (const [name] of entries) names += names === '' ? name : `;${name}`;
  return names;
}

/**
 * Step 1d ahead of time, for presigning: a presigned URL must carry `X-Amz-SignedHeaders` before
 * the canonical request exists. Only the names matter, so values are not canonicalised here.
 *
 * @example
 * ```ts
 * signedHeaderNames([['Host', 'example.com'], ['X-Amz-Meta-A', '1'], ['User-Agent', 'curl']], {}); // 'host;x-amz-meta-a'
 * ```
 */
export function signedHeaderNames(headers: readonly HeaderEntry[], rules: HeaderRules): string {
  const names = new Set<string>();
  for (const [name] of signableHeaders(headers, rules)) names.add(name.toLowerCase());
  return [...names].sort().join(';');
}
