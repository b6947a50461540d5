import type { MessageHeaders, MessageHeaderValue } from '@smithy/types';
import { SigV4Error } from './errors.ts';
import type { Sha256 } from './hash.ts';

/**
 * Event-stream signing, as the AWS SDKs sign each event of an input stream (Transcribe streaming,
 * Bedrock bidirectional streams, …): every event is wrapped in a message whose `:chunk-signature`
 * header signs, in a chain, the signing time, the previous signature, the wrapper's other headers
 * (`:date`) and the event's bytes. The first link is the seed: the request's own signature.
 *
 * Reference: smithy-typescript `signature-v4` (`signEvent`, `HeaderFormatter`) and the
 * event-stream wire format of `@smithy/eventstream-codec`.
 */

/** The algorithm line of an event's string to sign. */
export const EVENT_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';

/**
 * The string to sign of one event: the algorithm, the signing time, the scope, the prior
 * signature (the seed for the first event), then the hex SHA-256 of the encoded headers and of
 * the payload. Chaining the prior signature is what stops an event being dropped, replayed or
 * reordered.
 *
 * @example
 * ```ts
 * eventStringToSign('20261129T050000Z', '20261129/us-east-1/transcribe/aws4_request', seed, eventHeaderBytes({ ':date': … }), audio, nodeSha256);
 * ```
 */
export function eventStringToSign(
  amzDate: string,
  scope: string,
  priorSignature: string,
  headers: Uint8Array,
  payload: Uint8Array,
  hash: Sha256,
): string {
  return [EVENT_ALGORITHM, amzDate, scope, priorSignature, hash.hex(headers), hash.hex(payload)].join('\n');
}

// Header value type bytes of the event-stream format. Booleans carry their value in the type byte.
const TYPE = { true: 0, false: 1, byte: 2, short: 3, integer: 4, long: 5, binary: 6, string: 7, timestamp: 8, uuid: 9 } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The headers of an event message as the wire carries them, which is what gets hashed: for each
 * header in order, a 1-byte name length, the UTF-8 name, a type byte, then the value — big-endian
 * integers, 2-byte-length-prefixed bytes and strings, a timestamp as 8-byte epoch milliseconds.
 *
 * @example
 * ```ts
 * eventHeaderBytes({ ':date': { type: 'timestamp', value: new Date(0) } });
 * // 05 3a 64 61 74 65 08 00 00 00 00 00 00 00 00
 * ```
 */
export function eventHeaderBytes(headers: MessageHeaders): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const name of Object.keys(headers)) {
    const nameBytes = encoder.encode(name);
    if (nameBytes.length > 255)
      throw new SigV4Error('INVALID_HEADER', `event header '${name.slice(0, 40)}…': a name is at most 255 UTF-8 bytes`);
    parts.push(Uint8Array.of(nameBytes.length), nameBytes, headerValueBytes(name, headers[name]!, encoder));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function headerValueBytes(name: string, header: MessageHeaderValue, encoder: { encode(text: string): Uint8Array }): Uint8Array {
  switch (header.type) {
    case 'boolean':
      return Uint8Array.of(header.value ? TYPE.true : TYPE.false);
    case 'byte':
      return Uint8Array.of(TYPE.byte, header.value & 0xff);
    case 'short':
      return fixed(TYPE.short, 2, (view) => view.setInt16(1, header.value));
    case 'integer':
      return fixed(TYPE.integer, 4, (view) => view.setInt32(1, header.value));
    case 'long':
      return withType(TYPE.long, header.value.bytes);
    case 'binary':
      return lengthPrefixed(name, TYPE.binary, header.value);
    case 'string':
      return lengthPrefixed(name, TYPE.string, encoder.encode(header.value));
    case 'timestamp':
      return fixed(TYPE.timestamp, 8, (view) => view.setBigInt64(1, BigInt(Math.round(header.value.valueOf()))));
    case 'uuid': {
      if (!UUID.test(header.value))
        throw new SigV4Error(
          'INVALID_HEADER',
          `event header '${name}': expected a lower-case UUID such as 123e4567-e89b-12d3-a456-426614174000`,
        );
      return withType(
        TYPE.uuid,
        Uint8Array.from(header.value.replace(/-/g, '').match(/../g)!, (h) => parseInt(h, 16)),
      );
    }
    default:
      throw new SigV4Error(
        'INVALID_HEADER',
        `event header '${name}': unknown type; expected boolean, byte, short, integer, long, binary, string, timestamp or uuid`,
      );
  }
}

function fixed(type: number, size: number, write: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(1 + size);
  bytes[0] = type;
  write(new DataView(bytes.buffer));
  return bytes;
}

function withType(type: number, value: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(1 + value.length);
  bytes[0] = type;
  bytes.set(value, 1);
  return bytes;
}

function lengthPrefixed(name: string, type: number, value: Uint8Array): Uint8Array {
  if (value.length > 0xffff) throw new SigV4Error('INVALID_HEADER', `event header '${name}': a value is at most 65535 bytes`);
  const bytes = new Uint8Array(3 + value.length);
  bytes[0] = type;
  bytes[1] = value.length >> 8;
  bytes[2] = value.length & 0xff;
  bytes.set(value, 3);
  return bytes;
}
