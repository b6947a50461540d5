import { AMZ_CONTENT_SHA256, AUTHORIZATION } from '../constants.ts';
import { SigV4Error } from '../errors.ts';
import { headerValue, readRequest, type SdkHttpRequest } from '../request.ts';
import { deriveSigningKey } from '../signing-key.ts';
import type { TraceStep } from '../trace.ts';
import type { HttpRequest } from '../types.ts';
import { hashFrom } from '../validate.ts';
import { verify, type VerifyFailure, type VerifyOptions, type VerifySuccess } from '../verify.ts';
import type { ChunkedSource } from './body-source.ts';
import type { ChecksumAlgorithm } from './checksum.ts';
import { STREAMING_PAYLOAD, type ChunkedMode } from './chunk-signature.ts';
import { ChunkTraceRecorder } from './chunk-trace.ts';
import { decodeAwsChunked } from './decode.ts';

/** Options of {@link verifyChunked}: those of `verify`, plus a limit on chunk size. */
export interface VerifyChunkedOptions extends VerifyOptions {
  /** The largest chunk accepted. Default 16 MiB. */
  maxChunkSize?: number | undefined;
}

/** A seed signature that checks out, with the decoded body (verified chunk by chunk as it is read). */
export interface VerifyChunkedSuccess extends VerifySuccess {
  /** The decoded data; iterating throws a {@link SigV4Error} at the first bad chunk. */
  body: AsyncIterable<Uint8Array>;
  /** Which aws-chunked flavour the request uses. */
  mode: ChunkedMode;
  /** The chunk and trailer steps so far: complete once `body` is read. */
  chunkTrace(): TraceStep[];
}

/**
 * Verifies an aws-chunked request the way S3 does: first the seed signature over the headers
 * (with {@link verify}), then — as the body is read — every chunk signature in the chain, the
 * decoded length and the trailing checksum.
 *
 * @example
 * ```ts
 * const result = await verifyChunked({ method: req.method, url: req.url, headers: req.headers, body: req }, { credentials });
 * if (result.ok) for await (const data of result.body) file.write(data);
 * ```
 */
export async function verifyChunked(
  request: HttpRequest | SdkHttpRequest,
  options: VerifyChunkedOptions,
): Promise<VerifyChunkedSuccess | VerifyFailure> {
  if (typeof options !== 'object' || options === null) throw new SigV4Error('INVALID_OPTION', 'options: expected { credentials, … }');
  const max = options.maxChunkSize;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 1))
    throw new SigV4Error('INVALID_OPTION', 'maxChunkSize: expected a whole number of bytes, 1 or more');
  const parts = readRequest(request);
  const declared = headerValue(parts.headers, AMZ_CONTENT_SHA256)?.trim();
  const mode = (Object.keys(STREAMING_PAYLOAD) as ChunkedMode[]).find((m) => STREAMING_PAYLOAD[m] === declared);
  if (mode === undefined) {
    throw new SigV4Error(
      'INVALID_REQUEST',
      `x-amz-content-sha256: expected one of ${Object.values(STREAMING_PAYLOAD).join(', ')} for an aws-chunked body`,
    );
  }
  const lengthText = headerValue(parts.headers, 'x-amz-decoded-content-length')?.trim();
  if (lengthText === undefined || !/^\d{1,15}$/.test(lengthText))
    throw new SigV4Error('INVALID_REQUEST', 'X-Amz-Decoded-Content-Length: expected the decoded body length in bytes');

  // The seed signature covers only the headers: verify them without touching the body stream.
  const target = `${parts.path}${parts.query === '' ? '' : `?${parts.query}`}`;
  const url = parts.authority === undefined ? target : `${parts.scheme ?? 'https'}://${parts.authority}${target}`;
  const seed = await verify({ method: parts.method, url, headers: parts.headers }, options);
  if (!seed.ok) return seed;
  const secret = await options.credentials(seed.accessKeyId);
  const hash = hashFrom(options.sha256);
  const seedSignature = /Signature=([0-9a-f]{64})/.exec(headerValue(parts.headers, AUTHORIZATION) ?? '')?.[1];
  if (typeof secret !== 'string' || seedSignature === undefined)
    throw new SigV4Error('INVALID_REQUEST', 'aws-chunked bodies need header (Authorization) authentication');
  const recorder = new ChunkTraceRecorder();
  const body = decodeAwsChunked((parts.body ?? new Uint8Array(0)) as ChunkedSource, {
    mode,
    signing: {
      signingKey: deriveSigningKey(secret, seed.amzDate.slice(0, 8), seed.region, seed.service, hash),
      amzDate: seed.amzDate,
      credentialScope: seed.credentialScope,
      seedSignature,
      hash,
    },
    decodedContentLength: Number(lengthText),
    maxChunkSize: options.maxChunkSize,
    checksum: trailerChecksum(headerValue(parts.headers, 'x-amz-trailer')),
    trace: recorder,
  });
  return { ...seed, body, mode, chunkTrace: () => recorder.steps() };
}

function trailerChecksum(trailer: string | undefined): ChecksumAlgorithm | undefined {
  const name = trailer?.trim().toLowerCase();
  return name === 'x-amz-checksum-crc32' ? 'crc32' : name === 'x-amz-checksum-sha256' ? 'sha256' : undefined;
}
