import { SigV4Error } from './errors.ts';
import { readRequest, type SdkHttpRequest } from './request.ts';
import type { HttpRequest, SignedRequest } from './types.ts';

/**
 * A request read from raw HTTP/1.1: headers in order, a repeated name as an array. The body is text
 * when the request was given as text, and bytes when it was given as bytes.
 */
export interface ParsedHttpRequest<B extends string | Uint8Array = string> extends HttpRequest {
  /** The headers in the order read; a repeated name is an array of its values. */
  headers: Record<string, string | string[]>;
  /** Everything after the blank line, exactly as given (CRLF, NUL and non-UTF-8 bytes kept). */
  body?: B;
}

/**
 * Reads a raw HTTP/1.1 request exactly as the official test suite's `.req` files write it: LF or
 * CRLF line ends in the header section, `Name:value` headers with or without a space, obs-folded
 * continuation lines kept as part of the value, a request target that may hold spaces or raw UTF-8,
 * and an optional body after the first blank line. The result can be passed straight to {@link sign}.
 *
 * Give it bytes (a file read with no encoding) to sign a captured request: the header section must
 * then be UTF-8, and the body is returned as the bytes on disk (a view of the input, not a copy) —
 * a multipart body keeps its CRLFs, a binary one its every byte, because the payload hash is over
 * those bytes. Given text, the body is the text after the blank line, also unchanged. A NUL byte is
 * refused in the request line and headers only: a body may hold anything.
 *
 * Linear in the input: no regular expression here can backtrack over a long run of spaces.
 *
 * @example
 * ```ts
 * const request = parseHttpRequest('GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z');
 * // { method: 'GET', url: '/', headers: { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' } }
 * const captured = parseHttpRequest(await readFile('upload.http')); // body: Uint8Array, byte for byte
 * ```
 */
export function parseHttpRequest(text: string): ParsedHttpRequest;
export function parseHttpRequest(bytes: Uint8Array): ParsedHttpRequest<Uint8Array>;
export function parseHttpRequest(input: string | Uint8Array): ParsedHttpRequest<string | Uint8Array>;
export function parseHttpRequest(input: string | Uint8Array): ParsedHttpRequest<string | Uint8Array> {
  let head: string;
  let body: string | Uint8Array | undefined;
  if (typeof input === 'string') {
    const split = splitAtBlankLine(input);
    head = split === undefined ? input : input.slice(0, split.headEnd + 1);
    if (split !== undefined) body = input.slice(split.bodyStart);
  } else if (input instanceof Uint8Array) {
    const split = splitAtBlankLine(input);
    head = decodeHead(split === undefined ? input : input.subarray(0, split.headEnd + 1));
    if (split !== undefined) body = input.subarray(split.bodyStart);
  } else {
    throw new SigV4Error('INVALID_REQUEST', 'parseHttpRequest: expected the request as text or bytes (Uint8Array)');
  }
  const request: ParsedHttpRequest<string | Uint8Array> = parseHead(head);
  if (body !== undefined) request.body = body;
  readRequest(request); // reject now, with the reason, what sign() would reject later
  return request;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Finds the first empty line: an LF followed by LF or by CRLF. The header section ends with that LF
 * (its own lines end with LF or CRLF); the body starts after the empty line and is never rewritten.
 */
function splitAtBlankLine(input: string | Uint8Array): { headEnd: number; bodyStart: number } | undefined {
  const codeAt = typeof input === 'string' ? (i: number) => input.charCodeAt(i) : (i: number) => input[i] ?? Number.NaN;
  const nextLf = typeof input === 'string' ? (from: number) => input.indexOf('\n', from) : (from: number) => input.indexOf(LF, from);
  for (let lf = nextLf(0); lf !== -1; lf = nextLf(lf + 1)) {
    if (codeAt(lf + 1) === LF) return { headEnd: lf, bodyStart: lf + 2 };
    if (codeAt(lf + 1) === CR && codeAt(lf + 2) === LF) return { headEnd: lf, bodyStart: lf + 3 };
  }
  return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The header section as text. It must be UTF-8: a replacement character would be signed instead. */
function decodeHead(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new SigV4Error(
      'INVALID_REQUEST',
      'parseHttpRequest: the request line and headers are not valid UTF-8 (only the body may hold other bytes)',
    );
  }
}

/** The request line and the header lines (LF or CRLF line ends). */
function parseHead(text: string): ParsedHttpRequest<string | Uint8Array> {
  if (text.includes('\0')) throw new SigV4Error('INVALID_REQUEST', 'parseHttpRequest: the request line or a header contains a NUL byte');
  // Split on LF; a CR is part of the line end only before an LF (a lone CR stays, and is refused).
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  if (lines[lines.length - 1] === '') lines.pop(); // the last line's own line end
  const [requestLine = '', ...headerLines] = lines;

  // METHOD SP request-target SP HTTP-version; the suite's targets may contain spaces, so take the
  // method up to the first space and the version after the last.
  const firstSpace = requestLine.indexOf(' ');
  const lastSpace = requestLine.lastIndexOf(' ');
  const hasVersion = lastSpace > firstSpace && /^HTTP\/\d(\.\d)?$/.test(requestLine.slice(lastSpace + 1));
  if (firstSpace <= 0) {
    throw new SigV4Error('INVALID_REQUEST', 'parseHttpRequest: the first line must be "METHOD /path HTTP/1.1"');
  }
  const method = requestLine.slice(0, firstSpace);
  const url = requestLine.slice(firstSpace + 1, hasVersion ? lastSpace : undefined);

  const headers: Record<string, string | string[]> = {};
  const spelling = new Map<string, string>();
  let lastKey: string | undefined;
  for (const line of headerLines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lastKey !== undefined) {
      // obs-fold: the line continues the previous header's value (RFC 9112 §5.2).
      const value = headers[lastKey]!;
      if (Array.isArray(value)) value[value.length - 1] += `\n${line}`;
      else headers[lastKey] = `${value}\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new SigV4Error('INVALID_REQUEST', `parseHttpRequest: header line '${line.slice(0, 40)}' has no "Name:" before its value`);
    }
    const name = line.slice(0, colon);
    const value = trimSpacesAndTabs(line, colon + 1);
    const lower = name.toLowerCase();
    const key = spelling.get(lower) ?? name;
    spelling.set(lower, key);
    const existing = Object.hasOwn(headers, key) ? headers[key] : undefined;
    if (existing === undefined) setOwn(headers, key, value);
    else if (Array.isArray(existing))
      existing.push(value); // in place: copying the array per value was quadratic
    else headers[key] = [existing, value];
    lastKey = key;
  }
  return { method, url, headers };
}

/**
 * The value after the colon without leading or trailing spaces and tabs (RFC 9112 §5: OWS). A loop,
 * not `/^[ \t]+|[ \t]+$/g`: that regex retries its second branch at every space of an inner run,
 * quadratic in the run's length (a 1 MB value of spaces took over ten minutes).
 */
function trimSpacesAndTabs(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && isSpaceOrTab(line.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Sets a key as an own property, so a header named `__proto__` is a header, not the prototype. */
function setOwn(target: Record<string, string | string[]>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * Writes a request as raw HTTP/1.1 text in the test suite's style (`Name:value`, LF line ends):
 * the request line with the origin-form target, the headers in order (a `Host` header first when
 * the URL is absolute and none is set), then a blank line and the body if there is a string body.
 *
 * @example
 * ```ts
 * serializeHttpRequest((await sign(request, options)).request);
 * // 'GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization:AWS4-HMAC-SHA256 …'
 * ```
 */
export function serializeHttpRequest(request: HttpRequest | SignedRequest | SdkHttpRequest): string {
  const parts = readRequest(request);
  const target = `${parts.path}${parts.query === '' ? '' : `?${parts.query}`}`;
  const lines = [`${parts.method} ${target} HTTP/1.1`];
  if (parts.authority !== undefined && !parts.headers.some(([n]) => n.toLowerCase() === 'host')) {
    lines.push(`Host:${parts.authority}`);
  }
  for (const [name, value] of parts.headers) lines.push(`${name}:${value}`);
  let text = lines.join('\n');
  if (typeof parts.body === 'string') text += `\n\n${parts.body}`;
  return text;
}
