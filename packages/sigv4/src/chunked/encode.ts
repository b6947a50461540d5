import { SigV4Error } from '../errors.ts';
import { byteChunks, type ChunkedSource } from './body-source.ts';
import { CHECKSUM_LENGTH, runningChecksum, type ChecksumAlgorithm } from './checksum.ts';
import {
  canonicalTrailers,
  chunkSignature,
  chunkStringToSign,
  trailerStringToSign,
  type ChunkedMode,
  type ChunkSigningContext,
} from './chunk-signature.ts';
import type { ChunkTraceRecorder } from './chunk-trace.ts';

/**
 * The chunk size the AWS SDKs use, and the docs recommend: 64 KiB.
 *
 * @example
 * ```ts
 * awsChunkedLength(size, { mode: 'signed', chunkSize: DEFAULT_CHUNK_SIZE }); // what omitting chunkSize gives
 * ```
 */
export const DEFAULT_CHUNK_SIZE = 65_536;

/** Options of {@link encodeAwsChunked}. */
export interface EncodeAwsChunkedOptions {
  /** What is signed: every chunk (`signed`), chunks and trailer (`signed-trailer`), or nothing but the checksum (`unsigned-trailer`). */
  mode: ChunkedMode;
  /** The seed signature and signing key; required unless `mode` is `unsigned-trailer`. */
  signing?: ChunkSigningContext | undefined;
  /** Data bytes per chunk (the last may be shorter). Default 64 KiB; S3 wants at least 8 KiB. */
  chunkSize?: number | undefined;
  /** The trailing checksum for the trailer modes. Default `crc32`. */
  checksum?: ChecksumAlgorithm | undefined;
  /** The exact number of data bytes the source yields; a source that yields more or fewer is an error. */
  decodedContentLength?: number | undefined;
  /** Records the chunk strings to sign for the trace. */
  trace?: ChunkTraceRecorder | undefined;
}

const SIGNATURE_EXTENSION = ';chunk-signature=';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
const encoder = new TextEncoder();

/**
 * The length of the encoded body for `decodedContentLength` data bytes: what `Content-Length` must
 * say before the first byte is sent (the data plus every chunk's metadata and the trailer).
 *
 * @example
 * ```ts
 * awsChunkedLength(66560, { mode: 'signed', chunkSize: 65536 }); // 66824, as in the S3 docs' example
 * ```
 */
export function awsChunkedLength(
  decodedContentLength: number,
  options: Pick<EncodeAwsChunkedOptions, 'mode' | 'chunkSize' | 'checksum'>,
): number {
  const chunkSize = checkChunkSize(options.chunkSize);
  if (!Number.isSafeInteger(decodedContentLength) || decodedContentLength < 0) {
    throw new SigV4Error('INVALID_OPTION', 'decodedContentLength: expected a whole number of bytes, 0 or more');
  }
  const signed = options.mode !== 'unsigned-trailer';
  const header = (size: number): number => size.toString(16).length + (signed ? SIGNATURE_EXTENSION.length + 64 : 0) + 2;
  const full = Math.floor(decodedContentLength / chunkSize);
  const rest = decodedContentLength % chunkSize;
  let length = full * (header(chunkSize) + chunkSize + 2) + (rest > 0 ? header(rest) + rest + 2 : 0) + header(0);
  if (options.mode === 'signed') return length + 2;
  const checksum = options.checksum ?? 'crc32';
  length += `x-amz-checksum-${checksum}:`.length + CHECKSUM_LENGTH[checksum] + 2;
  if (options.mode === 'signed-trailer') length += TRAILER_SIGNATURE.length + 1 + 64 + 2;
  return length + 2;
}

/**
 * Encodes a body as aws-chunked, signing each chunk as it goes: reads the source piece by piece,
 * cuts it into `chunkSize` chunks and yields each chunk framed as
 * `hex(size);chunk-signature=sig\r\n<data>\r\n`, then the final empty chunk and, in the trailer
 * modes, the checksum trailer. Memory stays at about one chunk whatever the body's size.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @example
 * ```ts
 * for await (const bytes of encodeAwsChunked(fs.createReadStream(file), { mode: 'signed', signing })) socket.write(bytes);
 * ```
 */
export async function* encodeAwsChunked(source: ChunkedSource, options: EncodeAwsChunkedOptions): AsyncGenerator<Uint8Array> {
  const chunkSize = checkChunkSize(options.chunkSize);
  const signing = options.mode === 'unsigned-trailer' ? undefined : options.signing;
  if (options.mode !== 'unsigned-trailer' && signing === undefined) {
    throw new SigV4Error('INVALID_OPTION', `signing: the ${options.mode} mode needs the seed signature and signing key`);
  }
  const checksum = options.mode === 'signed' ? undefined : runningChecksum(options.checksum ?? 'crc32');
  let previous = signing?.seedSignature ?? '';
  let index = 0;
  let total = 0;

  const frame = (data: Uint8Array): Uint8Array => {
    index++;
    let extension = '';
    if (signing !== undefined) {
      const sts = chunkStringToSign(signing.amzDate, signing.credentialScope, previous, signing.hash.hex(data));
      previous = chunkSignature(signing, sts);
      extension = SIGNATURE_EXTENSION + previous;
      options.trace?.chunk({ index, size: data.length, stringToSign: sts, signature: previous });
    } else {
      options.trace?.chunk({ index, size: data.length, stringToSign: '', signature: '' });
    }
    checksum?.update(data);
    const head = encoder.encode(`${data.length.toString(16)}${extension}\r\n`);
    const last = data.length === 0 && options.mode !== 'signed' ? 0 : 2; // the final chunk of a trailer body ends at its header line
    const out = new Uint8Array(head.length + data.length + last);
    out.set(head, 0);
    out.set(data, head.length);
    if (last) out.set([13, 10], head.length + data.length);
    return out;
  };

  const pending = new Uint8Array(chunkSize);
  let filled = 0;
  for await (const piece of byteChunks(source)) {
    total += piece.length;
    if (options.decodedContentLength !== undefined && total > options.decodedContentLength) {
      throw new SigV4Error('INVALID_BODY', `body: longer than decodedContentLength (${options.decodedContentLength} bytes)`);
    }
    let at = 0;
    while (at < piece.length) {
      const take = Math.min(chunkSize - filled, piece.length - at);
      pending.set(piece.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === chunkSize) {
        yield frame(pending); // frame() copies the data, so the buffer is free to refill
        filled = 0;
      }
    }
  }
  if (options.decodedContentLength !== undefined && total !== options.decodedContentLength) {
    throw new SigV4Error('INVALID_BODY', `body: ${total} bytes, but decodedContentLength says ${options.decodedContentLength}`);
  }
  if (filled > 0) yield frame(pending.subarray(0, filled));
  const final = frame(new Uint8Array(0));
  if (checksum === undefined) {
    yield final;
    return;
  }
  const trailers: [string, string][] = [[checksum.header, checksum.digest()]];
  const canonical = canonicalTrailers(trailers);
  let text = canonical.replace(/\n/g, '\r\n');
  if (signing !== undefined) {
    const sts = trailerStringToSign(signing.amzDate, signing.credentialScope, previous, signing.hash.hex(canonical));
    const signature = chunkSignature(signing, sts);
    options.trace?.trailer(canonical, sts, signature);
    text += `${TRAILER_SIGNATURE}:${signature}\r\n`;
  } else {
    options.trace?.trailer(canonical, '', '');
  }
  const tail = encoder.encode(text + '\r\n');
  const out = new Uint8Array(final.length + tail.length);
  out.set(final, 0);
  out.set(tail, final.length);
  yield out;
}

/** Checks a chunk size option. */
export function checkChunkSize(chunkSize: number | undefined): number {
  const size = chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(size) || size < 1 || size > 16 * 1024 * 1024) {
    throw new SigV4Error('INVALID_OPTION', 'chunkSize: expected a whole number of bytes from 1 to 16 MiB (S3 wants at least 8 KiB)');
  }
  return size;
}
