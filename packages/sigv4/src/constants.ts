/**
 * Every string and limit the SigV4 specification fixes, named in its words, with its source.
 * Guide: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

/**
 * The algorithm name that opens the string to sign and the Authorization header.
 *
 * @example
 * ```ts
 * const isSigV4 = authorization.startsWith(`${ALGORITHM} `); // 'AWS4-HMAC-SHA256 Credential=…'
 * ```
 */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The last part of every credential scope. */
export const SCOPE_TERMINATOR = 'aws4_request';

/** Prefix of the secret for the first HMAC of the key derivation: `"AWS4" + secret`. */
export const KEY_PREFIX = 'AWS4';

/**
 * The payload hash that tells the service the body was not hashed (S3, presigned URLs).
 *
 * @example
 * ```ts
 * const { payloadHash } = await sign(request, { ...options, unsignedPayload: true });
 * if (payloadHash === UNSIGNED_PAYLOAD) console.log('the body is not covered by the signature');
 * ```
 */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * SHA-256 of the empty string: the payload hash of a request without a body.
 *
 * @example
 * ```ts
 * const { payloadHash } = await sign({ method: 'GET', url: 'https://example.amazonaws.com/' }, options);
 * payloadHash === EMPTY_BODY_SHA256; // true: a GET has no body
 * ```
 */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The longest a presigned URL may live: 7 days (the AWS SDKs reject longer).
 *
 * @example
 * ```ts
 * const expiresIn = Math.min(requestedSeconds, MAX_PRESIGN_SECONDS); // presign() throws EXPIRES_OUT_OF_RANGE above it
 * const { url } = await presign(request, { ...options, expiresIn });
 * ```
 */
export const MAX_PRESIGN_SECONDS = 604_800;

/** The default presigned URL lifetime, as in the AWS SDKs: 1 hour. */
export const DEFAULT_PRESIGN_SECONDS = 3600;

/** Header and query names the signer reads and writes (lower case, as they are canonicalised). */
export const AMZ_DATE = 'x-amz-date';
export const AMZ_SECURITY_TOKEN = 'x-amz-security-token';
export const AMZ_CONTENT_SHA256 = 'x-amz-content-sha256';
export const AUTHORIZATION = 'authorization';
export const HOST = 'host';
/** HTTP/2's pseudo-header for the host, which HTTP/2 requests sign in place of `host`. */
export const AUTHORITY = ':authority';

/** Query parameter names of presigned (query-authenticated) requests. */
export const QUERY = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  securityToken: 'X-Amz-Security-Token',
  signature: 'X-Amz-Signature',
} as const;

/**
 * Headers never signed by default, because proxies, agents and HTTP stacks add, change or drop them
 * in transit. The union of the AWS SDK for JavaScript v3 signer's list (smithy-typescript
 * `signature-v4/src/constants.ts` ALWAYS_UNSIGNABLE_HEADERS) and botocore's hop-by-hop list
 * (`botocore/auth.py` SIGNED_HEADERS_BLACKLIST).
 *
 * @example
 * ```ts
 * UNSIGNABLE_HEADERS.has('user-agent'); // true: sign() leaves User-Agent out of SignedHeaders
 * // To sign one anyway: sign(request, { ...options, signableHeaders: ['user-agent'] })
 * ```
 */
export const UNSIGNABLE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

/** Header name prefixes never signed by default: `proxy-*` (hop-by-hop) and `sec-*` (set by browsers). */
export const UNSIGNABLE_HEADER_PREFIXES: readonly string[] = ['proxy-', 'sec-'];
