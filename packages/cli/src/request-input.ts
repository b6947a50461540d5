import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseHttpRequest, SigV4Error } from '@glassbox/sigv4';
import { usageError } from './cli-error.ts';
import type { Io } from './output.ts';
import { invalidNameReason, shown } from './sendable-headers.ts';

/** The curl-like and file options every request-taking command accepts. */
export interface RequestInputOptions {
  /** `--request-file FILE|-`: a raw HTTP/1.1 request, as the test suite's `.req` files. */
  requestFile?: string | undefined;
  /** `-X, --request METHOD`. */
  request?: string | undefined;
  /** `-H, --header 'Name: value'`, repeatable. */
  header?: string[] | undefined;
  /** `-d, --data DATA|@file|@-`. */
  data?: string | undefined;
}

/** A request read from the command line, ready for `sign()`. */
export interface InputRequest {
  method: string;
  /** Absolute, or origin-form with a Host header (from a request file). Kept exactly as written. */
  url: string;
  headers: Record<string, string | string[]>;
  body?: string | Uint8Array;
  /** The host (and port) the request names: from the URL or the Host header. */
  host: string;
  /** `https:` unless an absolute `http:` URL said otherwise. */
  scheme: 'http:' | 'https:';
}

/**
 * Reads a file argument as bytes, `-` meaning standard input. A missing or unreadable file is a
 * usage error naming the flag and the file.
 */
export async function readBytesArgument(path: string, io: Io, what: string): Promise<Uint8Array> {
  if (path === '-') {
    const input = await io.readStdin();
    return typeof input === 'string' ? new TextEncoder().encode(input) : input;
  }
  try {
    return new Uint8Array(await readFile(resolve(io.cwd, path)));
  } catch (error) {
    throw usageError(`cannot read ${what} '${path}': ${describeFsError(error)}`, error);
  }
}

/**
 * Reads a file argument meant as text (a server's error message, say), `-` meaning standard input:
 * the bytes decoded as UTF-8.
 */
export async function readTextArgument(path: string, io: Io, what: string): Promise<string> {
  return new TextDecoder().decode(await readBytesArgument(path, io, what));
}

/**
 * Builds the request to sign from `--request-file` or from curl-like `-X/-H/-d URL`, exactly one of
 * the two. Nothing is rewritten: the path and query are signed as typed, because the bytes sent are
 * the bytes AWS signs.
 *
 * @example
 * ```ts
 * await readRequestInput({ request: 'POST', header: ['Content-Type: application/json'], data: '{}' }, 'https://api.ecr.us-east-1.amazonaws.com/', io);
 * ```
 */
export async function readRequestInput(options: RequestInputOptions, url: string | undefined, io: Io): Promise<InputRequest> {
  if (options.requestFile !== undefined) {
    if (url !== undefined || options.request !== undefined || (options.header?.length ?? 0) > 0 || options.data !== undefined) {
      throw usageError('give either --request-file or a URL with -X/-H/-d, not both');
    }
    // Bytes: a captured request's body is verified over the bytes on disk (CRLFs, binary and all).
    const raw = await readBytesArgument(options.requestFile, io, '--request-file');
    let parsed;
    try {
      parsed = parseHttpRequest(raw);
    } catch (error) {
      throw usageError(`--request-file '${options.requestFile}' is not a valid HTTP request: ${messageOf(error)}`, error);
    }
    return withTarget({
      method: parsed.method,
      url: parsed.url,
      headers: parsed.headers,
      ...(parsed.body === undefined ? {} : { body: parsed.body }),
    });
  }
  if (url === undefined) throw usageError('missing request: give a URL (curl-like) or --request-file FILE|-');
  if (!/^https?:\/\//i.test(url)) throw usageError(`the URL '${url}' must start with https:// or http://`);
  try {
    new URL(url);
  } catch {
    throw usageError(`the URL '${url}' is not a valid URL`);
  }
  const headers = readHeaderFlags(options.header ?? []);
  let body: string | Uint8Array | undefined;
  if (options.data !== undefined) {
    // @file and @- are bytes, as curl's --data-binary; plain text is sent as its UTF-8.
    body = options.data.startsWith('@') ? await readBytesArgument(options.data.slice(1), io, '-d') : options.data;
  }
  const method = (options.request ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw usageError(`-X '${options.request}': expected an HTTP method such as GET or POST`);
  return withTarget({ method, url: percentEncodeRaw(url), headers, ...(body === undefined ? {} : { body }) });
}

// Bytes HTTP cannot carry raw in a request target: controls, space, DEL and everything past ASCII.
const RAW_IN_TARGET = /[\u0000-\u0020\u007f-\u{10ffff}]+/gu;
const RAW_CHARACTER = /[\u0000-\u0020\u007f-\u{10ffff}]/u;

/**
 * A typed URL with its raw space, controls and non-ASCII characters percent-encoded as UTF-8, as a
 * browser does (WHATWG URL): the target is then one ASCII string, the same one signed and sent.
 * Without this the signer encodes `café` as `caf%C3%A9` while the HTTP client sends the byte `0xE9`,
 * and the server checks a path that was never signed. Existing `%XX` escapes are kept as typed.
 *
 * @example
 * ```ts
 * percentEncodeRaw('https://b.s3.amazonaws.com/raw space/café'); // 'https://b.s3.amazonaws.com/raw%20space/caf%C3%A9'
 * ```
 */
export function percentEncodeRaw(url: string): string {
  return url.replace(RAW_IN_TARGET, (run) => encodeURIComponent(run.replace(/[\ud800-\udfff]/gu, '\ufffd')));
}

/**
 * The first character of a request file's target that HTTP cannot send raw (the official suite's
 * `get-space` signs `/example space/`, which is fine to sign but not to send), or undefined.
 */
export function unsendableTargetCharacter(url: string): string | undefined {
  return RAW_CHARACTER.exec(url)?.[0];
}

/**
 * The `-H 'Name: value'` flags as a header object: a repeated name (in any case) becomes an array
 * under its first spelling, in the order given.
 */
function readHeaderFlags(flags: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const spelling = new Map<string, string>(); // lower-case name → first spelling: one lookup per flag, not a scan
  for (const line of flags) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw usageError(`-H '${shown(line)}': expected 'Name: value'`);
    // Spaces and tabs only (HTTP's OWS): String#trim would also drop U+00A0, U+FEFF or a vertical
    // tab without a word, and the value sent would not be the one typed.
    const name = trimSpacesAndTabs(line.slice(0, colon));
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw usageError(`-H '${shown(line)}': ${invalidNameReason(name)}`);
    const value = trimSpacesAndTabs(line.slice(colon + 1));
    const key = spelling.get(name.toLowerCase());
    if (key === undefined) {
      spelling.set(name.toLowerCase(), name);
      Object.defineProperty(headers, name, { value, writable: true, enumerable: true, configurable: true }); // even __proto__
    } else {
      const current = headers[key]!;
      if (Array.isArray(current)) current.push(value);
      else headers[key] = [current, value];
    }
  }
  return headers;
}

function trimSpacesAndTabs(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
}

function withTarget(request: Omit<InputRequest, 'host' | 'scheme'>): InputRequest {
  const absolute = /^(https?):\/\/([^/?#]+)/i.exec(request.url);
  if (absolute) {
    return { ...request, scheme: absolute[1]!.toLowerCase() === 'http' ? 'http:' : 'https:', host: absolute[2]!.replace(/^[^@]*@/, '') };
  }
  const hostHeader = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'host')?.[1];
  const host = Array.isArray(hostHeader) ? hostHeader[0] : hostHeader;
  if (host === undefined || host.trim() === '') throw usageError('the request has no host: add a Host header or use an absolute URL');
  return { ...request, scheme: 'https:', host: host.trim() };
}

/** The message of an error, for one-line reports. */
export function messageOf(error: unknown): string {
  if (error instanceof SigV4Error) return error.message.replace(/^parseHttpRequest: /, '');
  return error instanceof Error ? error.message : String(error);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return messageOf(error);
}

/** A header's (first) value, by case-insensitive name. */
export function headerOf(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = Object.entries(headers).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(value) ? value[0] : value;
}
