/**
 * Every failure @glassbox/sigv4 reports, as a stable code to switch on.
 *
 * - `INVALID_REQUEST`: the request cannot be read (no method, no host, a malformed URL or raw HTTP text).
 * - `INVALID_HEADER`: a header name or value holds CR, LF (outside an obs-fold) or NUL, or a name is not a token.
 * - `INVALID_BODY`: the body is of a type that cannot be hashed.
 * - `MISSING_CREDENTIALS`: no access key ID or secret access key.
 * - `INVALID_DATE`: the signing time cannot be read, or contradicts the request's own X-Amz-Date.
 * - `EXPIRES_OUT_OF_RANGE`: a presign expiry outside 1..604800 seconds.
 * - `INVALID_REGION` / `INVALID_SERVICE`: a scope part that is empty or holds characters a scope cannot.
 * - `INVALID_OPTION`: any other option of the wrong type or value.
 * - `INVALID_CHUNK`: an aws-chunked body is malformed: a bad chunk header, a chunk over the size limit, bytes after the end.
 * - `CHUNK_SIGNATURE_MISMATCH`: a chunk or trailer signature does not check out (tampered, reordered or replayed chunks).
 * - `TRUNCATED_PAYLOAD`: an aws-chunked body ended before its final chunk, or its length differs from X-Amz-Decoded-Content-Length.
 * - `CHECKSUM_MISMATCH`: the trailing checksum (e.g. x-amz-checksum-crc32) does not match the decoded data.
 */
export type SigV4ErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_HEADER'
  | 'INVALID_BODY'
  | 'MISSING_CREDENTIALS'
  | 'INVALID_DATE'
  | 'EXPIRES_OUT_OF_RANGE'
  | 'INVALID_REGION'
  | 'INVALID_SERVICE'
  | 'INVALID_OPTION'
  | 'INVALID_CHUNK'
  | 'CHUNK_SIGNATURE_MISMATCH'
  | 'TRUNCATED_PAYLOAD'
  | 'CHECKSUM_MISMATCH';

/**
 * The one error class of @glassbox/sigv4. Match on `code`; the message says what to fix and never
 * holds a secret.
 *
 * @example
 * ```ts
 * try {
 *   await presign(request, { ...options, expiresIn: 0 });
 * } catch (error) {
 *   if (error instanceof SigV4Error && error.code === 'EXPIRES_OUT_OF_RANGE') console.error(error.message);
 * }
 * ```
 */
export class SigV4Error extends Error {
  /** The stable code: see {@link SigV4ErrorCode}. */
  readonly code: SigV4ErrorCode;

  constructor(code: SigV4ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigV4Error';
    this.code = code;
  }
}
