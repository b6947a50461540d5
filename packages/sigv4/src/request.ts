import { SigV4Error } from './errors.ts';
import { uriEncode } from './uri-encode.ts';
import type { HeaderEntry } from './canonical-headers.ts';
import type { Body, HeadersInput, HttpRequest } from './types.ts';

/**
 * The AWS SDK v3 request shape (`@smithy/protocol-http` `HttpRequest`): host and path apart, the
 * query already decoded into an object. Accepted everywhere a plain {@link HttpRequest} is.
 */
export interface SdkHttpRequest {
  /** The HTTP method. */
  method: string;
  /** `https:` or `http:`. */
  protocol?: string | undefined;
  /** The host name, without the port. */
  hostname: string;
  /** The port, when it is not the scheme's default. */
  port?: number | undefined;
  /** The path, as it will be sent. */
  path: string;
  /** The query as an object of decoded values; an array for a repeated key. */
  query?: Record<string, string | readonly string[] | null | undefined> | undefined;
  /** The headers by name. */
  headers: Record<string, string | undefined>;
  /** The body, as the SDK will send it. */
  body?: unknown;
  /** User info of the URL (not signed). */
  username?: string | undefined;
  /** User info of the URL (not signed; never printed). */
  password?: string | undefined;
  /** The URL fragment (never sent, never signed). */
  fragment?: string | undefined;
}

/** A request taken apart for signing, with nothing rewritten: path and query exactly as given. */
export interface RequestParts {
  readonly method: string;
  /** `https`, `http`, or undefined for an origin-form URL. */
  readonly scheme: string | undefined;
  /** `host[:port]` from the URL, or undefined for an origin-form URL. */
  readonly authority: string | undefined;
  readonly path: string;
  /** The raw query string without `?`. */
  readonly query: string;
  readonly headers: HeaderEntry[];
  readonly body: Body;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A header name, or an HTTP/2 pseudo-header: the SDK's HTTP/2 requests carry (and SignatureV4 signs) `:authority` in place of Host.
const HEADER_NAME = /^:?[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// NUL anywhere, or CR/LF that does not start an obs-fold continuation (RFC 9112 §5.2).
const BAD_VALUE = /\0|\r(?!\n[ \t])|\n(?![ \t])/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/** True for an `@smithy/protocol-http` `HttpRequest`-shaped object. */
export function isSdkHttpRequest(request: unknown): request is SdkHttpRequest {
  return typeof request === 'object' && request !== null && 'hostname' in request && 'path' in request;
}

/**
 * Takes a request apart and checks it, so that every later step can trust its input. Throws
 * `INVALID_REQUEST` or `INVALID_HEADER` with what to fix.
 */
export function readRequest(request: HttpRequest | SdkHttpRequest): RequestParts {
  if (typeof request !== 'object' || request === null) {
    throw new SigV4Error('INVALID_REQUEST', 'request: expected an object { method, url, headers?, body? }');
  }
  const method = request.method;
  if (typeof method !== 'string' || !TOKEN.test(method)) {
    throw new SigV4Error('INVALID_REQUEST', 'request.method: expected an HTTP method such as GET or POST');
  }
  const headers = readHeaders(request.headers);
  if (isSdkHttpRequest(request)) return readSdkRequest(request, method, headers);

  const url = (request as HttpRequest).url;
  if (typeof url !== 'string' || url === '' || /[\0\r\n]/.test(url)) {
    throw new SigV4Error('INVALID_REQUEST', 'request.url: expected an absolute URL or a path starting with /');
  }
  const fragment = url.indexOf('#');
  const withoutFragment = fragment === -1 ? url : url.slice(0, fragment);
  // scheme://authority/path?query, split with indexOf: a capturing regex here cost more than hashing the path.
  const schemeEnd = withoutFragment.indexOf('://');
  const absolute = schemeEnd > 0 && SCHEME.test(withoutFragment.slice(0, schemeEnd));
  let scheme: string | undefined;
  let authority: string | undefined;
  let target = withoutFragment;
  if (absolute) {
    scheme = withoutFragment.slice(0, schemeEnd).toLowerCase();
    const start = schemeEnd + 3;
    const end = Math.min(indexOrEnd(withoutFragment, '/', start), indexOrEnd(withoutFragment, '?', start));
    const at = withoutFragment.lastIndexOf('@', end - 1);
    authority = withoutFragment.slice(at < start ? start : at + 1, end); // user:pass@ is never sent as Host
    target = withoutFragment.slice(end);
    if (authority === '') throw new SigV4Error('INVALID_REQUEST', `request.url: no host in '${url}'`);
  } else if (!withoutFragment.startsWith('/')) {
    throw new SigV4Error('INVALID_REQUEST', 'request.url: expected an absolute URL (https://host/path) or a path starting with /');
  }
  const questionMark = target.indexOf('?');
  const path = questionMark === -1 ? target : target.slice(0, questionMark);
  const query = questionMark === -1 ? '' : target.slice(questionMark + 1);
  return { method, scheme, authority, path: path === '' ? '/' : path, query, headers, body: (request as HttpRequest).body };
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

function readSdkRequest(request: SdkHttpRequest, method: string, headers: HeaderEntry[]): RequestParts {
  if (typeof request.hostname !== 'string' || request.hostname === '' || typeof request.path !== 'string') {
    throw new SigV4Error('INVALID_REQUEST', 'request: an SDK HttpRequest needs a hostname and a path');
  }
  // The hostname becomes the Host header and the path the request line: no CR, LF, NUL or spaces in either.
  if (/[\s\0/?#]/.test(request.hostname) || /[\0\r\n]/.test(request.path)) {
    throw new SigV4Error(
      'INVALID_REQUEST',
      'request: an SDK HttpRequest hostname may not contain white space, NUL, "/", "?" or "#", nor its path CR, LF or NUL',
    );
  }
  if (request.protocol !== undefined && (typeof request.protocol !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:?$/.test(request.protocol))) {
    throw new SigV4Error('INVALID_REQUEST', "request.protocol: expected 'https:' or 'http:'");
  }
  if (
    request.port !== undefined &&
    request.port !== null &&
    !(Number.isInteger(request.port) && request.port >= 0 && request.port <= 65535)
  ) {
    throw new SigV4Error('INVALID_REQUEST', 'request.port: expected a port number from 0 to 65535');
  }
  const scheme = (request.protocol ?? 'https:').replace(/:$/, '').toLowerCase();
  const authority = request.port === undefined || request.port === null ? request.hostname : `${request.hostname}:${request.port}`;
  return {
    method,
    scheme,
    authority,
    path: request.path || '/',
    query: sdkQueryString(request.query),
    headers,
    body: request.body as Body,
  };
}

/** Writes an SDK query object back as a raw query string (its values are decoded, so encode them). */
export function sdkQueryString(query: SdkHttpRequest['query']): string {
  if (!query) return '';
  if (typeof query !== 'object') throw new SigV4Error('INVALID_REQUEST', 'request.query: expected an object of strings or string arrays');
  const pieces: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every((one) => typeof one === 'string'))) {
      throw new SigV4Error('INVALID_REQUEST', `request.query['${key.slice(0, 40)}']: expected a string or an array of strings`);
    }
    for (const one of typeof value === 'string' ? [value] : value) {
      pieces.push(`${uriEncode(key)}=${uriEncode(one)}`); // not encodeURIComponent: it throws on a lone surrogate
    }
  }
  return pieces.join('&');
}

/** Reads headers from an object or an iterable of pairs into an ordered list, checking each. */
export function readHeaders(headers: HeadersInput | undefined): HeaderEntry[] {
  const entries: HeaderEntry[] = [];
  if (headers === undefined || headers === null) return entries;
  if (typeof headers !== 'object') {
    throw new SigV4Error('INVALID_HEADER', 'request.headers: expected an object or a list of [name, value] pairs');
  }
  const add = (name: unknown, value: unknown): void => {
    if (value === undefined) return;
    if (typeof name !== 'string' || !HEADER_NAME.test(name)) {
      throw new SigV4Error(
        'INVALID_HEADER',
        `request.headers: ${typeof name === 'string' ? `'${name.slice(0, 40)}'` : `a ${typeof name}`} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`,
      );
    }
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string') {
      throw new SigV4Error('INVALID_HEADER', `request.headers['${name}']: expected a string value`);
    }
    if (BAD_VALUE.test(text)) {
      throw new SigV4Error('INVALID_HEADER', `request.headers['${name}']: a value may not contain NUL, CR or LF`);
    }
    entries.push([name, text]);
  };
  if (Symbol.iterator in headers) {
    for (const pair of headers as Iterable<readonly [string, string]>) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new SigV4Error('INVALID_HEADER', 'request.headers: expected [name, value] pairs');
      }
      add(pair[0], pair[1]);
    }
    return entries;
  }
  for (const name of Object.keys(headers)) {
    const value = (headers as Record<string, unknown>)[name];
    if (Array.isArray(value)) for (const one of value) add(name, one);
    else add(name, value);
  }
  return entries;
}

/** Looks a header up by name, case-insensitively; repeated values are joined with `,`. */
export function headerValue(headers: readonly HeaderEntry[], lowerName: string): string | undefined {
  let found: string | undefined;
  for (const [name, value] of headers) {
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
      found = found === undefined ? value : `${found},${value}`;
    }
  }
  return found;
}

/** Writes an ordered header list back as an object: a repeated name becomes an array. */
export function headersToObject(headers: readonly HeaderEntry[]): Record<string, string | string[]> {
  if (headers.length > SCAN_LIMIT) return headersToObjectByMap(headers);
  const out: Record<string, string | string[]> = {};
  // Lower-case names seen so far and their first spelling (the key in `out`); a request carries a
  // handful of headers, for which a scan beats hashing each name into a Map.
  const lowerNames: string[] = [];
  const spellings: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const seen = lowerNames.indexOf(lower);
    const key = seen === -1 ? undefined : spellings[seen];
    if (key === undefined) {
      lowerNames.push(lower);
      spellings.push(name);
      out[name] = value;
    } else {
      const previous = out[key]!;
      if (Array.isArray(previous))
        previous.push(value); // our own array: no copy per value
      else out[key] = [previous, value];
    }
  }
  return out;
}

/** Above this many headers the scan (quadratic) gives way to a Map; below it the scan is faster. */
const SCAN_LIMIT = 32;

function headersToObjectByMap(headers: readonly HeaderEntry[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const spelling = new Map<string, string>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const key = spelling.get(lower);
    if (key === undefined) {
      spelling.set(lower, name);
      Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true }); // even __proto__
    } else {
      const previous = out[key]!;
      if (Array.isArray(previous)) previous.push(value);
      else out[key] = [previous, value];
    }
  }
  return out;
}

/** The Host header value for a URL authority: the default port for the scheme is not written. */
export function hostFor(scheme: string | undefined, authority: string): string {
  if ((scheme === 'https' && authority.endsWith(':443')) || (scheme === 'http' && authority.endsWith(':80'))) {
    return authority.slice(0, authority.lastIndexOf(':'));
  }
  return authority;
}
