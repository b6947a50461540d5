import { EMPTY_BODY_SHA256 } from './constants.ts';
import { SigV4Error } from './errors.ts';
import { bodyHex } from './fast-paths.ts';
import type { Sha256 } from './hash.ts';
import type { Body } from './types.ts';

/**
 * Step 1e — the hashed payload: the lower-case hex SHA-256 of the body. The body is the only part
 * of the request not otherwise in the canonical request, so its hash stands in for it.
 * In-memory bodies are hashed at once; streams are hashed chunk by chunk and never held whole
 * (they are consumed: sign a stream only to learn its hash, or give `payloadHash`).
 *
 * @example
 * ```ts
 * await payloadHash('', nodeSha256); // 'e3b0c442…b855'
 * ```
 */
export async function payloadHash(body: Body, hash: Sha256): Promise<string> {
  const inMemory = payloadHashSync(body, hash);
  if (inMemory !== undefined) return inMemory;
  if (isAsyncIterable(body)) {
    const incremental = hash.incremental();
    for await (const chunk of body) {
      if (typeof chunk === 'string') incremental.update(new TextEncoder().encode(chunk));
      else if (chunk instanceof Uint8Array) incremental.update(chunk);
      else throw new SigV4Error('INVALID_BODY', 'body: a stream must yield Uint8Array or string chunks');
    }
    return incremental.hex();
  }
  throw new SigV4Error(
    'INVALID_BODY',
    'body: expected a string, Uint8Array, ArrayBuffer, Node Readable or AsyncIterable (or give payloadHash)',
  );
}

/** The payload hash of an in-memory body, or undefined for a stream (which needs the async path). */
export function payloadHashSync(body: Body, hash: Sha256): string | undefined {
  if (body === undefined || body === null || body === '') return EMPTY_BODY_SHA256;
  if (typeof body === 'string') return bodyHex(body, hash);
  if (body instanceof Uint8Array) return hash.hex(body);
  if (body instanceof ArrayBuffer) return hash.hex(new Uint8Array(body));
  if (ArrayBuffer.isView(body)) return hash.hex(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  return undefined;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
