import { EMPTY_BODY_SHA256 } from '../constants.ts';
import type { Sha256 } from '../hash.ts';
import { toHex } from '../text.ts';

/**
 * `x-amz-content-sha256` of an aws-chunked body whose every chunk is signed.
 *
 * @example
 * ```ts
 * // A server choosing how to check an upload (Node lower-cases incoming header names):
 * if (req.headers['x-amz-content-sha256'] === STREAMING_SIGNED_PAYLOAD) {
 *   const result = await verifyChunked({ method: req.method, url: req.url, headers: req.headers, body: req }, { credentials });
 * }
 * ```
 */
export const STREAMING_SIGNED_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
/**
 * `x-amz-content-sha256` of signed chunks followed by signed trailing headers (a checksum).
 *
 * @example
 * ```ts
 * const { request: signed } = await signChunked(request, { ...options, mode: 'signed-trailer' });
 * signed.headers['X-Amz-Content-Sha256'] === STREAMING_SIGNED_PAYLOAD_TRAILER; // true
 * ```
 */
export const STREAMING_SIGNED_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
/**
 * `x-amz-content-sha256` of unsigned chunks followed by trailing headers: integrity from the checksum only.
 *
 * @example
 * ```ts
 * const { request: signed } = await signChunked(request, { ...options, mode: 'unsigned-trailer' });
 * signed.headers['X-Amz-Content-Sha256'] === STREAMING_UNSIGNED_PAYLOAD_TRAILER; // true
 * ```
 */
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
/** First line of a chunk's string to sign. */
export const CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';
/** First line of the trailing headers' string to sign. */
export const TRAILER_ALGORITHM = 'AWS4-HMAC-SHA256-TRAILER';

/** The three aws-chunked flavours, by what is signed. */
export type ChunkedMode = 'signed' | 'signed-trailer' | 'unsigned-trailer';

/**
 * The `x-amz-content-sha256` value of each mode.
 *
 * @example
 * ```ts
 * STREAMING_PAYLOAD['signed']; // 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
 * const mode = (Object.keys(STREAMING_PAYLOAD) as ChunkedMode[]).find((m) => STREAMING_PAYLOAD[m] === declaredHash);
 * ```
 */
export const STREAMING_PAYLOAD: Readonly<Record<ChunkedMode, string>> = {
  signed: STREAMING_SIGNED_PAYLOAD,
  'signed-trailer': STREAMING_SIGNED_PAYLOAD_TRAILER,
  'unsigned-trailer': STREAMING_UNSIGNED_PAYLOAD_TRAILER,
};

/** What chunk signatures need from the request's own (seed) signature. */
export interface ChunkSigningContext {
  /** The SigV4 signing key of the request (its date, region and service). A secret: never print it. */
  readonly signingKey: Uint8Array;
  /** The request's `X-Amz-Date`. */
  readonly amzDate: string;
  /** The request's credential scope. */
  readonly credentialScope: string;
  /** The request's signature: the first link of the chain. */
  readonly seedSignature: string;
  /** SHA-256 and HMAC. */
  readonly hash: Sha256;
}

/**
 * A chunk's string to sign: each chunk signature covers the previous signature (the seed for the
 * first chunk), so chunks cannot be dropped, reordered or replayed without breaking the chain.
 * The empty-string hash stands where event streams put their headers' hash.
 *
 * ```
 * AWS4-HMAC-SHA256-PAYLOAD \n date \n scope \n previous-signature \n hash("") \n hash(chunk-data)
 * ```
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @example
 * ```ts
 * chunkStringToSign('20130524T000000Z', '20130524/us-east-1/s3/aws4_request', seed, nodeSha256.hex(data));
 * ```
 */
export function chunkStringToSign(amzDate: string, scope: string, previousSignature: string, chunkHash: string): string {
  return `${CHUNK_ALGORITHM}\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_BODY_SHA256}\n${chunkHash}`;
}

/**
 * The trailing headers as they are hashed for their signature: `name:value\n` per header, names
 * lower-cased and sorted (smithy-rs `sign/v4.rs` `sign_trailer`).
 *
 * @example
 * ```ts
 * canonicalTrailers([['x-amz-checksum-crc32', 'sOO8/Q==']]); // 'x-amz-checksum-crc32:sOO8/Q==\n'
 * ```
 */
export function canonicalTrailers(trailers: readonly (readonly [string, string])[]): string {
  return [...trailers]
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

/**
 * The trailing headers' string to sign, chained to the signature of the final (empty) chunk.
 *
 * ```
 * AWS4-HMAC-SHA256-TRAILER \n date \n scope \n previous-signature \n hash(canonical trailers)
 * ```
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 * @example
 * ```ts
 * trailerStringToSign(amzDate, scope, finalChunkSignature, nodeSha256.hex(canonicalTrailers(trailers)));
 * ```
 */
export function trailerStringToSign(amzDate: string, scope: string, previousSignature: string, trailersHash: string): string {
  return `${TRAILER_ALGORITHM}\n${amzDate}\n${scope}\n${previousSignature}\n${trailersHash}`;
}

/**
 * Signs one link of the chain: hex HMAC-SHA256 of a chunk or trailer string to sign under the
 * request's signing key.
 *
 * @example
 * ```ts
 * chunkSignature(context, chunkStringToSign(context.amzDate, context.credentialScope, previous, hash));
 * ```
 */
export function chunkSignature(context: Pick<ChunkSigningContext, 'signingKey' | 'hash'>, stringToSign: string): string {
  return toHex(context.hash.hmac(context.signingKey, stringToSign));
}
