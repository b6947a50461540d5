/**
 * `@glassbox/sigv4/chunked` — aws-chunked: streaming uploads signed chunk by chunk, with trailing
 * checksums. Node only: the checksums come from `node:zlib` and `node:crypto`.
 *
 * @example
 * ```ts
 * import { signChunked } from '@glassbox/sigv4/chunked';
 * const { request: signed, body } = await signChunked(
 *   { method: 'PUT', url: 'https://bucket.s3.amazonaws.com/key', body: fs.createReadStream(file) },
 *   { credentials, region: 'us-east-1', service: 's3', doubleEncode: false, normalizePath: false, decodedContentLength: size },
 * );
 * ```
 * @packageDocumentation
 */
export { signChunked } from './sign-chunked.ts';
export type { SignChunkedOptions, SignChunkedResult } from './sign-chunked.ts';
export { verifyChunked } from './verify-chunked.ts';
export type { VerifyChunkedOptions, VerifyChunkedSuccess } from './verify-chunked.ts';
export { encodeAwsChunked, awsChunkedLength, DEFAULT_CHUNK_SIZE } from './encode.ts';
export type { EncodeAwsChunkedOptions } from './encode.ts';
export { decodeAwsChunked } from './decode.ts';
export type { DecodeAwsChunkedOptions } from './decode.ts';
export {
  chunkStringToSign,
  trailerStringToSign,
  canonicalTrailers,
  chunkSignature,
  STREAMING_SIGNED_PAYLOAD,
  STREAMING_SIGNED_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  STREAMING_PAYLOAD,
} from './chunk-signature.ts';
export type { ChunkedMode, ChunkSigningContext } from './chunk-signature.ts';
export { crc32, runningChecksum } from './checksum.ts';
export type { ChecksumAlgorithm, RunningChecksum } from './checksum.ts';
export { byteChunks } from './body-source.ts';
export type { ChunkedSource } from './body-source.ts';
export { ChunkTraceRecorder } from './chunk-trace.ts';
export type { ChunkTraceEntry } from './chunk-trace.ts';
