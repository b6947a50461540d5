/**
 * The network edge of @glassbox/ecr: one HTTP exchange over undici (keep-alive, proxies, timeouts,
 * abort), and the retry loop around it (exponential backoff with full jitter, a single re-sign on clock
 * skew). Signing stays outside: the loop asks the caller for a freshly signed request on every attempt,
 * because a retried request needs a new `X-Amz-Date`, and a skew-corrected one a shifted clock.
 */
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, Pool, ProxyAgent, request as undiciRequest, type Dispatcher } from 'undici';
import { isClockSkewError, isRetryableServiceError, isThrottlingError, parseServiceError, type ParsedServiceError } from './aws-service-error.ts';
import type { Environment } from './endpoints.ts';
import { EcrError } from './errors.ts';

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The version of @glassbox/ecr, as sent in the `user-agent`.
 *
 * @example
 * ```ts
 * console.log(`@glassbox/ecr ${VERSION}`); // the same version userAgent() sends
 * ```
 */
export const VERSION: string = packageJson.version;

/**
 * The `user-agent` we send: glassbox and its version first (so AWS-side logs and CloudTrail say who
 * called), then the runtime, then what the call was for.
 *
 * @example
 * ```ts
 * userAgent('api/ecr#GetAuthorizationToken'); // 'glassbox/0.1.0 node/v20.19.0 (linux; x64) api/ecr#GetAuthorizationToken'
 * ```
 */
export function userAgent(suffix?: string): string {
  return `glassbox/${VERSION} node/${process.version} (${process.platform}; ${process.arch})${suffix ? ` ${suffix}` : ''}`;
}

/**
 * Connect timeout, in ms. The AWS CLI waits 60 s; a credential helper that Docker waits on should give up sooner.
 *
 * @example
 * ```ts
 * // A slow link: allow twice the default to connect.
 * await getAuthorizationToken({ region: 'us-east-1', connectTimeoutMs: 2 * DEFAULT_CONNECT_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/**
 * Time for the whole response, in ms (the AWS CLI's read timeout is 60 s).
 *
 * @example
 * ```ts
 * // Match the AWS CLI's 60 s read timeout instead of ours:
 * await getAuthorizationToken({ region: 'us-east-1', requestTimeoutMs: 2 * DEFAULT_REQUEST_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** How to reach the network. */
export interface HttpOptions {
  /** Milliseconds to establish the TCP (and TLS) connection. Default 10 000. */
  connectTimeoutMs?: number | undefined;
  /** Milliseconds to wait for the response headers, and then between body chunks. Default 30 000. */
  requestTimeoutMs?: number | undefined;
  /** The environment holding `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (either case). Default: none. */
  env?: Environment | undefined;
  /** A proxy URL to use instead of the environment's, or `false` for none. */
  proxy?: string | false | undefined;
  /** An undici dispatcher to use as is (the proxy and connect-timeout settings are then yours). */
  dispatcher?: Dispatcher | undefined;
  /** Cancels the exchange (and any backoff wait). */
  signal?: AbortSignal | undefined;
}

function variable(env: Environment, name: string): string | undefined {
  // Lower case first, as curl and most tools do; empty counts as unset.
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** One `NO_PROXY` entry: `*`, `host`, `.domain`, `*.domain`, `host:port`, `[v6]:port`. */
function noProxyEntry(text: string): { host: string; port: string | undefined } | undefined {
  if (text === '') return undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const withPort = /^([^:]+):(\d+)$/.exec(text);
  const [host, port] = bracketed ? [bracketed[1] as string, bracketed[2]] : withPort ? [withPort[1] as string, withPort[2]] : [text, undefined];
  return { host: host.replace(/^\*?\./, ''), port };
}

/**
 * Whether `NO_PROXY` exempts a host: `*`; an exact host; a domain (`example.com`, `.example.com` or
 * `*.example.com`) covering its subdomains; with `:port`, only that port. IP addresses match exactly
 * (no CIDR ranges, as in most tools).
 */
function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.split(/[\s,]+/).some((raw) => {
    const entry = noProxyEntry(raw.trim().toLowerCase());
    if (entry === undefined) return false;
    if (entry.host === '*') return true;
    if (entry.port !== undefined && entry.port !== port) return false;
    return host === entry.host || host.endsWith(`.${entry.host}`);
  });
}

/**
 * The proxy a request to `url` should go through: the explicit option, else `HTTPS_PROXY` for https
 * targets and `HTTP_PROXY` for http ones (either case), unless `NO_PROXY` exempts the host.
 *
 * @example
 * ```ts
 * proxyFor(new URL('https://api.ecr.us-east-1.amazonaws.com/'), { env: { HTTPS_PROXY: 'http://proxy:3128' } });
 * // 'http://proxy:3128'
 * ```
 */
export function proxyFor(url: URL, options: Pick<HttpOptions, 'env' | 'proxy'> = {}): string | undefined {
  if (options.proxy === false) return undefined;
  if (typeof options.proxy === 'string' && options.proxy !== '') return options.proxy;
  const env = options.env ?? {};
  if (bypassesProxy(url, variable(env, 'NO_PROXY'))) return undefined;
  return url.protocol === 'https:' ? variable(env, 'HTTPS_PROXY') : variable(env, 'HTTP_PROXY');
}

/**
 * A proxy URL fit for a trace: user info removed.
 *
 * @example
 * ```ts
 * displayProxy('http://user:pw@proxy:3128'); // 'http://proxy:3128/ (with credentials)'
 * ```
 */
export function displayProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
      return `${url.href} (with credentials)`;
    }
    return url.href;
  } catch {
    return '[unparseable proxy URL]';
  }
}

// Dispatchers are shared per (proxy, timeouts) so that repeated calls reuse kept-alive connections.
const dispatchers = new Map<string, Dispatcher>();

/**
 * The shared undici dispatcher for a proxy (or none) and timeouts; {@link closeConnections} closes them all.
 * The credential chain's STS calls go through it too.
 */
export function dispatcherFor(proxy: string | undefined, connectTimeoutMs: number, requestTimeoutMs: number): Dispatcher {
  const key = `${proxy ?? 'direct'}\n${connectTimeoutMs}\n${requestTimeoutMs}`;
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    // keepAliveTimeout stays short: a credential helper runs seconds, and idle sockets must not pin the process.
    const common = { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000, connect: { timeout: connectTimeoutMs } };
    if (proxy !== undefined) {
      let parsed: URL;
      try {
        parsed = new URL(proxy);
      } catch (cause) {
        throw new EcrError('INVALID_CONFIGURATION', `The proxy "${displayProxy(proxy)}" is not a URL: write it as http://host:port.`, { cause });
      }
      dispatcher = new ProxyAgent({
        ...common,
        uri: parsed.href,
        proxyTls: { timeout: connectTimeoutMs },
        requestTls: { timeout: connectTimeoutMs },
        // The CONNECT to the proxy gets no abort signal from undici, so without its own timeout a silent
        // proxy holds the tunnel (and the process) for undici's default 300 s.
        clientFactory: (origin: URL, options: object) =>
          new Pool(origin, { ...options, headersTimeout: requestTimeoutMs, bodyTimeout: requestTimeoutMs }),
      });
    } else {
      dispatcher = new Agent(common);
    }
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

/**
 * Closes the shared keep-alive connections (tests, and processes that want to exit promptly).
 *
 * @example
 * ```ts
 * await closeConnections();
 * ```
 */
export async function closeConnections(): Promise<void> {
  const all = [...dispatchers.values()];
  dispatchers.clear();
  // destroy rather than close: close would wait for a request stuck behind a silent proxy.
  await Promise.all(all.map((dispatcher) => dispatcher.destroy().catch(() => undefined)));
}

/** A request ready to send. */
export interface HttpRequestToSend {
  /** The HTTP method. */
  method: string;
  /** The absolute URL. */
  url: string;
  /** The headers, as signed. */
  headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body. */
  body?: string | undefined;
}

/** A response, read whole (AWS JSON responses are small). */
export interface HttpResponse {
  /** The HTTP status. */
  status: number;
  /** The headers, names lower-cased. */
  headers: Record<string, string | string[]>;
  /** The body as text. */
  body: string;
  /** Milliseconds from sending to the last body byte. */
  durationMs: number;
  /** The proxy used, for the trace (without credentials). */
  via: string | undefined;
}

/** undici and socket error codes after which the request may be sent again. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'REQUEST_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'REQUEST_TIMEOUT']);

/** A network failure, classified: what kind, whether to retry, and the underlying code. */
export interface NetworkFailure {
  /** The error to report. */
  error: EcrError;
  /** Whether sending again may help. */
  retryable: boolean;
  /** The underlying error code (`ECONNRESET`, `UND_ERR_CONNECT_TIMEOUT`, ...). */
  code: string | undefined;
  /** Milliseconds until the failure. */
  durationMs?: number;
  /** The proxy used, for the trace. */
  via?: string | undefined;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function classifyNetworkError(cause: unknown, request: HttpRequestToSend, via: string | undefined, options: HttpOptions, timeouts: { connect: number; request: number }): NetworkFailure {
  const target = `${request.method} ${new URL(request.url).origin}${via ? ` via proxy ${via}` : ''}`;
  if (options.signal?.aborted) {
    return { error: new EcrError('ABORTED', `The request (${target}) was aborted by the caller.`, { cause }), retryable: false, code: 'ABORTED' };
  }
  const code = errorCode(cause);
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const which = code === 'UND_ERR_CONNECT_TIMEOUT' ? `connecting took longer than ${timeouts.connect} ms` : `no response within ${timeouts.request} ms`;
    return {
      error: new EcrError('TIMEOUT', `${target}: ${which} (${code}). Check the network path${via ? ' and the proxy' : ''}, or raise the timeout.`, { cause }),
      retryable: true,
      code,
    };
  }
  return {
    error: new EcrError('NETWORK_ERROR', `${target} failed: ${detail}${code ? ` (${code})` : ''}. Check the endpoint, DNS, proxy settings and network.`, { cause }),
    retryable: code !== undefined && RETRYABLE_NETWORK_CODES.has(code),
    code,
  };
}

/**
 * Sends one request and reads the whole response. Network failures become {@link EcrError}
 * (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`); HTTP error statuses are returned, not thrown.
 *
 * @example
 * ```ts
 * const response = await send({ method: 'GET', url: 'http://127.0.0.1:8080/', headers: {} }, { requestTimeoutMs: 1000 });
 * ```
 */
export async function send(request: HttpRequestToSend, options: HttpOptions = {}): Promise<HttpResponse> {
  const outcome = await sendOnce(request, options);
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

async function sendOnce(request: HttpRequestToSend, options: HttpOptions): Promise<HttpResponse | NetworkFailure> {
  const timeouts = {
    connect: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    request: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
  const url = new URL(request.url);
  const proxy = options.dispatcher ? undefined : proxyFor(url, options);
  const via = proxy === undefined ? undefined : displayProxy(proxy);
  const started = performance.now();
  // Our own timer for the whole exchange: undici's headers/body timeouts tick with a coarse (1 s) clock.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeouts.request);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  try {
    const dispatcher = options.dispatcher ?? dispatcherFor(proxy, timeouts.connect, timeouts.request);
    const pending = undiciRequest(url, {
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers as Record<string, string | string[]>,
      body: request.body ?? null,
      dispatcher,
      signal,
      headersTimeout: timeouts.request + 1_000,
      bodyTimeout: timeouts.request + 1_000,
    });
    // undici does not always honour the signal at once (a request waiting on a proxy tunnel waits for
    // the tunnel), so the deadline also wins a race; the loser's late rejection is dropped.
    pending.catch(() => undefined);
    const response = await Promise.race([pending, rejectOnAbort(signal)]);
    const body = await response.body.text();
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    return { status: response.statusCode, headers, body, durationMs: Math.round(performance.now() - started), via };
  } catch (cause) {
    if (cause instanceof EcrError) return { error: cause, retryable: false, code: cause.code };
    const timedOut = deadline.signal.aborted && !options.signal?.aborted;
    const failure = classifyNetworkError(timedOut ? Object.assign(new Error('request timed out'), { code: 'REQUEST_TIMEOUT', cause }) : cause, request, via, options, timeouts);
    return { ...failure, durationMs: Math.round(performance.now() - started), via };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Backoff settings, from the SDKs' standard retry mode (`@smithy/util-retry` constants).
 *
 * @example
 * ```ts
 * // One retry more than the SDKs' default:
 * await getAuthorizationToken({ region: 'us-east-1', maxAttempts: RETRY_DEFAULTS.maxAttempts + 1 });
 * ```
 */
export const RETRY_DEFAULTS = {
  /** Attempts in all, including the first. */
  maxAttempts: 3,
  /** The first backoff ceiling, doubled per attempt. */
  baseDelayMs: 100,
  /** The first ceiling after a throttling error: slower, since the service asked for it. */
  throttlingBaseDelayMs: 500,
  /** No wait is longer than this. */
  maxDelayMs: 20_000,
} as const;

/**
 * The wait before attempt `attempt + 1`: "full jitter" — a uniformly random time between zero and an
 * exponentially growing ceiling, so that many clients throttled together do not retry together
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 *
 * @example
 * ```ts
 * backoffDelay(2, { random: () => 0.5 }); // 0.5 * min(20000, 100 * 2**1) = 100
 * ```
 */
export function backoffDelay(attempt: number, options: { random?: () => number; throttling?: boolean } = {}): number {
  const base = options.throttling ? RETRY_DEFAULTS.throttlingBaseDelayMs : RETRY_DEFAULTS.baseDelayMs;
  const ceiling = Math.min(RETRY_DEFAULTS.maxDelayMs, base * 2 ** Math.max(0, attempt - 1));
  const random = options.random ?? Math.random;
  return Math.floor(random() * ceiling);
}

/**
 * The difference between AWS's clock and ours, per endpoint host, learnt from `Date` headers when a
 * service says our signature's time is off. Later requests to that host sign with the corrected time.
 *
 * @example
 * ```ts
 * const offsets = new ClockOffsets();
 * await getAuthorizationToken({ region: 'us-east-1', clockOffsets: offsets });
 * offsets.get('api.ecr.us-east-1.amazonaws.com'); // 0, or how far AWS's clock is ahead of ours (ms)
 * ```
 */
export class ClockOffsets {
  readonly #offsets = new Map<string, number>();

  /** Milliseconds to add to our clock for `host` (0 when unknown). */
  get(host: string): number {
    return this.#offsets.get(host) ?? 0;
  }

  /** Remembers the offset for `host`. */
  set(host: string, offsetMs: number): void {
    this.#offsets.set(host, offsetMs);
  }

  /** Forgets every offset. */
  clear(): void {
    this.#offsets.clear();
  }
}

/**
 * The offsets every call shares unless given its own.
 *
 * @example
 * ```ts
 * await getAuthorizationToken({ region: 'us-east-1' }); // learns the offset if AWS says our clock is off
 * defaultClockOffsets.get('api.ecr.us-east-1.amazonaws.com'); // ms to add to our clock for that host (0 if unknown)
 * ```
 */
export const defaultClockOffsets: ClockOffsets = new ClockOffsets();

/** What one attempt did, for the trace. */
export interface AttemptRecord {
  /** 1-based; a re-sign for clock skew keeps the number of the attempt it repeats. */
  attempt: number;
  /** The clock offset the request was signed with (ms). */
  clockOffsetMs: number;
  /** HTTP status, when a response came. */
  status?: number;
  /** The AWS request ID, when a response came. */
  requestId?: string | undefined;
  /** The AWS error code, or the network error code. */
  errorCode?: string | undefined;
  /** Milliseconds the exchange took. */
  durationMs: number;
  /** What happened next: done, retry after a wait, re-sign for skew, or give up. */
  outcome: 'success' | 'retry' | 'resign-for-clock-skew' | 'failed';
  /** The wait before the next attempt (ms), for `retry`. */
  delayMs?: number;
  /** The proxy used. */
  via?: string | undefined;
}

/** Inputs of {@link sendWithRetries}. */
export interface RetryOptions extends HttpOptions {
  /** Attempts in all, including the first. Default 3. */
  maxAttempts?: number | undefined;
  /** Random numbers in [0, 1) for jitter (tests pass a fixed one). */
  random?: (() => number) | undefined;
  /** How to wait (tests pass one that records instead of sleeping). */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** Our clock, epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Where skew corrections are remembered. Default: {@link defaultClockOffsets}. */
  clockOffsets?: ClockOffsets | undefined;
  /** Called after each attempt (for traces). */
  onAttempt?: ((record: AttemptRecord) => void) | undefined;
}

/** The final response (2xx) or the final error response, with what it took to get there. */
export interface RetryResult {
  /** The last response. */
  response: HttpResponse;
  /** Set when the response is an error. */
  error: ParsedServiceError | undefined;
  /** Attempts made (a skew re-sign not counted). */
  attempts: number;
  /** Whether the final error was of a retryable kind (attempts ran out). */
  retryable: boolean;
}

/**
 * Sends a request to `url` until it succeeds, fails for good, or runs out of attempts. `prepare(signingTime)` is
 * called before every attempt and must return the request signed at that time (epoch ms, already
 * corrected for clock skew). Retried: throttling and transient codes, 429/5xx, connection resets,
 * refused connections and timeouts. Never retried: authentication errors. When the service says the
 * signature's time is off, the request is re-signed once with the offset taken from the response's
 * `Date` header (not counted as an attempt), and the offset is remembered for the host.
 *
 * @example
 * ```ts
 * const { response, error } = await sendWithRetries(url, async (time) => signAt(time), { maxAttempts: 3 });
 * ```
 */
export async function sendWithRetries(
  url: string,
  prepare: (signingTimeMs: number) => Promise<HttpRequestToSend>,
  options: RetryOptions = {},
): Promise<RetryResult> {
  const maxAttempts = options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new EcrError('INVALID_CONFIGURATION', `maxAttempts must be a whole number from 1 to 20, not ${String(maxAttempts)}.`);
  }
  const now = options.now ?? Date.now;
  const offsets = options.clockOffsets ?? defaultClockOffsets;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
  // The offset is per endpoint host: each server has a clock of its own.
  const host = new URL(url).host;
  let resignedForSkew = false;
  let attempt = 1;
  let lastFailure: NetworkFailure | undefined;
  for (let round = 0; round < maxAttempts + 1; round++) {
    if (options.signal?.aborted) throw new EcrError('ABORTED', 'The request was aborted by the caller.', { cause: options.signal.reason });
    const offset = offsets.get(host);
    const request = await prepare(now() + offset);
    const outcome = await sendOnce(request, options);
    if ('error' in outcome) {
      lastFailure = outcome;
      const more = outcome.retryable && attempt < maxAttempts;
      const delayMs = more ? backoffDelay(attempt, { random: options.random ?? Math.random }) : undefined;
      options.onAttempt?.({
        attempt,
        clockOffsetMs: offset,
        errorCode: outcome.code,
        durationMs: outcome.durationMs ?? 0,
        outcome: more ? 'retry' : 'failed',
        via: outcome.via,
        ...(delayMs === undefined ? {} : { delayMs }),
      });
      if (!more) throw withAttempts(outcome.error, attempt);
      await wait(delayMs as number);
      attempt++;
      continue;
    }
    const response = outcome;
    if (response.status >= 200 && response.status < 300) {
      options.onAttempt?.({ attempt, clockOffsetMs: offset, status: response.status, requestId: requestIdOf(response), durationMs: response.durationMs, outcome: 'success', via: response.via });
      return { response, error: undefined, attempts: attempt, retryable: false };
    }
    const error = parseServiceError(response.status, response.headers, response.body);
    const serverDate = dateHeader(response);
    if (!resignedForSkew && isClockSkewError(error.code, error.message) && serverDate !== undefined) {
      resignedForSkew = true;
      const newOffset = serverDate - now();
      offsets.set(host, newOffset);
      options.onAttempt?.({ attempt, clockOffsetMs: offset, status: response.status, requestId: error.requestId, errorCode: error.code, durationMs: response.durationMs, outcome: 'resign-for-clock-skew', via: response.via });
      continue;
    }
    const retryable = isRetryableServiceError(error.code, response.status);
    const more = retryable && attempt < maxAttempts;
    const delayMs = more ? backoffDelay(attempt, { random: options.random ?? Math.random, throttling: isThrottlingError(error.code, response.status) }) : undefined;
    options.onAttempt?.({
      attempt,
      clockOffsetMs: offset,
      status: response.status,
      requestId: error.requestId,
      errorCode: error.code,
      durationMs: response.durationMs,
      outcome: more ? 'retry' : 'failed',
      via: response.via,
      ...(delayMs === undefined ? {} : { delayMs }),
    });
    if (!more) return { response, error, attempts: attempt, retryable };
    await wait(delayMs as number);
    attempt++;
  }
  // Unreachable in practice: every path above returns, throws or uses up one of the bounded rounds.
  throw lastFailure?.error ?? new EcrError('NETWORK_ERROR', 'The request could not be completed.');

  async function wait(ms: number): Promise<void> {
    try {
      await sleep(ms, options.signal);
    } catch (cause) {
      throw new EcrError('ABORTED', 'The request was aborted by the caller while waiting to retry.', { cause });
    }
  }
}

/** A promise that rejects when `signal` aborts (never resolves). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = (): void => reject(Object.assign(new Error('aborted'), { name: 'AbortError', cause: signal.reason }));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

function requestIdOf(response: HttpResponse): string | undefined {
  const value = response.headers['x-amzn-requestid'] ?? response.headers['x-amz-request-id'];
  return Array.isArray(value) ? value[0] : value;
}

/** The response's `Date` header as epoch ms, when it has a readable one. */
function dateHeader(response: HttpResponse): number | undefined {
  const value = response.headers['date'];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** The same error, saying how many attempts were made (when more than one). */
function withAttempts(error: EcrError, attempts: number): EcrError {
  if (attempts <= 1) return error;
  return new EcrError(error.code, `${error.message} (gave up after ${attempts} attempts)`, { cause: error.cause });
}
