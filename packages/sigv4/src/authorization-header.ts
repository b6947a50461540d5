import { ALGORITHM } from './constants.ts';

/**
 * Step 5 — the Authorization header: the algorithm, then who signed and for what scope
 * (`Credential`), which headers were signed (`SignedHeaders`) and the `Signature` — everything the
 * service needs to recompute steps 1 to 4 on its side.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request
 * @example
 * ```ts
 * authorizationHeader('AKIDEXAMPLE', '20150830/us-east-1/service/aws4_request', 'host;x-amz-date', '5fa00fa3…');
 * // 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa3…'
 * ```
 */
export function authorizationHeader(accessKeyId: string, scope: string, signedHeaders: string, signature: string): string {
  return `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** An Authorization header read back into what step 5 wrote: see {@link readAuthorizationHeader}. */
export interface AuthorizationHeaderParts {
  /** The first word, e.g. `AWS4-HMAC-SHA256` or `AWS4-ECDSA-P256-SHA256` (SigV4a). */
  readonly algorithm: string;
  /** `Credential=`: the access key ID and the scope, `/`-separated, as written. */
  readonly credential: string | undefined;
  /** `SignedHeaders=`, as written. */
  readonly signedHeaders: string | undefined;
  /** `Signature=`, as written. */
  readonly signature: string | undefined;
}

/**
 * Step 5 in reverse, as a service reads it: the algorithm, then the comma-separated `name=value`
 * fields in any order, white space around each ignored. Each field is as the client wrote it
 * (checking them is the caller's business, since verify, SigV4a and the diagnosis each report a bad
 * one in their own terms); undefined when the header is not `<algorithm> <fields>` at all.
 *
 * @example
 * ```ts
 * readAuthorizationHeader('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa3…');
 * // { algorithm: 'AWS4-HMAC-SHA256', credential: 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request', signedHeaders: 'host;x-amz-date', signature: '5fa00fa3…' }
 * ```
 */
export function readAuthorizationHeader(value: string): AuthorizationHeaderParts | undefined {
  const match = /^(\S+)\s+(.*)$/s.exec(value.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const piece of match[2]!.split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) fields.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  return {
    algorithm: match[1]!,
    credential: fields.get('Credential'),
    signedHeaders: fields.get('SignedHeaders'),
    signature: fields.get('Signature'),
  };
}

/** Lower-case header names (RFC 9110 tokens, or an HTTP/2 pseudo-header such as `:authority`) joined with `;`. */
const SIGNED_HEADERS = /^:?[!#$%&'*+\-.^_`|~0-9a-z]+(?:;:?[!#$%&'*+\-.^_`|~0-9a-z]+)*$/;

/**
 * Whether a `SignedHeaders` value is well formed. Verify and SigV4a verify both check the claim
 * with it, so the two cannot disagree about which requests they can read.
 */
export function isSignedHeadersList(value: string): boolean {
  return SIGNED_HEADERS.test(value);
}
