// The explainer's model: turns the text in the page into @glassbox/sigv4 calls and their results.
// No DOM here, so the same functions run in Node tests and in the browser bundle.
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  canonicalByRules,
  diagnose,
  parseHttpRequest,
  sign,
  SigV4Error,
  type Diagnosis,
  type DiagnosisCause,
  type ParsedHttpRequest,
  type SignOptions,
  type SignResult,
  type TraceStep,
  type TraceStepId,
} from '@glassbox/sigv4';
import { describeProblem, plainProblem, type PlainProblem } from './plain-errors.ts';
import { signatureCarrier, signedAsPasted, verdictOf, type Verdict } from './verdict.ts';

export {
  canonicalLineNames,
  compareCanonical,
  compareLines,
  summarize,
  type CanonicalLine,
  type CompareRow,
  type LineName,
} from './compare-lines.ts';

export type { Settings } from './settings.ts';
import type { Settings } from './settings.ts';

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
  'canonical-request': {
    parts: ['method'],
    steps: ['canonical-uri', 'canonical-query', 'canonical-headers', 'signed-headers', 'payload-hash'],
  },
  'canonical-request-hash': { parts: [], steps: ['canonical-request'] },
  'credential-scope': { parts: ['scope'], steps: ['signing-time'] },
  'string-to-sign': { parts: [], steps: ['signing-time', 'credential-scope', 'canonical-request-hash'] },
  'signing-key': { parts: ['secret', 'scope'], steps: ['credential-scope'] },
  signature: { parts: [], steps: ['signing-key', 'string-to-sign'] },
  authorization: { parts: ['key'], steps: ['credentials', 'credential-scope', 'signed-headers', 'signature'] },
  'signed-request': { parts: ['headers'], steps: ['authorization'] },
};

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
  | { ok: true; request: ParsedHttpRequest; result: SignResult; trace: TraceStep[]; verdict?: Verdict | undefined }
  | { ok: false; error: string; code: string; problem: PlainProblem };

/**
 * Parses and signs the text with the settings, keeping every step; a request that carries a
 * signature also gets the verdict on it. Errors come back as data: the library's code and message,
 * and the plain problem the page shows.
 */
export async function explain(text: string, settings: Settings): Promise<Explanation> {
  try {
    const request = parseHttpRequest(text);
    const pasted = signedAsPasted(request);
    const result =
      pasted === undefined
        ? await sign(request, signOptions(settings, request))
        : await sign(pasted.request, {
            ...signOptions(settings, request),
            signableHeaders: pasted.signableHeaders,
            unsignableHeaders: pasted.unsignableHeaders,
            ...(pasted.date === undefined ? {} : { date: pasted.date }),
          });
    return { ok: true, request, result, trace: result.trace ?? [], verdict: await verdictOrProblem(request, result, settings, text) };
  } catch (error) {
    const problem = plainProblem(error, text);
    if (error instanceof SigV4Error) return { ok: false, error: error.message, code: error.code, problem };
    return { ok: false, error: error instanceof Error ? error.message : String(error), code: 'UNEXPECTED', problem };
  }
}

/** verify() throws on a request it cannot read at all: that too is a verdict, in plain words. */
async function verdictOrProblem(
  request: ParsedHttpRequest,
  result: SignResult,
  settings: Settings,
  text: string,
): Promise<Verdict | undefined> {
  try {
    return await verdictOf(request, result, settings);
  } catch (error) {
    return { match: false, text: `The signature cannot be checked. ${describeProblem(plainProblem(error, text))}` };
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

/** One side of the comparison, reduced to what it signs, and what that reduction was based on. */
export interface CompareSide {
  canonicalRequest: string;
  /** Absent for a pasted canonical request (its time and scope are not in it). */
  stringToSign?: string | undefined;
  /** The signature the side carries (a signed request) or the page computes (an unsigned one). */
  signature?: string | undefined;
  /** `pasted`: a canonical request as is; `signed`: by its own SignedHeaders and scope; `request`: by the form. */
  source: 'pasted' | 'signed' | 'request';
  /** One sentence for the page: what the side was reduced with. */
  basis: string;
}

/** The signature a signed request carries (Authorization header, or X-Amz-Signature of a presigned URL). */
function carriedSignature(request: ParsedHttpRequest): string | undefined {
  const authorization = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const header = /Signature=([0-9a-f]+)/.exec(Array.isArray(authorization) ? authorization[0]! : (authorization ?? ''))?.[1];
  return header ?? /[?&]X-Amz-Signature=([0-9a-f]+)/i.exec(request.url)?.[1];
}

/**
 * Reduces one side of the comparison. A request that carries a signature is read the way the service
 * reads it — its own SignedHeaders, Credential scope and the rules of that service, by
 * canonicalByRules() — so the first tab's settings cannot invent differences; any other request is
 * signed with the first tab's settings.
 */
export async function compareSide(
  text: string,
  settings: Settings,
): Promise<{ ok: true; side: CompareSide } | { ok: false; error: string }> {
  if (looksLikeCanonicalRequest(text)) {
    return {
      ok: true,
      side: {
        canonicalRequest: text.replace(/\r\n/g, '\n').replace(/\n$/, ''),
        source: 'pasted',
        basis: 'a canonical request, taken as pasted',
      },
    };
  }
  try {
    const request = parseHttpRequest(text);
    if (signatureCarrier(request) !== undefined) {
      const rules = canonicalByRules(request, { sha256: Sha256 });
      const lines = rules.canonicalRequest.split('\n');
      const scope = rules.stringToSign.split('\n')[2] ?? '';
      return {
        ok: true,
        side: {
          ...rules,
          signature: carriedSignature(request),
          source: 'signed',
          basis: `its own SignedHeaders (${lines[lines.length - 2] ?? ''}) and scope (${scope}), by that service's rules`,
        },
      };
    }
  } catch (error) {
    return { ok: false, error: describeProblem(plainProblem(error, text)) };
  }
  const explained = await explain(text, settings);
  if (!explained.ok) return { ok: false, error: describeProblem(explained.problem) };
  const { canonicalRequest, stringToSign, signature } = explained.result;
  return {
    ok: true,
    side: {
      canonicalRequest,
      stringToSign,
      signature,
      source: 'request',
      basis: 'the signing settings of the first tab (it carries no signature of its own)',
    },
  };
}

/** The canonical request of a side of the comparison: computed from an HTTP request, or taken as pasted. */
export async function canonicalRequestOf(
  text: string,
  settings: Settings,
): Promise<{ ok: true; canonicalRequest: string; source: CompareSide['source'] } | { ok: false; error: string }> {
  const read = await compareSide(text, settings);
  return read.ok ? { ok: true, canonicalRequest: read.side.canonicalRequest, source: read.side.source } : read;
}

/** True for an AWS error body (S3 or query XML, AWS JSON), as opposed to a request or a canonical request. */
export function looksLikeErrorBody(text: string): boolean {
  const start = text.trimStart();
  return start.startsWith('<') || start.startsWith('{');
}

/** The two canonical requests to line up, and the likely cause when side B is the service's error body. */
export type CompareInputs =
  | {
      ok: true;
      a: string;
      b: string | undefined;
      cause?: DiagnosisCause | undefined;
      reconstruction?: string | undefined;
      sideA?: CompareSide;
      sideB?: CompareSide | undefined;
    }
  | { ok: false; error: string };

/** Why the page does not reconstruct the client's canonical request, and where that is done. */
export const RECONSTRUCTION_SKIPPED =
  "Not tried here: finding which signer behaviour reproduces the request's signature needs your secret access key, which this page never asks for. " +
  'Run `glassbox diff --server-error error.xml --request-file request.http` with your credentials in the environment or a profile.';

/**
 * The fix the page shows for a cause. diagnose() words its generic advice for a program calling the
 * library ("sign with trace"); in the page, the steps are one paste away, so it says that instead.
 */
export function fixInPage(cause: DiagnosisCause, diagnosis: Pick<Diagnosis, 'server'>): string {
  if (cause.code !== 'UNKNOWN') return cause.fix;
  if (cause.step === 'canonical-request') {
    return "Paste the request you sent in the Explain tab and check its canonical request step — path encoding, query order, signed headers and payload hash — against the service's rules.";
  }
  if (diagnosis.server.canonicalRequest === undefined && diagnosis.server.stringToSign === undefined) {
    return 'Paste the signed request in the Explain tab, with the secret that signed it in the form: its verdict says whether the signature checks out, and at which step it does not.';
  }
  return 'Paste the request you sent in the Explain tab and compare each of its steps with what the service quotes here.';
}

/**
 * Reads both sides of the comparison. Side A is a request (or a canonical request); side B may also be
 * the error body the service answered with, in which case diagnose() from @glassbox/sigv4 reads the
 * service's canonical request out of it and names the likely cause.
 */
export async function compareInputs(aText: string, bText: string, settings: Settings): Promise<CompareInputs> {
  const a = await compareSide(aText, settings);
  if (!a.ok) return { ok: false, error: `A: ${a.error}` };
  const ours = { ...a.side, stringToSign: a.side.stringToSign ?? '' };
  if (looksLikeErrorBody(bText)) {
    try {
      // The server's own text is checked (its canonical request must hash to its string to sign) with
      // the page's hash. Reconstructing what another client signed needs the secret, which this page
      // never asks for: say so, and where to run it, instead of guessing.
      const diagnosis = diagnose(ours, bText, { sha256: Sha256 });
      const cause = { ...diagnosis.likelyCause, fix: fixInPage(diagnosis.likelyCause, diagnosis) };
      return {
        ok: true,
        a: ours.canonicalRequest,
        b: diagnosis.server.canonicalRequest,
        cause,
        reconstruction: RECONSTRUCTION_SKIPPED,
        sideA: a.side,
      };
    } catch (error) {
      return { ok: false, error: `B: ${describeProblem(plainProblem(error, bText))}` };
    }
  }
  const b = await compareSide(bText, settings);
  return b.ok
    ? { ok: true, a: ours.canonicalRequest, b: b.side.canonicalRequest, sideA: a.side, sideB: b.side }
    : { ok: false, error: `B: ${b.error}` };
}
