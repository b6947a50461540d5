/**
 * One HTTP exchange, over Node's own client (direct) or undici's ProxyAgent (through a proxy): the request's path sent byte for byte as given, the response's body
 * read as bytes. Timeouts as the AWS CLI means them: the connect timeout covers TCP, the proxy tunnel and
 * TLS; the read timeout covers the wait for the response to start and each pause between two pieces of
 * the body (so a long download is fine while it moves). Error bodies are read up to a limit and the rest
 * is not waited for; success bodies may have a limit of their own (credential answers are small).
 *
 * Connections are kept alive per (proxy, CA bundle, connect timeout) and closed by {@link closeConnections},
 * which every program calls when it is done, so no idle socket holds the process open.
 */
import { createRequire } from 'node:module';
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { TransportError } from './errors.ts';
import { classifyFailure, failureError, type FailureTarget } from './failure.ts';
import { dispatchOverNode, type NodeDispatchOptions, nodeAgent } from './node-client.ts';
import { displayProxy, proxyFor } from './proxy.ts';
import type { TransportSettings } from './settings.ts';

/**
 * How much of an error body is read: enough for any AWS error document; the rest is reported by size.
 *
 * @example
 * ```ts
 * MAX_ERROR_BODY_BYTES; // 1048576 (1 MiB)
 * ```
 */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/** A request ready to send. */
export interface TransportRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The absolute URL; its path and query are sent exactly as written (no re-encoding). */
  readonly url: string;
  /** The headers, as signed (a `host` header, if any, is sent as is). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body. */
  readonly body?: string | Uint8Array | undefined;
}

/** An error body that was not read whole. */
export interface TruncatedBody {
  /** Bytes kept (the `body`). */
  readonly kept: number;
  /** The whole body's size from `Content-Length`, when the server sent one. */
  readonly totalBytes: number | undefined;
}

/** A response. */
export interface TransportResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The headers, names lower-cased; repeated headers as arrays. */
  readonly headers: Record<string, string | string[]>;
  /** The body, as bytes. */
  readonly body: Uint8Array;
  /** Set when an error body was longer than the limit: `body` holds its first bytes. */
  readonly truncated: TruncatedBody | undefined;
  /** Milliseconds from sending to the last byte read. */
  readonly durationMs: number;
  /** The proxy used (without credentials), for traces. */
  readonly via: string | undefined;
}

/** Per-call choices. */
export interface ExchangeOptions {
  /** Cancels the exchange. */
  signal?: AbortSignal | undefined;
  /** Never use a proxy (the metadata endpoints). */
  direct?: boolean | undefined;
  /** Close the connection after this exchange (endpoints called once per process). */
  closeAfter?: boolean | undefined;
  /** The largest 2xx body accepted; more is `RESPONSE_TOO_LARGE`. Default: no limit. */
  maxBodyBytes?: number | undefined;
  /** The part of a non-2xx body that is read. Default {@link MAX_ERROR_BODY_BYTES}. */
  maxErrorBodyBytes?: number | undefined;
  /** An undici dispatcher to use as is (the proxy, CA and connect settings are then its own). */
  dispatcher?: Dispatcher | undefined;
}

/** Whatever carries a request: undici's handler protocol over undici (a proxy) or over Node's client (direct). */
interface Carrier {
  dispatch(options: NodeDispatchOptions, handler: Dispatcher.DispatchHandlers): void;
  destroy(): Promise<void>;
}

/** An undici dispatcher as a carrier; undici's own timeouts tick once a second, ours (below) are exact. */
function undiciCarrier(dispatcher: Dispatcher): Carrier {
  return {
    dispatch: ({ reset, method, ...options }, handler) =>
      dispatcher.dispatch(
        { ...options, method: method as Dispatcher.HttpMethod, ...(reset ? { reset: true } : {}), headersTimeout: 0, bodyTimeout: 0 },
        handler,
      ),
    destroy: () => dispatcher.destroy(),
  };
}

// undici is loaded only for a proxy (node-client.ts says why direct exchanges use Node's own client).
const undici = createRequire(import.meta.url);

// Shared per (proxy, CA bundle, connect timeout, lookup) so that repeated calls reuse kept-alive connections.
const carriers = new Map<string, Carrier>();
const lookupIds = new WeakMap<LookupFunction, number>();
let lookupCount = 0;

function lookupKey(lookup: LookupFunction | undefined): string {
  if (lookup === undefined) return 'system';
  let id = lookupIds.get(lookup);
  if (id === undefined) lookupIds.set(lookup, (id = ++lookupCount));
  return `lookup#${id}`;
}

// A short keep-alive: a credential helper runs seconds, and a server may drop an idle socket before we reuse it.
const KEEP_ALIVE_MS = 4_000;

function carrierFor(proxy: string | undefined, settings: TransportSettings): Carrier {
  const key = [proxy ?? 'direct', settings.ca?.path ?? 'default-ca', settings.connectTimeoutMs, lookupKey(settings.lookup)].join('\n');
  let carrier = carriers.get(key);
  if (carrier !== undefined) return carrier;
  if (proxy === undefined) {
    const agent = nodeAgent({ ca: settings.ca?.pem, lookup: settings.lookup, keepAliveMs: KEEP_ALIVE_MS });
    carrier = {
      dispatch: (options, handler) => dispatchOverNode(agent, options, handler, settings.connectTimeoutMs),
      destroy: () => agent.destroy(),
    };
  } else {
    let uri: URL;
    try {
      uri = new URL(proxy);
    } catch (cause) {
      throw new TransportError('INVALID_CONFIGURATION', `The proxy "${displayProxy(proxy)}" is not a URL: write it as http://host:port.`, {
        cause,
        setting: 'HTTPS_PROXY',
      });
    }
    const connectMs = settings.connectTimeoutMs;
    const lookup = settings.lookup === undefined ? {} : { lookup: settings.lookup };
    // The whole index here: ProxyAgent's tunnel uses Dispatcher.prototype.connect, which the index adds (lib/api).
    const { Pool, ProxyAgent } = undici('undici') as typeof import('undici');
    carrier = undiciCarrier(
      new ProxyAgent({
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: 60_000,
        uri: uri.href,
        // The CA bundle is for the services, not the proxy (the AWS CLI has a separate proxy_ca_bundle).
        proxyTls: { timeout: connectMs, ...lookup },
        requestTls: { timeout: connectMs, ...(settings.ca === undefined ? {} : { ca: settings.ca.pem }), ...lookup },
        // The CONNECT to the proxy gets no timeout of undici's own beyond its 300 s default.
        clientFactory: (origin: URL, options: object) =>
          new Pool(origin, { ...options, headersTimeout: connectMs, bodyTimeout: connectMs }),
      }),
    );
  }
  carriers.set(key, carrier);
  return carrier;
}

/**
 * Closes every kept-alive connection (programs call it when done, so the process exits at once).
 *
 * @example
 * ```ts
 * await closeConnections();
 * ```
 */
export async function closeConnections(): Promise<void> {
  const all = [...carriers.values()];
  carriers.clear();
  // destroy rather than close: close would wait for a request stuck behind a silent proxy.
  await Promise.all(all.map((carrier) => carrier.destroy().catch(() => undefined)));
}

/** The origin and the path+query exactly as written (URL would re-encode the path that was signed). */
function splitUrl(text: string): { url: URL; origin: string; path: string } {
  const authority = /^https?:\/\/[^/?#]*/i.exec(text)?.[0];
  let url: URL;
  try {
    if (authority === undefined) throw new Error('no http(s) authority');
    url = new URL(authority);
  } catch (cause) {
    throw new TransportError('INVALID_REQUEST', `"${text.slice(0, 200)}" is not an http:// or https:// URL.`, { cause });
  }
  const rest = text.slice(authority.length);
  return { url, origin: url.origin, path: rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}` };
}

function headerRecord(raw: Buffer[] | string[] | null): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (raw === null) return headers;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const existing = headers[name];
    headers[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return headers;
}

/** Our read timeout, as an error the classifier knows. */
function readTimeout(phase: 'headers' | 'body'): Error {
  return Object.assign(new Error(phase === 'body' ? 'the response body stalled' : 'no response'), { code: 'READ_TIMEOUT', phase });
}

/**
 * Sends one request and reads the response. HTTP error statuses are returned (with their body read up to
 * the limit), not thrown; every network failure is a {@link TransportError} whose message ends with what
 * to do (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`).
 *
 * @example
 * ```ts
 * const settings = await resolveTransportSettings({ env: process.env });
 * const response = await exchange({ method: 'GET', url: 'http://127.0.0.1:8080/', headers: {} }, settings);
 * new TextDecoder().decode(response.body);
 * ```
 */
export async function exchange(
  request: TransportRequest,
  settings: TransportSettings,
  options: ExchangeOptions = {},
): Promise<TransportResponse> {
  const { url, origin, path } = splitUrl(request.url);
  const proxy =
    options.dispatcher !== undefined || options.direct ? undefined : proxyFor(url, { env: settings.env, proxy: settings.proxy });
  const via = proxy === undefined ? undefined : displayProxy(proxy);
  const target: FailureTarget = {
    method: request.method,
    url,
    via,
    caFrom: settings.ca?.from,
    connectTimeoutMs: settings.connectTimeoutMs,
    readTimeoutMs: settings.readTimeoutMs,
  };
  const carrier = options.dispatcher === undefined ? carrierFor(proxy, settings) : undiciCarrier(options.dispatcher);
  const maxError = options.maxErrorBodyBytes ?? MAX_ERROR_BODY_BYTES;
  const started = performance.now();
  if (options.signal?.aborted) throw aborted(request, url, options.signal.reason);

  return new Promise<TransportResponse>((resolve, reject) => {
    let abortExchange: ((reason?: Error) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let status = 0;
    let headers: Record<string, string | string[]> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    let limit = Number.POSITIVE_INFINITY;
    let truncated: TruncatedBody | undefined;
    let settled = false;

    const finish = (outcome: { error: unknown } | { response: TransportResponse }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.response);
    };
    const fail = (cause: unknown): void => {
      if (cause instanceof TransportError) return finish({ error: cause });
      if (options.signal?.aborted) return finish({ error: aborted(request, url, cause) });
      const code = (cause as { code?: unknown }).code;
      if (
        code === 'UND_ERR_INVALID_ARG' ||
        code === 'ERR_INVALID_ARG_TYPE' ||
        code === 'ERR_INVALID_CHAR' ||
        code === 'ERR_UNESCAPED_CHARACTERS' ||
        code === 'ERR_INVALID_HTTP_TOKEN'
      ) {
        return finish({
          error: new TransportError('INVALID_REQUEST', `The request cannot be sent as given: ${(cause as Error).message}.`, {
            cause,
            causeCode: code,
          }),
        });
      }
      finish({ error: failureError(classifyFailure(cause, target), target, cause) });
    };
    const respond = (): void =>
      finish({
        response: {
          status,
          headers,
          body: new Uint8Array(Buffer.concat(chunks, size)),
          truncated,
          durationMs: Math.round(performance.now() - started),
          via,
        },
      });
    // One timer at a time: the connect phase through a proxy (undici bounds only its TCP part), then the read timeout.
    const arm = (ms: number, error: () => Error): void => {
      clearTimeout(timer);
      if (ms > 0) timer = setTimeout(() => (abortExchange ? abortExchange(error()) : fail(error())), ms);
    };
    function onAbort(): void {
      if (abortExchange) abortExchange(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      else finish({ error: aborted(request, url, options.signal?.reason) });
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (proxy !== undefined)
      arm(settings.connectTimeoutMs, () => Object.assign(new Error('proxy tunnel not established'), { code: 'PROXY_CONNECT_TIMEOUT' }));

    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abort) {
        abortExchange = (reason) => abort(reason);
        if (settled) return abort(); // aborted before the connection was up: no read timeout to arm
        arm(settings.readTimeoutMs, () => readTimeout('headers'));
      },
      onHeaders(statusCode, rawHeaders, _resume) {
        if (statusCode < 200) return true; // 1xx: the real status follows
        status = statusCode;
        headers = headerRecord(rawHeaders as Buffer[] | null);
        limit = statusCode >= 300 ? maxError : (options.maxBodyBytes ?? Number.POSITIVE_INFINITY);
        arm(settings.readTimeoutMs, () => readTimeout('body'));
        return true;
      },
      onData(chunk) {
        arm(settings.readTimeoutMs, () => readTimeout('body'));
        if (size + chunk.length > limit) {
          if (status >= 200 && status < 300) {
            fail(
              new TransportError(
                'RESPONSE_TOO_LARGE',
                `${request.method} ${origin} answered HTTP ${status} with more than ${limit} bytes, more than this call accepts.`,
              ),
            );
          } else {
            const keep = limit - size;
            chunks.push(Buffer.from(chunk.subarray(0, keep)));
            size += keep;
            const declared = Number(Array.isArray(headers['content-length']) ? headers['content-length'][0] : headers['content-length']);
            truncated = { kept: size, totalBytes: Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined };
            respond();
          }
          abortExchange?.();
          return false;
        }
        chunks.push(Buffer.from(chunk));
        size += chunk.length;
        return true;
      },
      onComplete() {
        respond();
      },
      onError(error) {
        if (!settled)
          fail(
            (error as { code?: string }).code === 'UND_ERR_ABORTED' && (error as Error).cause !== undefined
              ? (error as Error).cause
              : error,
          );
      },
    };
    try {
      carrier.dispatch(
        {
          origin,
          path,
          method: request.method,
          headers: request.headers as Record<string, string | string[]>,
          body:
            request.body === undefined
              ? null
              : typeof request.body === 'string'
                ? request.body
                : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength),
          reset: options.closeAfter,
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  });
}

function aborted(request: TransportRequest, url: URL, cause: unknown): TransportError {
  return new TransportError('ABORTED', `The request (${request.method} ${url.origin}) was aborted by the caller.`, { cause });
}
