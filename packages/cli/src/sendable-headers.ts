import { usageError } from './cli-error.ts';

/** Where a header came from, to name it the way the user wrote it. */
export type HeaderSource = { kind: 'flag' } | { kind: 'file'; path: string };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Headers the HTTP client writes itself, from the body and the connection (RFC 9112 §6, §9.6;
 * RFC 9110 §7.6.1, §10.1.1): a value given for them would contradict the framing it sends, so the
 * client refuses them, and so do we, first, with a reason.
 */
const CLIENT_MANAGED: Record<string, string> = {
  'transfer-encoding': 'the body is sent with a Content-Length',
  'keep-alive': 'the connection is managed by glassbox',
  upgrade: 'glassbox does not switch protocols',
  expect: 'glassbox sends the body without waiting for 100 Continue',
  te: 'glassbox does not negotiate transfer codings',
};

/**
 * Checks, before signing, that every header can be sent exactly as it will be signed; throws a
 * usage error (exit 2) naming the `-H` flag or the `--request-file` and the character otherwise.
 *
 * A value may hold visible ASCII, spaces and tabs only. Control characters (but tab) are not
 * allowed in a field value at all (RFC 9110 §5.5). Characters above U+007F are refused too: Node
 * writes a header string one byte per character (latin1), so `é` (U+00E9) would go out as the byte
 * E9 while SigV4 signs its UTF-8 (C3 A9) — the server would check bytes that were never signed —
 * and anything above U+00FF cannot be written at all. Such a value has to be encoded first (S3
 * decodes RFC 2047 `=?UTF-8?B?…?=` in metadata).
 *
 * @example
 * ```ts
 * checkSendableHeaders({ 'X-Note': 'caf\u00e9' }, undefined, { kind: 'flag' });
 * // CliError: -H 'X-Note: caf\u00e9': the value has U+00E9 ('é') at character 4 …
 * ```
 */
export function checkSendableHeaders(
  headers: Record<string, string | string[]>,
  body: string | Uint8Array | undefined,
  source: HeaderSource,
): void {
  const counts = new Map<string, number>();
  for (const [name, values] of Object.entries(headers)) {
    const list = Array.isArray(values) ? values : [values];
    const lower = name.toLowerCase();
    counts.set(lower, (counts.get(lower) ?? 0) + list.length);
    for (const value of list) {
      const where =
        source.kind === 'flag' ? `-H '${shown(`${name}: ${value}`)}'` : `--request-file '${source.path}': header '${shown(name)}'`;
      if (!TOKEN.test(name)) throw usageError(`${where}: ${invalidNameReason(name)}`);
      const bad = firstUnsendable(value);
      if (bad !== undefined)
        throw usageError(`${where}: the value has ${describeChar(bad.char)} at character ${bad.index + 1}; ${adviceFor(bad.char)}`);
      if (lower in CLIENT_MANAGED) throw usageError(`${where}: glassbox cannot send a ${name} header: ${CLIENT_MANAGED[lower]}`);
      if (lower === 'connection' && !/^(close|keep-alive)$/i.test(value))
        throw usageError(`${where}: Connection may only be 'close' or 'keep-alive'`);
      if (lower === 'content-length') checkContentLength(where, value, body);
    }
  }
  for (const name of ['host', 'content-length']) {
    if ((counts.get(name) ?? 0) > 1)
      throw usageError(
        `${source.kind === 'flag' ? '-H' : `--request-file '${source.path}'`}: ${name === 'host' ? 'Host' : 'Content-Length'} is given more than once; give it once`,
      );
  }
}

/**
 * Why a header name is not an RFC 9110 token, naming the first offending character.
 *
 * @example
 * ```ts
 * invalidNameReason('X Name'); // "'X Name' is not a valid header name: it has U+0020 (' ') at character 2; …"
 * ```
 */
export function invalidNameReason(name: string): string {
  const index = [...name].findIndex((char) => !TOKEN.test(char));
  const char = index === -1 ? undefined : [...name][index]!;
  const where = char === undefined ? 'it is empty' : `it has ${describeChar(char)} at character ${index + 1}`;
  return `'${shown(name)}' is not a valid header name: ${where}; names hold only letters, digits and !#$%&'*+-.^_\`|~`;
}

function checkContentLength(where: string, value: string, body: string | Uint8Array | undefined): void {
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (!/^\d+$/.test(value)) throw usageError(`${where}: Content-Length must be a number of bytes`);
  if (Number(value) !== length)
    throw usageError(`${where}: Content-Length says ${value} bytes but the body has ${length}; leave it out and it is computed`);
}

/** The first character that is not tab, space or visible ASCII, with its index (in UTF-16 units). */
function firstUnsendable(value: string): { char: string; index: number } | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x09 || (code >= 0x20 && code <= 0x7e)) continue;
    return { char: String.fromCodePoint(value.codePointAt(i)!), index: i };
  }
  return undefined;
}

/** A character for a message: its code point and, when printable, itself. */
export function describeChar(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `${hex} (a control character)`;
  if (code >= 0xd800 && code <= 0xdfff) return `${hex} (a lone surrogate)`;
  return `${hex} ('${char}')`;
}

function adviceFor(char: string): string {
  const code = char.codePointAt(0)!;
  if (code === 0x0a || code === 0x0d) return 'a header value is one line (a folded request-file header cannot be sent: join its lines)';
  if (code < 0x20 || code === 0x7f) return 'a header value may hold only visible ASCII, spaces and tabs';
  return 'header values are sent as bytes, one per character, while SigV4 signs UTF-8: send only ASCII (encode the text first, e.g. =?UTF-8?B?…?= as S3 metadata accepts, or percent-encoding)';
}

/** A value for a message: control and non-ASCII characters escaped, at most 60 characters. */
export function shown(text: string): string {
  const escaped = text.replace(/[^\x20-\x7e]/gu, (char) => {
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
  return escaped.length > 60 ? `${escaped.slice(0, 57)}...` : escaped;
}
