import { redact, type PresignResult, type SignResult } from '@glassbox/sigv4';

/** The `--json` shape of a signature (see the package README). */
export interface SignedView {
  method: string;
  /** The signed request's URL; the presigned URL when presigning. */
  url: string;
  /** The signed request's headers, lower-case names; the session token redacted. */
  headers: Record<string, string | string[]>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  /** Absent when presigning. */
  authorization?: string;
  signedHeaders: string;
  credentialScope: string;
  amzDate: string;
  payloadHash: string;
  region: string;
  service: string;
  credentialsSource: string;
  /** Only with `--show-signing-key`. */
  signingKey?: string;
}

/**
 * Turns a sign/presign result into the printable view, redacting the session token everywhere it
 * appears (canonical request, headers, URL): the token is a secret, and printing it would hand it to
 * every terminal log and CI transcript.
 */
export function signedView(
  result: SignResult | PresignResult,
  context: { region: string; service: string; credentialsSource: string; sessionToken: string | undefined },
): SignedView {
  const hide = (text: string): string => redact(text, [context.sessionToken], 'session token');
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.request.headers)) {
    const key = name.toLowerCase();
    const values = (Array.isArray(value) ? value : [value]).map(hide);
    const existing = headers[key];
    const merged = existing === undefined ? values : [...(Array.isArray(existing) ? existing : [existing]), ...values];
    headers[key] = merged.length === 1 ? merged[0]! : merged;
  }
  const view: SignedView = {
    method: result.request.method,
    url: hide('url' in result ? result.url : result.request.url),
    headers,
    canonicalRequest: hide(result.canonicalRequest),
    stringToSign: result.stringToSign,
    signature: result.signature,
    signedHeaders: result.signedHeaders,
    credentialScope: result.credentialScope,
    amzDate: result.amzDate,
    payloadHash: result.payloadHash,
    region: context.region,
    service: context.service,
    credentialsSource: context.credentialsSource,
  };
  if ('authorization' in result) view.authorization = result.authorization;
  const key = result.trace?.find((step) => step.id === 'signing-key');
  if (key && /^[0-9a-f]{64}$/.test(key.output)) view.signingKey = key.output;
  return view;
}
