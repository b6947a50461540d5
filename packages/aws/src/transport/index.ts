/**
 * The transport every outgoing call shares — `glassbox sign --send`, ECR `GetAuthorizationToken`, STS, the
 * SSO portal, the container endpoint and IMDS: one HTTP exchange (over node:http, or undici through a
 * proxy) with the AWS CLI's settings (`HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, `AWS_CA_BUNDLE` /
 * `ca_bundle`, `AWS_MAX_ATTEMPTS` / `max_attempts`, `AWS_RETRY_MODE` / `retry_mode`, connect and read
 * timeouts), the retry loop, and network failures classified into errors that say what to do.
 *
 * Self-contained on purpose: nothing here knows ECR, signing or the credential chain, so the folder can
 * become a package of its own (`@glassbox/aws`) by moving it.
 *
 * | file | holds |
 * |---|---|
 * | `settings.ts` | the settings, their precedence (option, variable, profile key, default) and their checks |
 * | `proxy.ts` | which proxy a URL goes through |
 * | `exchange.ts` | one exchange: timeouts, bytes, bounded error bodies, kept-alive connections |
 * | `failure.ts` | a failure's kind and hint (TLS, DNS, refused, timeouts, reset, proxy) |
 * | `retry.ts` | backoff with full jitter, `Retry-After` up to a cap, one re-sign on clock skew |
 * | `errors.ts` | `TransportError` |
 *
 * @example
 * ```ts
 * const settings = await resolveTransportSettings({ env: process.env });
 * try {
 *   const { response } = await sendWithRetries(url, async () => request, { settings });
 * } finally {
 *   await closeConnections();
 * }
 * ```
 * @module
 */
export { TransportError } from './errors.ts';
export type { NetworkFailureKind, TransportErrorCode } from './errors.ts';
export { resolveTransportSettings, transportSettingsSync, TRANSPORT_DEFAULTS } from './settings.ts';
export type { CaBundle, ProfileKeys, RetryMode, TransportSettings, TransportSettingsInput } from './settings.ts';
export { displayProxy, proxyFor } from './proxy.ts';
export type { Environment } from './proxy.ts';
export { closeConnections, exchange, MAX_ERROR_BODY_BYTES } from './exchange.ts';
export type { ExchangeOptions, TransportRequest, TransportResponse, TruncatedBody } from './exchange.ts';
export { classifyFailure } from './failure.ts';
export type { FailureTarget, NetworkFailure } from './failure.ts';
export { backoffDelay, ClockOffsets, defaultClockOffsets, retryAfterMs, RETRY_DEFAULTS, sendWithRetries, statusVerdict } from './retry.ts';
export type { AttemptRecord, ResponseVerdict, RetryLoopOptions, RetryOutcome } from './retry.ts';
