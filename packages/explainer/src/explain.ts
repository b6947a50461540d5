// The explainer's model: turns the text in the page into @glassbox/sigv4 calls and their results.
// No DOM here, so the same functions run in Node tests and in the browser bundle.
import { Sha256 } from '@aws-crypto/sha256-js';
import { diagnose, parseHttpRequest, sign, SigV4Error, type DiagnosisCause, type ParsedHttpRequest, type SignOptions, type SignResult, type TraceStep, type TraceStepId } from '@glassbox/sigv4';
import { diffArrays, diffChars } from 'diff';

/** What the settings form holds. Strings as typed; checkboxes as booleans. */
export interface Settings {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  signSessionToken: boolean;
  region: string;
  service: string;
  /** Used only when the request has no X-Amz-Date of its own. */
  date: string;
  s3: boolean;
  unsignedPayload: boolean;
  contentSha256Header: boolean;
}

/** The official suite's published example credentials and scope: the page's defaults. */
export const SUITE_SETTINGS: Settings = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: '',
  signSessionToken: true,
  region: 'us-east-1',
  service: 'service',
  date: '20150830T123600Z',
  s3: false,
  unsignedPayload: false,
  contentSha256Header: false,
};

/** The parts of a request a step can be fed by; the page colours each the same everywhere. */
export type Part = 'method' | 'path' | 'query' | 'headers' | 'time' | 'body' | 'scope' | 'key' | 'secret' | 'token';

/** Which request parts and earlier steps feed each step: what the page highlights on focus. */
export const FEEDS: Partial<Record<TraceStepId, { parts: Part[]; steps: TraceStepId[] }>> = {
  credentials: { parts: ['key', 'token'], steps: [] },
  'signing-time': { parts: ['time'], steps: [] },
  'headers-to-sign': { parts: ['headers', 'time', 'token'], steps: [] },
  'canonical-uri': { parts: ['path'], steps: [] },
  'canonical-query': { parts: ['query'], steps: [] },
  'canonical-headers': { parts: ['headers', 'time'], steps: ['headers-to-sign'] },
  'signed-headers': { parts: [], steps: ['headers-to-sign'] },
  'payload-hash': { parts: ['body'], steps: [] },
  'canonical-request': { parts: ['method'], steps: ['canonical-uri', 'canonical-query', 'canonical-headers', 'signed-headers', 'payload-hash'] },
  'canonical-request-hash': { parts: [], steps: ['canonical-request'] },
  'credential-scope': { parts: ['scope'], steps: ['signing-time'] },
  'string-to-sign': { parts: [], steps: ['signing-time', 'credential-scope', 'canonical-request-hash'] },
  'signing-key': { parts: ['secret', 'scope'], steps: ['credential-scope'] },
  signature: { parts: [], steps: ['signing-key', 'string-to-sign'] },
  authorization: { parts: ['key'], steps: ['credentials', 'credential-scope', 'signed-headers', 'signature'] },
  'signed-request': { parts: ['headers'], steps: ['authorization'] },
};

/** The name of each line of a canonical request, for colouring and for saying which line differs. */
export type CanonicalLine = 'method' | 'canonical URI' | 'canonical query string' | 'canonical header' | 'end of headers' | 'signed headers' | 'payload hash';

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

/** The SignOptions the settings stand for. */
export function signOptions(settings: Settings, request: ParsedHttpRequest): SignOptions {
  const hasDate = Object.keys(request.headers).some((name) => name.toLowerCase() === 'x-amz-date');
  const options: SignOptions = {
    credentials: {
      accessKeyId: settings.accessKeyId.trim(),
      secretAccessKey: settings.secretAccessKey,
      ...(settings.sessionToken.trim() === '' ? {} : { sessionToken: settings.sessionToken.trim() }),
    },
    region: settings.region.trim(),
    service: settings.service.trim(),
    signSessionToken: settings.signSessionToken,
    unsignedPayload: settings.unsignedPayload,
    contentSha256Header: settings.contentSha256Header,
    trace: true,
    // The example key is public; showing the key chain is the point of the page.
    revealSigningKey: true,
    signingKeyCache: false,
    sha256: Sha256,
  };
  if (settings.s3) {
    options.doubleEncode = false;
    options.normalizePath = false;
  }
  // A request that carries X-Amz-Date is signed at that time; the date field fills in otherwise.
  if (!hasDate && settings.date.trim() !== '') options.date = settings.date.trim();
  return options;
}

/** The outcome of explaining one request. */
export type Explanation =
  | { ok: true; request: ParsedHttpRequest; result: SignResult; trace: TraceStep[] }
  | { ok: false; error: string; code: string };

/** Parses and signs the text with the settings, keeping every step. Errors come back as data. */
export async function explain(text: string, settings: Settings): Promise<Explanation> {
  try {
    const request = parseHttpRequest(text);
    const result = await sign(request, signOptions(settings, request));
    return { ok: true, request, result, trace: result.trace ?? [] };
  } catch (error) {
    if (error instanceof SigV4Error) return { ok: false, error: error.message, code: error.code };
    return { ok: false, error: error instanceof Error ? error.message : String(error), code: 'UNEXPECTED' };
  }
}

/**
 * True when the text is already a canonical request (a bare method on the first line) rather than an
 * HTTP request: the string a service quotes in its SignatureDoesNotMatch message can be pasted as is.
 */
export function looksLikeCanonicalRequest(text: string): boolean {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  return lines.length >= 6 && /^[A-Z]+$/.test(lines[0] ?? '') && (lines[1] ?? '').startsWith('/');
}

/** The canonical request of a side of the comparison: computed from an HTTP request, or taken as pasted. */
export async function canonicalRequestOf(text: string, settings: Settings): Promise<{ ok: true; canonicalRequest: string; source: 'request' | 'pasted' } | { ok: false; error: string }> {
  if (looksLikeCanonicalRequest(text)) return { ok: true, canonicalRequest: text.replace(/\r\n/g, '\n').replace(/\n$/, ''), source: 'pasted' };
  const explained = await explain(text, settings);
  return explained.ok ? { ok: true, canonicalRequest: explained.result.canonicalRequest, source: 'request' } : { ok: false, error: explained.error };
}

/** True for an AWS error body (S3 or query XML, AWS JSON), as opposed to a request or a canonical request. */
export function looksLikeErrorBody(text: string): boolean {
  const start = text.trimStart();
  return start.startsWith('<') || start.startsWith('{');
}

/** The two canonical requests to line up, and the likely cause when side B is the service's error body. */
export type CompareInputs =
  | { ok: true; a: string; b: string | undefined; cause?: DiagnosisCause | undefined; reconstruction?: string | undefined }
  | { ok: false; error: string };

/** Why the page does not reconstruct the client's canonical request, and where that is done. */
export const RECONSTRUCTION_SKIPPED =
  'Not tried here: finding which signer behaviour reproduces the request\'s signature needs your secret access key, which this page never asks for. ' +
  'Run `glassbox diff --server-error error.xml --request-file request.http` with your credentials in the environment or a profile.';

/**
 * Reads both sides of the comparison. Side A is a request (or a canonical request); side B may also be
 * the error body the service answered with, in which case diagnose() from @glassbox/sigv4 reads the
 * service's canonical request out of it and names the likely cause.
 */
export async function compareInputs(aText: string, bText: string, settings: Settings): Promise<CompareInputs> {
  let ours: { canonicalRequest: string; stringToSign: string; signature?: string };
  if (looksLikeCanonicalRequest(aText)) {
    ours = { canonicalRequest: aText.replace(/\r\n/g, '\n').replace(/\n$/, ''), stringToSign: '' };
  } else {
    const explained = await explain(aText, settings);
    if (!explained.ok) return { ok: false, error: `A: ${explained.error}` };
    ours = explained.result;
  }
  if (looksLikeErrorBody(bText)) {
    try {
      // The server's own text is checked (its canonical request must hash to its string to sign) with
      // the page's hash. Reconstructing what another client signed needs the secret, which this page
      // never asks for: say so, and where to run it, instead of guessing.
      const diagnosis = diagnose(ours, bText, { sha256: Sha256 });
      return { ok: true, a: ours.canonicalRequest, b: diagnosis.server.canonicalRequest, cause: diagnosis.likelyCause, reconstruction: RECONSTRUCTION_SKIPPED };
    } catch (error) {
      return { ok: false, error: `B: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const b = await canonicalRequestOf(bText, settings);
  return b.ok ? { ok: true, a: ours.canonicalRequest, b: b.canonicalRequest } : { ok: false, error: `B: ${b.error}` };
}

/** One row of the side-by-side view; a changed row holds both sides with the differing characters. */
export interface CompareRow {
  kind: 'same' | 'changed' | 'only-a' | 'only-b';
  a?: { number: number; text: string; name: CanonicalLine } | undefined;
  b?: { number: number; text: string; name: CanonicalLine } | undefined;
  /** For a changed row: the characters of each side, with the differing runs flagged. */
  charsA?: { text: string; differs: boolean }[] | undefined;
  charsB?: { text: string; differs: boolean }[] | undefined;
}

/**
 * Lines up two canonical requests: a line diff (the `diff` package), with a removed line followed by
 * an added one shown as one changed row, and the differing characters inside it marked.
 */
export function compareCanonical(a: string, b: string): CompareRow[] {
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  const namesA = canonicalLineNames(linesA);
  const namesB = canonicalLineNames(linesB);
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

function changedRow(a: NonNullable<CompareRow['a']>, b: NonNullable<CompareRow['b']>): CompareRow {
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
  if (differing.length === 0) return 'The canonical requests are identical: the signatures match if the keys, time and scope do.';
  const names = [...new Set(differing.map((r) => (r.a ?? r.b)!.name))];
  const lines = differing.map((r) => (r.a ?? r.b)!.number);
  return `${differing.length} line${differing.length === 1 ? ' differs' : 's differ'} (${names.join(', ')}; line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}): the signatures cannot match.`;
}
