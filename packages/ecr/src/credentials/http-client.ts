/**
 * The one HTTP exchange the credential providers need (STS, the container endpoint, IMDS): a request,
 * a timeout, an abort signal, the body as text. Only STS names a proxy (HTTPS_PROXY, as for every AWS
 * API call): metadata endpoints are link-local and must never be sent through one (the SDKs bypass it
 * too). Connections are closed after each call because these endpoints are called rarely.
 */
import { request } from 'undici';
import { EcrError } from '../errors.ts';
import { dispatcherFor } from '../http.ts';

/** A request to one of the credential endpoints. */
export interface HttpClientRequest {
  /** The HTTP method: IMDS wants `PUT` for its token, STS `POST`, the rest `GET`. */
  method: 'GET' | 'PUT' | 'POST';
  /** Request headers (lower-case names). */
  headers?: Record<string, string> | undefined;
  /** The request body (STS's form), if any. */
  body?: string | undefined;
  /** Milliseconds for the whole exchange. */
  timeoutMs: number;
  /** Cancels the exchange. */
  signal?: AbortSignal | undefined;
  /** A proxy URL to go through (STS only); none when absent. */
  proxy?: string | undefined;
}

/** The response: status, lower-case headers, and the body as UTF-8 text. */
export interface HttpClientResponse {
  /** The HTTP status code. */
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body, decoded as UTF-8. */
  body: string;
}

/**
 * A fetch-like function. The default is {@link undiciHttpClient}; inject another to record or route calls.
 * Failures to connect, time out or abort throw an {@link EcrError} (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`).
 */
export type HttpClient = (url: string, init: HttpClientRequest) => Promise<HttpClientResponse>;

/** The largest body we read from a credential endpoint; real ones are a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The default {@link HttpClient}, over undici's `request`.
 *
 * @example
 * ```ts
 * const response = await undiciHttpClient('http://127.0.0.1:8080/creds', { method: 'GET', timeoutMs: 1000 });
 * response.status; // 200
 * ```
 */
export const undiciHttpClient: HttpClient = async (url, init) => {
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal === undefined ? timeout : AbortSignal.any([init.signal, timeout]);
  const target = new URL(url);
  try {
    const response = await request(target, {
      method: init.method,
      headers: init.headers ?? {},
      body: init.body ?? null,
      signal,
      reset: true,
      ...(init.proxy === undefined ? {} : { dispatcher: dispatcherFor(init.proxy, init.timeoutMs, init.timeoutMs) }),
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        response.body.destroy();
        throw new EcrError('INVALID_RESPONSE', `${target.origin} sent more than ${MAX_BODY_BYTES} bytes; a credential response is a few kilobytes.`);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (error instanceof EcrError) throw error;
    if (init.signal?.aborted) throw new EcrError('ABORTED', `The request to ${target.origin} was aborted.`, { cause: error });
    if (timeout.aborted || (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT' || (error as { code?: string }).code === 'UND_ERR_BODY_TIMEOUT') {
      throw new EcrError('TIMEOUT', `${target.origin} did not answer within ${init.timeoutMs} ms.`, { cause: error });
    }
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    throw new EcrError('NETWORK_ERROR', `Could not reach ${target.origin}${code ? ` (${code})` : ''}: ${(error as Error).message}.`, { cause: error });
  }
};

/**
 * Reads one header's value (the first, if repeated).
 *
 * @example
 * ```ts
 * headerValue({ 'x-amzn-requestid': 'abc' }, 'x-amzn-requestid'); // 'abc'
 * ```
 */
export function headerValue(headers: HttpClientResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
