/**
 * The HTTP exchange the credential providers make (STS, the SSO portal, the container endpoint, IMDS),
 * over the shared transport (`../transport/`): a request, a timeout, an abort signal, the body as text.
 * Only STS and the SSO portal name a proxy (HTTPS_PROXY, as for every AWS API call): metadata endpoints are
 * link-local and must never be sent through one (the SDKs bypass it too). Connections are closed after
 * each call because these endpoints are called rarely.
 */
import { asEcrError, awsVerdict } from '../http.ts';
import { exchange, sendWithRetries, transportSettingsSync, type TransportSettings } from '../transport/index.ts';

/** A request to one of the credential endpoints. */
export interface HttpClientRequest {
  /** The HTTP method: IMDS wants `PUT` for its token, STS `POST`, the rest `GET`. */
  method: 'GET' | 'PUT' | 'POST';
  /** Request headers (lower-case names). */
  headers?: Record<string, string> | undefined;
  /** The request body (STS's form), if any. */
  body?: string | undefined;
  /** Milliseconds to connect, and to wait for (each piece of) the answer. */
  timeoutMs: number;
  /** Cancels the exchange. */
  signal?: AbortSignal | undefined;
  /** A proxy URL to go through (STS and SSO only); none when absent. */
  proxy?: string | undefined;
  /** Retry throttling, 5xx and network failures up to the settings' attempts (AWS APIs; the metadata endpoints count their own). */
  retry?: boolean | undefined;
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
 * A fetch-like function. The default is {@link createHttpClient} over the shared transport; inject another
 * to record or route calls. Failures to connect, time out or abort throw an `AwsError`
 * (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`).
 */
export type HttpClient = (url: string, init: HttpClientRequest) => Promise<HttpClientResponse>;

/** The largest body we read from a credential endpoint; real ones are a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The default {@link HttpClient} for the given transport settings (CA bundle, attempts; the call's own
 * `timeoutMs` and `proxy` replace the settings' timeouts and proxy).
 *
 * @example
 * ```ts
 * const http = createHttpClient(await loadTransportSettings({ env: process.env }));
 * const response = await http('http://127.0.0.1:8080/creds', { method: 'GET', timeoutMs: 1000 });
 * ```
 */
export function createHttpClient(settings: TransportSettings): HttpClient {
  return async (url, init) => {
    const perCall: TransportSettings = {
      ...settings,
      proxy: init.proxy ?? false,
      connectTimeoutMs: init.timeoutMs,
      readTimeoutMs: init.timeoutMs,
    };
    const request = { method: init.method, url, headers: init.headers ?? {}, body: init.body };
    const options = { signal: init.signal, direct: init.proxy === undefined, closeAfter: true, maxBodyBytes: MAX_BODY_BYTES };
    try {
      const response = init.retry
        ? (
            await sendWithRetries(url, async () => request, {
              settings: perCall,
              exchange: options,
              classify: awsVerdict,
              signal: init.signal,
              resignOnClockSkew: false,
            })
          ).response
        : await exchange(request, perCall, options);
      return { status: response.status, headers: response.headers, body: Buffer.from(response.body).toString('utf8') };
    } catch (error) {
      throw asEcrError(error);
    }
  };
}

/**
 * The default {@link HttpClient} with the transport's defaults (no CA bundle, one attempt unless `retry`).
 *
 * @example
 * ```ts
 * const response = await undiciHttpClient('http://127.0.0.1:8080/creds', { method: 'GET', timeoutMs: 1000 });
 * response.status; // 200
 * ```
 */
export const undiciHttpClient: HttpClient = (url, init) => createHttpClient(transportSettingsSync({ env: {} }))(url, init);

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
