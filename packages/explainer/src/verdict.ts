// The verdict on a pasted signed request: does the signature it carries check out with the secret in
// the form, and if not, at which step does the page part ways with it? @glassbox/sigv4's verify()
// recomputes the signature as a service would, from the request's own SignedHeaders and scope; the
// page's steps are compared with what verify() computed, so the first differing step is named.
import { Sha256 } from '@aws-crypto/sha256-js';
import { verify, type ParsedHttpRequest, type SignResult, type TraceStepId } from '@glassbox/sigv4';
import type { Settings } from './settings.ts';
import { changedRow, compareLines, type CompareRow } from './compare-lines.ts';

/** The outcome shown above the steps when the request carries a signature. */
export interface Verdict {
  /** The pasted signature is the one the page computes, step for step. */
  match: boolean;
  /** `canonical request`, `string to sign`, `signature`, or the earlier step verify() stopped at. */
  step?: string | undefined;
  /** One or two sentences, in plain words. */
  text: string;
  /** The first differing line, for a canonical request or string to sign that differ. */
  row?: CompareRow | undefined;
}

/** Where the request carries its signature, if it carries one. */
export function signatureCarrier(request: ParsedHttpRequest): 'header' | 'query' | undefined {
  if (Object.keys(request.headers).some((name) => name.toLowerCase() === 'authorization')) return 'header';
  return /[?&]X-Amz-(Signature|Algorithm)=/i.test(request.url) ? 'query' : undefined;
}

/**
 * How the page signs a request that already carries a signature: over the headers its SignedHeaders
 * lists, and no others (the form has no field for that list, so the pasted one is the only truth);
 * a presigned URL without its X-Amz-Signature, at its X-Amz-Date. Scope and secret stay the form's:
 * the verdict then names the field to change when they differ.
 */
export function signedAsPasted(
  request: ParsedHttpRequest,
): { request: ParsedHttpRequest; signableHeaders: string[]; unsignableHeaders: string[]; date?: string } | undefined {
  const carrier = signatureCarrier(request);
  if (carrier === undefined) return undefined;
  const authorization = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const listed =
    carrier === 'header'
      ? /SignedHeaders=([^,\s]+)/.exec(Array.isArray(authorization) ? authorization[0]! : (authorization ?? ''))?.[1]
      : /[?&]X-Amz-SignedHeaders=([^&#]+)/i.exec(request.url)?.[1]?.replace(/%3B/gi, ';');
  if (listed === undefined) return undefined; // malformed: verify() says so in the verdict
  const signable = listed.toLowerCase().split(';');
  const present = new Set([
    ...Object.keys(request.headers).map((n) => n.toLowerCase()),
    'x-amz-date',
    'x-amz-security-token',
    'x-amz-content-sha256',
  ]);
  const unsignableHeaders = [...present].filter((name) => !signable.includes(name));
  if (carrier === 'header') return { request, signableHeaders: signable, unsignableHeaders };
  const date = /[?&]X-Amz-Date=(\d{8}T\d{6}Z)/i.exec(request.url)?.[1];
  const url = request.url.replace(/([?&])X-Amz-Signature=[^&#]*(&|(?=#)|$)/i, (_, before: string, after: string) =>
    after === '&' ? before : '',
  );
  return { request: { ...request, url }, signableHeaders: signable, unsignableHeaders, ...(date === undefined ? {} : { date }) };
}

/** When the request says it was signed (header, or presigned query), as epoch milliseconds. */
function claimedTime(request: ParsedHttpRequest): number | undefined {
  const header = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-date')?.[1];
  const query = /[?&]X-Amz-Date=(\d{8}T\d{6}Z)/i.exec(request.url)?.[1];
  const text = (Array.isArray(header) ? header[0] : header)?.trim() ?? query;
  const m = text === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

/** The steps verify() can stop at, named as the page's headings name them. */
const STEP_NAME: Partial<Record<TraceStepId, string>> = {
  credentials: 'credentials',
  'signing-time': 'signing time',
  'credential-scope': 'credential scope',
  'signed-headers': 'signed headers',
  'canonical-headers': 'canonical headers',
  'payload-hash': 'payload hash',
  authorization: 'Authorization header',
  'presigned-url': 'presigned URL',
  signature: 'signature',
};

/**
 * Verifies the pasted request with the form's secret (for whatever access key ID it names) and the
 * form's path rules. The time is not checked: the page is not a server, and a request from the test
 * suite was signed in 2015; `now` is the request's own signing time.
 */
export async function verdictOf(request: ParsedHttpRequest, page: SignResult, settings: Settings): Promise<Verdict | undefined> {
  const carrier = signatureCarrier(request);
  if (carrier === undefined) return undefined;
  const what = carrier === 'header' ? 'the Authorization you pasted' : 'the signature in the presigned URL you pasted';
  const now = claimedTime(request);
  const result = await verify(request, {
    credentials: () => settings.secretAccessKey,
    ...(now === undefined ? {} : { now }),
    doubleEncode: !settings.s3,
    normalizePath: !settings.s3,
    signSessionToken: settings.signSessionToken,
    sha256: Sha256,
  });
  const steps = result.ok
    ? result
    : result.reason === 'SIGNATURE_MISMATCH'
      ? { canonicalRequest: result.canonicalRequest!, stringToSign: result.stringToSign! }
      : undefined;
  if (steps === undefined) {
    if (result.ok) return undefined; // unreachable: a success carries its steps
    const step = STEP_NAME[result.firstDifferentStep] ?? result.firstDifferentStep;
    return { match: false, step, text: `It does not check out at the ${step}: ${result.message}` };
  }
  const creq = compareLines(page.canonicalRequest, steps.canonicalRequest, 'canonical');
  const firstCreq = creq.find((r) => r.kind !== 'same');
  const sts = compareLines(page.stringToSign, steps.stringToSign, 'string-to-sign');
  const firstSts = sts.find((r) => r.kind !== 'same');
  const valid = result.ok
    ? `${what[0]!.toUpperCase()}${what.slice(1)} is valid for the secret access key in the form, but the page signed it differently. `
    : '';
  if (firstCreq !== undefined) {
    const name = (firstCreq.a ?? firstCreq.b)!.name;
    return {
      match: false,
      step: 'canonical request',
      row: firstCreq,
      text: `${valid}First difference: the canonical request, at its ${name} line — the page's (left) against the one ${what} gives with its own SignedHeaders (right).`,
    };
  }
  if (firstSts !== undefined) {
    const name = (firstSts.a ?? firstSts.b)!.name;
    return {
      match: false,
      step: 'string to sign',
      row: firstSts,
      text: `${valid}First difference: the string to sign, at its ${name} line — set Region, Service and the signing time in the form to the scope ${what} names.`,
    };
  }
  if (result.ok)
    return {
      match: true,
      text: `This matches ${what}: the same canonical request, string to sign and signature, with the secret access key in the form.`,
    };
  return {
    match: false,
    step: 'signature',
    row: changedRow({ number: 1, text: page.signature, name: 'signature' }, { number: 1, text: result.actual ?? '', name: 'signature' }),
    text: `First difference: the signature. The canonical request and string to sign are the same as ${what} gives, so the secret access key in the form is not the one that signed it — or the client signed another canonical request (paste it in Compare to see which line).`,
  };
}
