import { SigV4Error } from '../errors.ts';

/** What an aws-chunked encoder or decoder reads: bytes in memory, a Node `Readable`, a web `ReadableStream`, or any (async) iterable of bytes. */
export type ChunkedSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array>;

const encoder = new TextEncoder();

/**
 * Reads any {@link ChunkedSource} as an async iterable of byte arrays, pulling one piece at a time
 * (a Node `Readable` is itself async-iterable; a web `ReadableStream` is read through its reader,
 * which every runtime has).
 *
 * @example
 * ```ts
 * for await (const bytes of byteChunks(fs.createReadStream(path))) hash.update(bytes);
 * ```
 */
export async function* byteChunks(source: ChunkedSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield encoder.encode(source);
    return;
  }
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (source instanceof ArrayBuffer) {
    yield new Uint8Array(source);
    return;
  }
  if (typeof source === 'object' && source !== null && typeof (source as ReadableStream).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield checked(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (typeof source === 'object' && source !== null && (Symbol.asyncIterator in source || Symbol.iterator in source)) {
    for await (const piece of source as AsyncIterable<Uint8Array | string>)
      yield typeof piece === 'string' ? encoder.encode(piece) : checked(piece);
    return;
  }
  throw new SigV4Error(
    'INVALID_BODY',
    'body: expected bytes, a string, a Node Readable, a web ReadableStream or an async iterable of bytes',
  );
}

function checked(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new SigV4Error('INVALID_BODY', 'body: a stream must yield Uint8Array chunks');
}
