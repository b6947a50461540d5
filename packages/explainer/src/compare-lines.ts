// Lining up two canonical requests (or two strings to sign) line by line, for Compare and for the
// verdict on a pasted signed request. A hash line is one value: it differs whole or not at all, so it
// is never marked character by character (two SHA-256 values share characters by chance only).
import { diffArrays, diffChars } from 'diff';

/** The name of each line of a canonical request, for colouring and for saying which line differs. */
export type CanonicalLine =
  | 'method'
  | 'canonical URI'
  | 'canonical query string'
  | 'canonical header'
  | 'end of headers'
  | 'signed headers'
  | 'payload hash';

/** The lines of a string to sign, and the signature shown after it. */
export type StringToSignLine = 'algorithm' | 'time' | 'credential scope' | 'hash of the canonical request' | 'signature';

/** Any line the page lines up. */
export type LineName = CanonicalLine | StringToSignLine;

/** The lines that hold one hash (hex) each: compared as whole values. */
const HASH_LINES: ReadonlySet<LineName> = new Set(['payload hash', 'hash of the canonical request', 'signature']);

/** Names every line of a canonical request (the blank line closes the headers). */
export function canonicalLineNames(lines: readonly string[]): CanonicalLine[] {
  const names: CanonicalLine[] = [];
  const last = lines.length - 1;
  for (let i = 0; i < lines.length; i++) {
    if (i === 0) names.push('method');
    else if (i === 1) names.push('canonical URI');
    else if (i === 2) names.push('canonical query string');
    else if (i === last) names.push('payload hash');
    else if (i === last - 1) names.push('signed headers');
    else if (i === last - 2 && lines[i] === '') names.push('end of headers');
    else names.push('canonical header');
  }
  return names;
}

/** Names the four lines of a string to sign, and a fifth for the signature when one is put after them. */
export function stringToSignLineNames(lines: readonly string[]): StringToSignLine[] {
  const names: StringToSignLine[] = ['algorithm', 'time', 'credential scope', 'hash of the canonical request', 'signature'];
  return lines.map((_, i) => names[i] ?? 'signature');
}

/** One row of the side-by-side view; a changed row holds both sides with the differing characters. */
export interface CompareRow {
  kind: 'same' | 'changed' | 'only-a' | 'only-b';
  a?: { number: number; text: string; name: LineName } | undefined;
  b?: { number: number; text: string; name: LineName } | undefined;
  /** For a changed row: the characters of each side, with the differing runs flagged. */
  charsA?: { text: string; differs: boolean }[] | undefined;
  charsB?: { text: string; differs: boolean }[] | undefined;
  /** A changed hash line: the whole value differs, so the whole value is marked. */
  whole?: boolean | undefined;
}

/**
 * Lines up two texts: a line diff (the `diff` package), with a removed line followed by an added one
 * shown as one changed row, and the differing characters inside it marked (a hash line: all of it).
 */
export function compareLines(a: string, b: string, kind: 'canonical' | 'string-to-sign'): CompareRow[] {
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  const names = kind === 'canonical' ? canonicalLineNames : stringToSignLineNames;
  const namesA = names(linesA);
  const namesB = names(linesB);
  const rows: CompareRow[] = [];
  let ia = 0;
  let ib = 0;
  const lineA = (): CompareRow['a'] => ({ number: ia + 1, text: linesA[ia]!, name: namesA[ia]! });
  const lineB = (): CompareRow['b'] => ({ number: ib + 1, text: linesB[ib]!, name: namesB[ib]! });
  const changes = diffArrays(linesA, linesB);
  for (let c = 0; c < changes.length; c++) {
    const change = changes[c]!;
    const count = change.value.length;
    if (!change.added && !change.removed) {
      for (let k = 0; k < count; k++, ia++, ib++) rows.push({ kind: 'same', a: lineA(), b: lineB() });
      continue;
    }
    const next = changes[c + 1];
    if (change.removed && next?.added) {
      const paired = Math.min(count, next.value.length);
      for (let k = 0; k < paired; k++, ia++, ib++) rows.push(changedRow(lineA()!, lineB()!));
      for (let k = paired; k < count; k++, ia++) rows.push({ kind: 'only-a', a: lineA() });
      for (let k = paired; k < next.value.length; k++, ib++) rows.push({ kind: 'only-b', b: lineB() });
      c++;
      continue;
    }
    if (change.removed) for (let k = 0; k < count; k++, ia++) rows.push({ kind: 'only-a', a: lineA() });
    else for (let k = 0; k < count; k++, ib++) rows.push({ kind: 'only-b', b: lineB() });
  }
  return rows;
}

/** {@link compareLines} for two canonical requests. */
export function compareCanonical(a: string, b: string): CompareRow[] {
  return compareLines(a, b, 'canonical');
}

/** A changed row; both sides hash lines of the same name: marked whole. */
export function changedRow(a: NonNullable<CompareRow['a']>, b: NonNullable<CompareRow['b']>): CompareRow {
  if (HASH_LINES.has(a.name) && a.name === b.name) {
    return { kind: 'changed', a, b, whole: true, charsA: [{ text: a.text, differs: true }], charsB: [{ text: b.text, differs: true }] };
  }
  const parts = diffChars(a.text, b.text);
  return {
    kind: 'changed',
    a,
    b,
    charsA: parts.filter((p) => !p.added).map((p) => ({ text: p.value, differs: p.removed })),
    charsB: parts.filter((p) => !p.removed).map((p) => ({ text: p.value, differs: p.added })),
  };
}

/** A one-sentence summary of a comparison, for the live region and the heading. */
export function summarize(rows: readonly CompareRow[]): string {
  const differing = rows.filter((r) => r.kind !== 'same');
  if (differing.length === 0) return 'Match: the canonical requests are identical: the signatures match if the keys, time and scope do.';
  const names = [...new Set(differing.map((r) => (r.a ?? r.b)!.name))];
  const lines = differing.map((r) => (r.a ?? r.b)!.number);
  return `${differing.length} line${differing.length === 1 ? ' differs' : 's differ'} (${names.join(', ')}; line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}): the signatures cannot match.`;
}
