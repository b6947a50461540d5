/**
 * The AWS side of the shared transport (`./transport/`): its failures as `AwsError`s with the codes
 * this package has always used, AWS JSON error responses read with `parseServiceError` to decide what is
 * worth another attempt, bodies as text, and the `user-agent`. The exchange, proxies, CA bundle, timeouts,
 * retries and the settings the AWS CLI reads all live in the transport; nothing is repeated here.
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import {
  isClockSkewError,
  isRetryableServiceError,
  isThrottlingError,
  parseServiceError,
  type ParsedServiceError,
} from './aws-service-error.ts';
import { getProfile, loadSharedConfig, selectProfile } from './credentials/shared-files.ts';
import type { Environment } from './regions.ts';
import { AwsError, type AwsErrorCode } from './errors.ts';
import { xmlElementText } from './xml.ts';
import {
  exchange,
  resolveTransportSettings,
  sendWithRetries as sendWithTransportRetries,
  transportSettingsSync,
  TransportError,
  TRANSPORT_DEFAULTS,
  type ResponseVerdict,
  type RetryLoopOptions,
  type TransportResponse,
  type TransportSettings,
  type TransportSettingsInput,
} from './transport/index.ts';

export {
  backoffDelay,
  ClockOffsets,
  closeConnections,
  defaultClockOffsets,
  displayProxy,
  proxyFor,
  RETRY_DEFAULTS,
} from './transport/index.ts';
export type { AttemptRecord } from './transport/index.ts';

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The version of @glassbox/aws (the Glassbox packages share one version), as sent in the `user-agent`.
 *
 * @example
 * ```ts
 * console.log(`@glassbox/aws ${VERSION}`); // the same version userAgent() sends
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
export const DEFAULT_CONNECT_TIMEOUT_MS: number = TRANSPORT_DEFAULTS.connectTimeoutMs;
/**
 * Read timeout, in ms: the wait for the response to start, and then between two pieces of the body (the
 * AWS CLI's read timeout is 60 s).
 *
 * @example
 * ```ts
 * // Match the AWS CLI's 60 s read timeout instead of ours:
 * await getAuthorizationToken({ region: 'us-east-1', requestTimeoutMs: 2 * DEFAULT_REQUEST_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_REQUEST_TIMEOUT_MS: number = TRANSPORT_DEFAULTS.readTimeoutMs;

/** How to reach the network. */
export interface HttpOptions {
  /** Resolved transport settings (see {@link loadTransportSettings}); when given, the four options below are not read. */
  settings?: TransportSettings | undefined;
  /** Milliseconds to establish the TCP (and TLS, and proxy tunnel) connection; 0 waits for ever. Default 10 000. */
  connectTimeoutMs?: number | undefined;
  /** Milliseconds to wait for the response to start, and then between body chunks; 0 waits for ever. Default 30 000. */
  requestTimeoutMs?: number | undefined;
  /** The environment holding `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (either case). Default: none. */
  env?: Environment | undefined;
  /** A proxy URL to use instead of the environment's, or `false` for none. */
  proxy?: string | false | undefined;
  /** An undici dispatcher to use as is (the proxy, CA and connect-timeout settings are then yours). */
  dispatcher?: Dispatcher | undefined;
  /** Cancels the exchange (and any backoff wait). */
  signal?: AbortSignal | undefined;
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
  body?: string | Uint8Array | undefined;
}

/** A response, read whole (AWS JSON responses are small; error bodies are read up to 1 MiB). */
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

/** The largest success body this package reads: every AWS JSON or XML answer it asks for is a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;

const CODES: Record<TransportError['code'], AwsErrorCode> = {
  NETWORK_ERROR: 'NETWORK_ERROR',
  TIMEOUT: 'TIMEOUT',
  ABORTED: 'ABORTED',
  INVALID_CONFIGURATION: 'INVALID_CONFIGURATION',
  INVALID_REQUEST: 'INVALID_CONFIGURATION',
  RESPONSE_TOO_LARGE: 'INVALID_RESPONSE',
};

/**
 * A transport failure as this package reports it: the same message, the `AwsError` code callers
 * switch on, the {@link TransportError} (with its `kind`, `hint` and `setting`) as `cause`.
 *
 * @example
 * ```ts
 * try { await exchange(request, settings); } catch (error) { throw asEcrError(error); }
 * ```
 */
export function asEcrError(error: unknown): unknown {
  if (!(error instanceof TransportError)) return error;
  return new AwsError(CODES[error.code], error.message, { cause: error });
}

function settingsOf(options: HttpOptions): TransportSettings {
  if (options.settings !== undefined) return options.settings;
  try {
    return transportSettingsSync({
      env: options.env ?? {},
      proxy: options.proxy,
      connectTimeoutMs: options.connectTimeoutMs,
      readTimeoutMs: options.requestTimeoutMs,
    });
  } catch (error) {
    throw asEcrError(error);
  }
}

function textResponse(response: TransportResponse): HttpResponse {
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(response.body).toString('utf8'),
    durationMs: response.durationMs,
    via: response.via,
  };
}

/**
 * The transport settings for a call, as the AWS CLI finds them: the options given, then `AWS_MAX_ATTEMPTS`,
 * `AWS_RETRY_MODE`, `AWS_CA_BUNDLE`, then the selected profile's `max_attempts`, `retry_mode`,
 * `ca_bundle` (from the shared files, read with the credential chain's reader). Bad values are
 * `INVALID_CONFIGURATION` errors naming the variable or key.
 *
 * @example
 * ```ts
 * const settings = await loadTransportSettings({ env: process.env, profile: 'dev' });
 * settings.maxAttempts; // AWS_MAX_ATTEMPTS, else max_attempts in [profile dev], else 3
 * ```
 */
export async function loadTransportSettings(
  options: Omit<TransportSettingsInput, 'profile'> & { env: Environment; homedir?: string | undefined; profile?: string | undefined },
): Promise<TransportSettings> {
  const { homedir, profile: explicit, ...input } = options;
  const config = await loadSharedConfig({ env: options.env, homedir });
  const selected = selectProfile(options.env, explicit);
  const profile = getProfile(config, selected.name);
  try {
    return await resolveTransportSettings({
      ...input,
      ...(profile === undefined ? {} : { profile: { name: profile.name, values: profile.values } }),
    });
  } catch (error) {
    throw asEcrError(error);
  }
}

/**
 * Sends one request and reads the whole response. Network failures become `AwsError`
 * (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`) whose message ends with what to do; HTTP error statuses are
 * returned, not thrown.
 *
 * @example
 * ```ts
 * const response = await send({ method: 'GET', url: 'http://127.0.0.1:8080/', headers: {} }, { requestTimeoutMs: 1000 });
 * ```
 */
export async function send(request: HttpRequestToSend, options: HttpOptions = {}): Promise<HttpResponse> {
  try {
    return textResponse(
      await exchange(request, settingsOf(options), {
        signal: options.signal,
        dispatcher: options.dispatcher,
        maxBodyBytes: MAX_BODY_BYTES,
      }),
    );
  } catch (error) {
    throw asEcrError(error);
  }
}

/** An XML `<Code>` as an error code: one line of 1 to 200 characters (a longer one is not a code). */
function boundedCode(code: string | undefined): string | undefined {
  return code !== undefined && code.length >= 1 && code.length <= 200 && !code.includes('<') ? code : undefined;
}

/** A verdict on an AWS error response, with the error as read. */
export interface AwsVerdict extends ResponseVerdict {
  /** The code, message and request ID read from the body and headers. */
  error: ParsedServiceError;
}

/**
 * What an AWS error response means for a retry: its code from the JSON `__type`, the `x-amzn-ErrorType`
 * header or an XML `<Code>` (STS), then the SDKs' rules (auth errors never, throttling slower, 5xx yes).
 *
 * @example
 * ```ts
 * awsVerdict({ status: 400, headers: {}, body: new TextEncoder().encode('{"__type":"ThrottlingException"}') }).throttling; // true
 * ```
 */
export function awsVerdict(response: Pick<TransportResponse, 'status' | 'headers' | 'body'>): AwsVerdict {
  const text = Buffer.from(response.body).toString('utf8');
  const parsed = parseServiceError(response.status, response.headers, text);
  const xmlCode = parsed.code === String(response.status) ? boundedCode(xmlElementText(text, 'Code')) : undefined;
  const error = xmlCode === undefined ? parsed : { ...parsed, code: xmlCode };
  return {
    error,
    code: error.code,
    requestId: error.requestId,
    retryable: isRetryableServiceError(error.code, response.status),
    throttling: isThrottlingError(error.code, response.status),
    clockSkew: isClockSkewError(error.code, error.message),
  };
}

/** Inputs of {@link sendWithRetries}. */
export interface RetryOptions extends HttpOptions, Pick<RetryLoopOptions, 'random' | 'sleep' | 'now' | 'clockOffsets' | 'onAttempt'> {
  /** Attempts in all, including the first. Default 3 (or the settings'). */
  maxAttempts?: number | undefined;
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
 * Sends a request to `url` until it succeeds, fails for good, or runs out of attempts, through the shared
 * transport's retry loop. `prepare(signingTime)` is called before every attempt and must return the
 * request signed at that time (epoch ms, already corrected for clock skew). Retried: throttling and
 * transient codes, 429/5xx, connection resets, refused connections and timeouts, after the backoff or the
 * server's `Retry-After` (up to 20 s). Never retried: authentication errors. When the service says the
 * signature's time is off, the request is re-signed once with the offset from the response's `Date`.
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
  let settings = settingsOf(options);
  if (options.maxAttempts !== undefined) {
    const checked = transportSettingsWithAttempts(options.maxAttempts);
    settings = { ...settings, maxAttempts: checked };
  }
  try {
    const outcome = await sendWithTransportRetries(url, prepare, {
      settings,
      exchange: { dispatcher: options.dispatcher, maxBodyBytes: MAX_BODY_BYTES },
      classify: awsVerdict,
      signal: options.signal,
      random: options.random,
      sleep: options.sleep,
      now: options.now,
      clockOffsets: options.clockOffsets,
      onAttempt: options.onAttempt,
    });
    const verdict = outcome.verdict === undefined ? undefined : awsVerdict(outcome.response);
    return {
      response: textResponse(outcome.response),
      error: verdict?.error,
      attempts: outcome.attempts,
      retryable: verdict?.retryable ?? false,
    };
  } catch (error) {
    throw asEcrError(error);
  }
}

function transportSettingsWithAttempts(maxAttempts: number): number {
  try {
    return transportSettingsSync({ env: {}, maxAttempts }).maxAttempts;
  } catch (error) {
    throw asEcrError(error);
  }
}
