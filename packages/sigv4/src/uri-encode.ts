/**
 * URI encoding as SigV4 defines it: every byte except the RFC 3986 unreserved characters
 * `A-Z a-z 0-9 - _ . ~` becomes `%XY` with upper-case hex, over the UTF-8 bytes.
 * `encodeURIComponent` is close but leaves `! ' ( ) *` alone, which AWS encodes.
 */

const HEX_UPPER = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`);
const ALL_UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const encoder = new TextEncoder();

/**
 * Encodes a string as SigV4 does: each UTF-8 byte outside the unreserved set as `%XY`.
 * A `%` is encoded too, which is what makes encoding an already-encoded path "double".
 *
 * @example
 * ```ts
 * uriEncode('a b*'); // 'a%20b%2A'
 * ```
 */
export function uriEncode(value: string): string {
  if (ALL_UNRESERVED.test(value)) return value;
  let encoded: string;
  try {
    // The native encoder writes UTF-8 %XY with upper-case hex, as SigV4 does, except for ! ' ( ) *.
    encoded = encodeURIComponent(value);
  } catch {
    return encodeBytes(encoder.encode(value)); // a lone surrogate: URIError there, U+FFFD here
  }
  return LEFT_BY_NATIVE.test(encoded) ? encoded.replace(LEFT_BY_NATIVE_ALL, (char) => HEX_UPPER[char.charCodeAt(0)]!) : encoded;
}

const LEFT_BY_NATIVE = /[!'()*]/;
const LEFT_BY_NATIVE_ALL = /[!'()*]/g;

/**
 * Encodes a string that may already hold `%XY` escapes exactly once: escapes are read as the bytes
 * they spell, other characters as their UTF-8 bytes, and the result is encoded. Used for query
 * keys and values (always) and for S3 paths, so that `a%20b` and `a b` both become `a%20b`.
 *
 * @example
 * ```ts
 * uriEncodeOnce('a%20b c'); // 'a%20b%20c'
 * ```
 */
export function uriEncodeOnce(value: string): string {
  return ALL_UNRESERVED.test(value) ? value : encodeBytes(percentDecode(value));
}

/** The bytes a possibly-escaped string spells: valid `%XY` escapes decoded, anything else UTF-8. */
export function percentDecode(value: string): Uint8Array {
  if (!value.includes('%')) return encoder.encode(value);
  const bytes: number[] = [];
  for (let i = 0; i < value.length; ) {
    if (value[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const codePoint = value.codePointAt(i)!;
    const char = String.fromCodePoint(codePoint);
    for (const byte of encoder.encode(char)) bytes.push(byte);
    i += char.length;
  }
  return Uint8Array.from(bytes);
}

function encodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += isUnreserved(byte) ? String.fromCharCode(byte) : HEX_UPPER[byte];
  return out;
}

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d ||
    byte === 0x5f ||
    byte === 0x2e ||
    byte === 0x7e // - _ . ~
  );
}

/** Decodes `%XY` escapes to text (invalid UTF-8 becomes U+FFFD): for showing and for SDK query objects. */
export function uriDecodeText(value: string): string {
  return value.includes('%') ? new TextDecoder().decode(percentDecode(value)) : value;
}
