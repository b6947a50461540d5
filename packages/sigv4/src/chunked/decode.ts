import { SigV4Error } from '../errors.ts';
import { byteChunks, type ChunkedSource } from './body-source.ts';
import { runningChecksum, type ChecksumAlgorithm, type RunningChecksum } from './checksum.ts';
import {
  canonicalTrailers,
  chunkSignature,
  chunkStringToSign,
  trailerStringToSign,
  type ChunkedMode,
  type ChunkSigningContext,
} from './chunk-signature.ts';
import type { ChunkTraceRecorder } from './chunk-trace.ts';

/** Options of {@link decodeAwsChunked}. */
export interface DecodeAwsChunkedOptions {
  /** What the request says is signed (from its `x-amz-content-sha256`). */
  mode: ChunkedMode;
  /** The seed signature and signing key; required unless `mode` is `unsigned-trailer`. */
  signing?: ChunkSigningContext | undefined;
  /** `X-Amz-Decoded-Content-Length`: the decoded data must be exactly this long. */
  decodedContentLength?: number | undefined;
  /** The largest chunk accepted, so a hostile size cannot make the decoder allocate without bound. Default 16 MiB. */
  maxChunkSize?: number | undefined;
  /** The trailing checksum announced in `X-Amz-Trailer`, so only that one is computed. Default: every one this package knows. */
  checksum?: ChecksumAlgorithm | undefined;
  /** Records the chunk strings to sign for the trace. */
  trace?: ChunkTraceRecorder | undefined;
}

const MAX_LINE = 4096;
const CHECKSUMS: Readonly<Record<string, ChecksumAlgorithm>> = { 'x-amz-checksum-crc32': 'crc32', 'x-amz-checksum-sha256': 'sha256' };

/** Reads lines and exact byte counts from an async source without ever holding more than one piece. */
class Reader {
  readonly #pieces: AsyncIterator<Uint8Array>;
  #current: Uint8Array = new Uint8Array(0);
  #at = 0;

  constructor(source: ChunkedSource) {
    this.#pieces = byteChunks(source)[Symbol.asyncIterator]();
  }

  async #more(): Promise<boolean> {
    while (this.#at >= this.#current.length) {
      const next = await this.#pieces.next();
      if (next.done) return false;
      this.#current = next.value;
      this.#at = 0;
    }
    return true;
  }

  /** A CRLF-terminated line without its CRLF, or undefined at the very end of the stream. */
  async line(what: string): Promise<string | undefined> {
    let text = '';
    let started = false;
    while (await this.#more()) {
      started = true;
      const newline = this.#current.indexOf(10, this.#at);
      const end = newline === -1 ? this.#current.length : newline;
      text += Buffer.from(this.#current.buffer, this.#current.byteOffset + this.#at, end - this.#at).toString('latin1');
      this.#at = newline === -1 ? end : end + 1;
      if (text.length > MAX_LINE) throw new SigV4Error('INVALID_CHUNK', `${what}: a line longer than ${MAX_LINE} bytes`);
      if (newline !== -1) {
        if (!text.endsWith('\r')) throw new SigV4Error('INVALID_CHUNK', `${what}: lines must end in CRLF`);
        return text.slice(0, -1);
      }
    }
    if (started) throw new SigV4Error('TRUNCATED_PAYLOAD', `${what}: the body ends in the middle of a line`);
    return undefined;
  }

  /** Fills `target` completely; false if the stream ends first. */
  async fill(target: Uint8Array): Promise<boolean> {
    let filled = 0;
    while (filled < target.length) {
      if (!(await this.#more())) return false;
      const take = Math.min(target.length - filled, this.#current.length - this.#at);
      target.set(this.#current.subarray(this.#at, this.#at + take), filled);
      filled += take;
      this.#at += take;
    }
    return true;
  }

  /** True when nothing at all is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.#more());
  }
}

/**
 * Decodes and verifies an aws-chunked body as it streams, yielding each chunk's data only after
 * its signature checks out — so nothing unverified ever reaches the caller. Rejects, with a
 * {@link SigV4Error}, a tampered or reordered chunk (`CHUNK_SIGNATURE_MISMATCH`: the chain
 * breaks), a body cut short (`TRUNCATED_PAYLOAD`), bad framing or an oversized chunk
 * (`INVALID_CHUNK`), and a trailing checksum that does not match (`CHECKSUM_MISMATCH`).
 *
 * @example
 * ```ts
 * for await (const data of decodeAwsChunked(req, { mode: 'signed', signing, decodedContentLength })) file.write(data);
 * ```
 */
export async function* decodeAwsChunked(source: ChunkedSource, options: DecodeAwsChunkedOptions): AsyncGenerator<Uint8Array> {
  const signing = options.mode === 'unsigned-trailer' ? undefined : options.signing;
  if (options.mode !== 'unsigned-trailer' && signing === undefined) {
    throw new SigV4Error('INVALID_OPTION', `signing: verifying the ${options.mode} mode needs the seed signature and signing key`);
  }
  const maxChunkSize = options.maxChunkSize ?? 16 * 1024 * 1024;
  const reader = new Reader(source);
  let previous = signing?.seedSignature ?? '';
  let total = 0;
  let index = 0;
  const sums = new Map<string, RunningChecksum>();
  if (options.mode !== 'signed') {
    for (const [header, algorithm] of Object.entries(CHECKSUMS))
      if (options.checksum === undefined || options.checksum === algorithm) sums.set(header, runningChecksum(algorithm));
  }

  for (;;) {
    index++;
    const what = `chunk ${index}`;
    const header = await reader.line(what);
    if (header === undefined) throw new SigV4Error('TRUNCATED_PAYLOAD', `${what}: the body ended before the final zero-length chunk`);
    const match =
      signing !== undefined ? /^([0-9a-fA-F]{1,8});chunk-signature=([0-9a-f]{64})$/.exec(header) : /^([0-9a-fA-F]{1,8})$/.exec(header);
    if (!match) {
      throw new SigV4Error(
        'INVALID_CHUNK',
        `${what}: expected '${signing ? 'hex-size;chunk-signature=64-hex' : 'hex-size'}' before the data`,
      );
    }
    const size = parseInt(match[1]!, 16);
    if (size > maxChunkSize) throw new SigV4Error('INVALID_CHUNK', `${what}: ${size} bytes is over the ${maxChunkSize}-byte limit`);
    const data = new Uint8Array(size);
    if (!(await reader.fill(data)))
      throw new SigV4Error('TRUNCATED_PAYLOAD', `${what}: the body ended inside the chunk's ${size} data bytes`);
    if (signing !== undefined) {
      const sts = chunkStringToSign(signing.amzDate, signing.credentialScope, previous, signing.hash.hex(data));
      const expected = chunkSignature(signing, sts);
      if (!constantTimeEqual(expected, match[2]!)) {
        throw new SigV4Error(
          'CHUNK_SIGNATURE_MISMATCH',
          `${what}: the chunk signature does not match its data and the previous signature (tampered, reordered or from another upload)`,
        );
      }
      options.trace?.chunk({ index, size, stringToSign: sts, signature: expected });
      previous = expected;
    } else {
      options.trace?.chunk({ index, size, stringToSign: '', signature: '' });
    }
    if (size === 0) break;
    const crlf = new Uint8Array(2);
    if (!(await reader.fill(crlf))) throw new SigV4Error('TRUNCATED_PAYLOAD', `${what}: the body ended after the data, before its CRLF`);
    if (crlf[0] !== 13 || crlf[1] !== 10)
      throw new SigV4Error('INVALID_CHUNK', `${what}: the data is longer than the ${size} bytes the chunk header says`);
    total += size;
    if (options.decodedContentLength !== undefined && total > options.decodedContentLength) {
      throw new SigV4Error('INVALID_CHUNK', `${what}: more data than X-Amz-Decoded-Content-Length (${options.decodedContentLength})`);
    }
    for (const sum of sums.values()) sum.update(data);
    yield data;
  }

  if (options.decodedContentLength !== undefined && total !== options.decodedContentLength) {
    throw new SigV4Error(
      'TRUNCATED_PAYLOAD',
      `the data is ${total} bytes, but X-Amz-Decoded-Content-Length says ${options.decodedContentLength}`,
    );
  }
  if (options.mode === 'signed') {
    if ((await reader.line('after the final chunk')) !== '')
      throw new SigV4Error('INVALID_CHUNK', 'the final chunk must be followed by an empty line');
  } else {
    await readTrailers(reader, options.mode, signing, previous, sums, options.trace);
  }
  if (!(await reader.atEnd())) throw new SigV4Error('INVALID_CHUNK', 'bytes after the end of the aws-chunked body');
}

async function readTrailers(
  reader: Reader,
  mode: ChunkedMode,
  signing: ChunkSigningContext | undefined,
  previous: string,
  sums: ReadonlyMap<string, RunningChecksum>,
  trace: ChunkTraceRecorder | undefined,
): Promise<void> {
  const trailers: [string, string][] = [];
  let trailerSignature: string | undefined;
  for (let i = 0; i < 64; i++) {
    const line = await reader.line('trailer');
    if (line === undefined)
      throw new SigV4Error('TRUNCATED_PAYLOAD', 'trailer: the body ended before the empty line that closes the trailers');
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SigV4Error('INVALID_CHUNK', 'trailer: expected name:value lines');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else trailers.push([name, value]);
  }
  const canonical = canonicalTrailers(trailers);
  if (mode === 'signed-trailer') {
    if (trailerSignature === undefined) throw new SigV4Error('CHUNK_SIGNATURE_MISMATCH', 'trailer: x-amz-trailer-signature is missing');
    const sts = trailerStringToSign(signing!.amzDate, signing!.credentialScope, previous, signing!.hash.hex(canonical));
    const expected = chunkSignature(signing!, sts);
    if (!constantTimeEqual(expected, trailerSignature))
      throw new SigV4Error('CHUNK_SIGNATURE_MISMATCH', 'trailer: the trailer signature does not match the trailing headers');
    trace?.trailer(canonical, sts, expected);
  } else {
    trace?.trailer(canonical, '', '');
  }
  for (const [name, value] of trailers) {
    const sum = sums.get(name);
    if (sum !== undefined && sum.digest() !== value)
      throw new SigV4Error('CHECKSUM_MISMATCH', `trailer: ${name} does not match the decoded data`);
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
