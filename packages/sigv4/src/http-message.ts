import { SigV4Error } from './errors.ts';
import { readRequest, type SdkHttpRequest } from './request.ts';
import type { HttpRequest, SignedRequest } from './types.ts';

/** A request read from raw HTTP/1.1 text: headers in order, a repeated name as an array. */
export interface ParsedHttpRequest extends HttpRequest {
  /** The headers in the order read; a repeated name is an array of its values. */
  headers: Record<string, string | string[]>;
  /** The text after the blank line, when there is one. */
  body?: string;
}

/**
 * Reads a raw HTTP/1.1 request exactly as the official test suite's `.req` files write it: LF or
 * CRLF line ends, `Name:value` headers with or without a space, obs-folded continuation lines kept
 * as part of the value, a request target that may hold spaces or raw UTF-8, and an optional body
 * after a blank line. The result can be passed straight to {@link sign}.
 *
 * @example
 * ```ts
 * const request = parseHttpRequest('GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z');
 * // { method: 'GET', url: '/', headers: { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' } }
 * ```
 */
export function parseHttpRequest(text: string): ParsedHttpRequest {
  if (typeof text !== 'string') throw new SigV4Error('INVALID_REQUEST', 'parseHttpRequest: expected the request as text');
  if (text.includes('\0')) throw new SigV4Error('INVALID_REQUEST', 'parseHttpRequest: the request contains a NUL byte');
  const normalized = text.replace(/\r\n/g, '\n');
  const blank = normalized.indexOf('\n\n');
  const head = blank === -1 ? normalized.replace(/\n$/, '') : normalized.slice(0, blank);
  const body = blank === -1 ? undefined : normalized.slice(blank + 2);
  const [requestLine = '', ...headerLines] = head.split('\n');

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
  let last: { key: string } | undefined;
  for (const line of headerLines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      // obs-fold: the line continues the previous header's value (RFC 9112 §5.2).
      const value = headers[last.key]!;
      if (Array.isArray(value)) value[value.length - 1] += `\n${line}`;
      else headers[last.key] = `${value}\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new SigV4Error('INVALID_REQUEST', `parseHttpRequest: header line '${line.slice(0, 40)}' has no "Name:" before its value`);
    }
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    const key = spelling.get(name.toLowerCase()) ?? name;
    spelling.set(name.toLowerCase(), key);
    const existing = headers[key];
    headers[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    last = { key };
  }
  const request: ParsedHttpRequest = { method, url, headers };
  if (body !== undefined) request.body = body;
  readRequest(request); // reject now, with the reason, what sign() would reject later
  return request;
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
