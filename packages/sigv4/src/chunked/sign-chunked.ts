import { AMZ_CONTENT_SHA256 } from '../constants.ts';
import { SigV4Error } from '../errors.ts';
import { readHeaders, type SdkHttpRequest } from '../request.ts';
import { sign } from '../sign.ts';
import { deriveSigningKey } from '../signing-key.ts';
import type { TraceStep } from '../trace.ts';
import type { HttpRequest, SignOptions, SignResult } from '../types.ts';
import { assertRegion, assertService, hashFrom, resolveCredentials } from '../validate.ts';
import type { ChunkedSource } from './body-source.ts';
import type { ChecksumAlgorithm } from './checksum.ts';
import { STREAMING_PAYLOAD, type ChunkedMode, type ChunkSigningContext } from './chunk-signature.ts';
import { ChunkTraceRecorder } from './chunk-trace.ts';
import { awsChunkedLength, checkChunkSize, encodeAwsChunked } from './encode.ts';

/** Options of {@link signChunked}: those of `sign`, plus how to cut and sign the body. */
export interface SignChunkedOptions extends Omit<SignOptions, 'payloadHash' | 'unsignedPayload' | 'contentSha256Header'> {
  /** The exact length of the body in bytes, sent as `X-Amz-Decoded-Content-Length`. */
  decodedContentLength: number;
  /** `signed` (default): every chunk signed; `signed-trailer`: and a signed checksum trailer; `unsigned-trailer`: a checksum only. */
  mode?: ChunkedMode | undefined;
  /** Data bytes per chunk. Default 64 KiB. */
  chunkSize?: number | undefined;
  /** The trailing checksum of the trailer modes. Default `crc32`. */
  checksum?: ChecksumAlgorithm | undefined;
}

/** What {@link signChunked} returns: the seed signature's result, the encoded body and its trace. */
export interface SignChunkedResult extends SignResult {
  /** The aws-chunked body to send: read it once, as you send it. */
  body: AsyncIterable<Uint8Array>;
  /** The encoded length, also set as `Content-Length`. */
  contentLength: number;
  /** The chunk and trailer steps so far (first chunks, last chunk, count): complete once `body` is read. */
  chunkTrace(): TraceStep[];
}

/**
 * Signs a streaming upload the S3 way: the headers get a seed signature over
 * `x-amz-content-sha256: STREAMING-…`, `Content-Encoding: aws-chunked`,
 * `X-Amz-Decoded-Content-Length` and the encoded `Content-Length`; the body is then sent as
 * signed chunks chained from the seed, encoded lazily as it is read (constant memory).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @example
 * ```ts
 * const { request: signed, body } = await signChunked(
 *   { method: 'PUT', url: 'https://bucket.s3.amazonaws.com/key', body: fs.createReadStream(file) },
 *   { credentials, region: 'us-east-1', service: 's3', doubleEncode: false, normalizePath: false, decodedContentLength: size },
 * );
 * ```
 */
export async function signChunked(request: HttpRequest | SdkHttpRequest, options: SignChunkedOptions): Promise<SignChunkedResult> {
  if (typeof options !== 'object' || options === null)
    throw new SigV4Error('INVALID_OPTION', 'options: expected { credentials, region, service, decodedContentLength, … }');
  const mode = options.mode ?? 'signed';
  if (!(mode in STREAMING_PAYLOAD))
    throw new SigV4Error('INVALID_OPTION', "mode: expected 'signed', 'signed-trailer' or 'unsigned-trailer'");
  if (typeof request !== 'object' || request === null || 'hostname' in request)
    throw new SigV4Error('INVALID_REQUEST', 'signChunked: pass a plain { method, url, headers, body } request');
  assertRegion(options.region);
  assertService(options.service);
  const chunkSize = checkChunkSize(options.chunkSize);
  const checksum = options.checksum ?? 'crc32';
  const contentLength = awsChunkedLength(options.decodedContentLength, { mode, chunkSize, checksum });
  const credentials = await resolveCredentials(options.credentials);
  const hash = hashFrom(options.sha256);

  const plain = request as HttpRequest;
  const headers = readHeaders(plain.headers).filter(([name]) => !['content-length', AMZ_CONTENT_SHA256].includes(name.toLowerCase()));
  const encoding = headers.find(([name]) => name.toLowerCase() === 'content-encoding');
  const rest = headers.filter((entry) => entry !== encoding);
  // aws-chunked comes first: S3 strips it and stores the rest (e.g. gzip) as the object's encoding.
  rest.push(['Content-Encoding', encoding ? `aws-chunked,${encoding[1]}` : 'aws-chunked']);
  rest.push(['Content-Length', String(contentLength)], ['X-Amz-Decoded-Content-Length', String(options.decodedContentLength)]);
  if (mode !== 'signed') rest.push(['X-Amz-Trailer', `x-amz-checksum-${checksum}`]);

  const { decodedContentLength, mode: _mode, chunkSize: _size, checksum: _sum, ...signOptions } = options;
  const seed = await sign(
    { method: plain.method, url: plain.url, headers: rest },
    { ...signOptions, credentials, payloadHash: STREAMING_PAYLOAD[mode], contentSha256Header: true },
  );
  const signing: ChunkSigningContext = {
    signingKey: deriveSigningKey(credentials.secretAccessKey, seed.amzDate.slice(0, 8), options.region, options.service, hash),
    amzDate: seed.amzDate,
    credentialScope: seed.credentialScope,
    seedSignature: seed.signature,
    hash,
  };
  const recorder = new ChunkTraceRecorder();
  const body = encodeAwsChunked((plain.body ?? new Uint8Array(0)) as ChunkedSource, {
    mode,
    signing,
    chunkSize,
    checksum,
    decodedContentLength,
    trace: recorder,
  });
  seed.request.body = body;
  return { ...seed, body, contentLength, chunkTrace: () => recorder.steps() };
}
