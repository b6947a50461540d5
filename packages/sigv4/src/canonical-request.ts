/** The six parts of a canonical request, each already in canonical form. */
export interface CanonicalRequestParts {
  /** The HTTP method, as sent. */
  readonly method: string;
  /** Step 1a: what `canonicalUri()` returns. */
  readonly canonicalUri: string;
  /** Step 1b: what `canonicalQueryString()` returns. */
  readonly canonicalQueryString: string;
  /** Step 1c: what `canonicalHeaders()` returns, ending in a newline. */
  readonly canonicalHeaders: string;
  /** Step 1d: what `signedHeaders()` returns. */
  readonly signedHeaders: string;
  /** Step 1e: what `payloadHash()` returns, or `UNSIGNED-PAYLOAD`. */
  readonly payloadHash: string;
}

/**
 * Step 1 — the canonical request: the request reduced to one unambiguous string, so that the
 * client and the service, each starting from the bytes on the wire, hash exactly the same text.
 *
 * ```
 * HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 * ```
 * (CanonicalHeaders ends with its own newline, which leaves a blank line before SignedHeaders.)
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 * @example
 * ```ts
 * canonicalRequest({ method: 'GET', canonicalUri: '/', canonicalQueryString: '',
 *   canonicalHeaders: 'host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n',
 *   signedHeaders: 'host;x-amz-date', payloadHash: EMPTY_BODY_SHA256 });
 * ```
 */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  return `${parts.method}\n${parts.canonicalUri}\n${parts.canonicalQueryString}\n${parts.canonicalHeaders}\n${parts.signedHeaders}\n${parts.payloadHash}`;
}
