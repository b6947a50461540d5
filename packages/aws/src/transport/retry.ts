/**
 * The retry loop around {@link exchange}: exponential backoff with full jitter (the SDKs' standard mode),
 * `Retry-After` honoured up to a cap, and one re-send on clock skew. Signing stays outside: the loop asks
 * the caller for a freshly prepared request before every attempt, because a retried request needs a new
 * `X-Amz-Date`, and a skew-corrected one a shifted clock. Which error responses are worth another attempt
 * is the caller's to say (it knows the service's error format); the default reads only the status.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { TransportError } from './errors.ts';
import { exchange, type ExchangeOptions, type TransportRequest, type TransportResponse } from './exchange.ts';
import type { TransportSettings } from './settings.ts';

/**
 * Backoff settings, from the SDKs' standard retry mode (`@smithy/util-retry` constants), and the cap on a
 * server's `Retry-After`.
 *
 * @example
 * ```ts
 * RETRY_DEFAULTS.maxRetryAfterMs; // 20000: a Retry-After of 5 s is waited; of an hour, 20 s
 * ```
 */
export const RETRY_DEFAULTS = {
  /** Attempts in all, including the first. */
  maxAttempts: 3,
  /** The first backoff ceiling, doubled per attempt. */
  baseDelayMs: 100,
  /** The first ceiling after a throttling error: slower, since the service asked for it. */
  throttlingBaseDelayMs: 500,
  /** No backoff is longer than this. */
  maxDelayMs: 20_000,
  /**
   * The longest `Retry-After` waited: the same 20 s as the backoff's ceiling, so that no server can hold a
   * credential helper (and the `docker pull` behind it) for longer than a backoff could.
   */
  maxRetryAfterMs: 20_000,
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

function first(headers: TransportResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait a response's `Retry-After` asks for (RFC 9110 §10.2.3: whole seconds, or an HTTP date), in ms,
 * capped at {@link RETRY_DEFAULTS}`.maxRetryAfterMs`; undefined when absent or unreadable.
 *
 * @example
 * ```ts
 * retryAfterMs({ 'retry-after': '2' }); // 2000
 * retryAfterMs({ 'retry-after': '86400' }); // 20000 (the cap)
 * ```
 */
export function retryAfterMs(headers: TransportResponse['headers'], now: number = Date.now()): number | undefined {
  const text = first(headers, 'retry-after')?.trim();
  if (text === undefined || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(0, ms), RETRY_DEFAULTS.maxRetryAfterMs);
}

/**
 * The difference between a server's clock and ours, per endpoint host, learnt from `Date` headers when a
 * service says our signature's time is off. Later requests to that host sign with the corrected time.
 *
 * @example
 * ```ts
 * const offsets = new ClockOffsets();
 * offsets.set('api.ecr.us-east-1.amazonaws.com', 120_000);
 * offsets.get('api.ecr.us-east-1.amazonaws.com'); // 120000: AWS's clock is two minutes ahead of ours
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
 * defaultClockOffsets.get('api.ecr.us-east-1.amazonaws.com'); // ms to add to our clock for that host (0 if unknown)
 * ```
 */
export const defaultClockOffsets: ClockOffsets = new ClockOffsets();

/** What the caller makes of an error response. */
export interface ResponseVerdict {
  /** The service's error code, if it has one (for the trace). */
  code?: string | undefined;
  /** The request ID, if the response has one. */
  requestId?: string | undefined;
  /** Whether sending again may help (throttling, transient errors, 5xx). Never for authentication errors. */
  retryable: boolean;
  /** Whether the service asked us to slow down (a longer backoff). */
  throttling?: boolean | undefined;
  /** Whether the service says the signature's time is off (re-sign once with its `Date`). */
  clockSkew?: boolean | undefined;
}

/**
 * The default verdict, from the status alone: 429 and 5xx (except 501) are worth another attempt.
 *
 * @example
 * ```ts
 * statusVerdict({ status: 503, headers: {} }).retryable; // true
 * ```
 */
export function statusVerdict(response: Pick<TransportResponse, 'status' | 'headers'>): ResponseVerdict {
  const requestId = first(response.headers, 'x-amzn-requestid') ?? first(response.headers, 'x-amz-request-id');
  return {
    retryable: response.status === 429 || (response.status >= 500 && response.status !== 501),
    throttling: response.status === 429,
    requestId,
  };
}

/** What one attempt did, for the trace. */
export interface AttemptRecord {
  /** 1-based; a re-sign for clock skew keeps the number of the attempt it repeats. */
  attempt: number;
  /** The clock offset the request was signed with (ms). */
  clockOffsetMs: number;
  /** HTTP status, when a response came. */
  status?: number;
  /** The request ID, when a response came. */
  requestId?: string | undefined;
  /** The service's error code, or the network error code. */
  errorCode?: string | undefined;
  /** Milliseconds the exchange took. */
  durationMs: number;
  /** What happened next: done, retry after a wait, re-sign for skew, or give up. */
  outcome: 'success' | 'retry' | 'resign-for-clock-skew' | 'failed';
  /** The wait before the next attempt (ms), for `retry`. */
  delayMs?: number;
  /** The capped `Retry-After` the response asked for (ms), when it had one. */
  retryAfterMs?: number;
  /** The proxy used. */
  via?: string | undefined;
}

/** Inputs of {@link sendWithRetries}. */
export interface RetryLoopOptions {
  /** The transport settings: attempts, timeouts, proxy, CA. */
  settings: TransportSettings;
  /** Per-exchange choices (limits, direct, closeAfter, a dispatcher). */
  exchange?: ExchangeOptions | undefined;
  /** What an error response means. Default {@link statusVerdict}. */
  classify?: ((response: TransportResponse) => ResponseVerdict) | undefined;
  /** Re-sign once when the verdict says the clock is off. Default true (a request signed once, as `glassbox sign --send` sends it, passes false). */
  resignOnClockSkew?: boolean | undefined;
  /** Cancels the exchange and any backoff wait. */
  signal?: AbortSignal | undefined;
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
export interface RetryOutcome {
  /** The last response. */
  response: TransportResponse;
  /** The verdict on it, when it is an error response. */
  verdict: ResponseVerdict | undefined;
  /** Attempts made (a skew re-sign not counted). */
  attempts: number;
}

/**
 * Sends until the response is a success, a final error, or the attempts (`settings.maxAttempts`) run
 * out. `prepare(signingTimeMs)` is called before every attempt and returns the request to send (signed at
 * that time, already corrected for clock skew). Retried: what the verdict calls retryable, resets,
 * refused connections, timeouts. The wait is the backoff, or the server's `Retry-After` when longer (up
 * to its cap). Network failures that outlast the attempts throw their {@link TransportError}.
 *
 * @example
 * ```ts
 * const { response } = await sendWithRetries(url, async (time) => signAt(time), { settings });
 * ```
 */
export async function sendWithRetries(
  url: string,
  prepare: (signingTimeMs: number) => Promise<TransportRequest>,
  options: RetryLoopOptions,
): Promise<RetryOutcome> {
  const { settings } = options;
  const maxAttempts = settings.maxAttempts;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const offsets = options.clockOffsets ?? defaultClockOffsets;
  const classify = options.classify ?? statusVerdict;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
  const exchangeOptions: ExchangeOptions = { ...options.exchange, signal: options.signal };
  // The offset is per endpoint host: each server has a clock of its own.
  const host = new URL(url).host;
  let resignedForSkew = options.resignOnClockSkew === false;
  let attempt = 1;
  for (;;) {
    if (options.signal?.aborted)
      throw new TransportError('ABORTED', 'The request was aborted by the caller.', { cause: options.signal.reason });
    const offset = offsets.get(host);
    const request = await prepare(now() + offset);
    let response: TransportResponse;
    const started = performance.now();
    try {
      response = await exchange(request, settings, exchangeOptions);
    } catch (error) {
      const failure = error instanceof TransportError ? error : new TransportError('NETWORK_ERROR', String(error), { cause: error });
      const retryable = (failure.code === 'NETWORK_ERROR' || failure.code === 'TIMEOUT') && isRetryableKind(failure);
      const more = retryable && attempt < maxAttempts;
      const delayMs = more ? backoffDelay(attempt, { random }) : undefined;
      options.onAttempt?.({
        attempt,
        clockOffsetMs: offset,
        errorCode: failure.causeCode ?? failure.code,
        durationMs: Math.round(performance.now() - started),
        via: failure.via,
        outcome: more ? 'retry' : 'failed',
        ...(delayMs === undefined ? {} : { delayMs }),
      });
      if (!more) throw withAttempts(failure, attempt);
      await wait(delayMs as number);
      attempt++;
      continue;
    }
    const base = { attempt, clockOffsetMs: offset, status: response.status, durationMs: response.durationMs, via: response.via };
    if (response.status >= 200 && response.status < 300) {
      options.onAttempt?.({ ...base, requestId: statusVerdict(response).requestId, outcome: 'success' });
      return { response, verdict: undefined, attempts: attempt };
    }
    const verdict = classify(response);
    const serverDate = Date.parse(first(response.headers, 'date') ?? '');
    if (!resignedForSkew && verdict.clockSkew && !Number.isNaN(serverDate)) {
      resignedForSkew = true;
      offsets.set(host, serverDate - now());
      options.onAttempt?.({ ...base, requestId: verdict.requestId, errorCode: verdict.code, outcome: 'resign-for-clock-skew' });
      continue;
    }
    const more = verdict.retryable && attempt < maxAttempts;
    const asked = retryAfterMs(response.headers, now());
    const delayMs = more ? Math.max(backoffDelay(attempt, { random, throttling: verdict.throttling === true }), asked ?? 0) : undefined;
    options.onAttempt?.({
      ...base,
      requestId: verdict.requestId,
      errorCode: verdict.code,
      outcome: more ? 'retry' : 'failed',
      ...(delayMs === undefined ? {} : { delayMs }),
      ...(asked === undefined ? {} : { retryAfterMs: asked }),
    });
    if (!more) return { response, verdict, attempts: attempt };
    await wait(delayMs as number);
    attempt++;
  }

  async function wait(ms: number): Promise<void> {
    try {
      await sleep(ms, options.signal);
    } catch (cause) {
      throw new TransportError('ABORTED', 'The request was aborted by the caller while waiting to retry.', { cause });
    }
  }
}

/** Failures after which the same request may succeed: not TLS or configuration problems, not a name that does not exist. */
function isRetryableKind(error: TransportError): boolean {
  switch (error.kind) {
    case 'refused':
    case 'reset':
    case 'unreachable':
    case 'connect-timeout':
    case 'read-timeout':
      return true;
    case 'dns':
      return error.causeCode === 'EAI_AGAIN';
    case 'proxy':
      return /^PROXY_HTTP_50[234]$/.test(error.causeCode ?? '');
    default:
      return false;
  }
}

/** The same error, saying how many attempts were made (when more than one). */
function withAttempts(error: TransportError, attempts: number): TransportError {
  if (attempts <= 1) return error;
  return new TransportError(error.code, `${error.message} (gave up after ${attempts} attempts)`, {
    cause: error.cause,
    kind: error.kind,
    hint: error.hint,
    setting: error.setting,
    causeCode: error.causeCode,
    via: error.via,
  });
}
