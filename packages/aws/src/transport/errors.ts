/**
 * The transport's one error class. It knows nothing of the service it carries: callers (the ECR call,
 * the credential chain, `glassbox sign --send`) wrap it or let it through; the CLI maps it to exit 4
 * (network) or 2 (configuration) by `name` and `code`.
 */

/**
 * `NETWORK_ERROR`: no (complete) response — TLS, DNS, refused, reset, proxy; `TIMEOUT`: the connect or read
 * limit passed; `ABORTED`: the caller's signal; `INVALID_CONFIGURATION`: a setting (variable, profile key
 * or option, named in `setting`) is unusable; `INVALID_REQUEST`: the request cannot be sent as given (a URL that
 * is not http(s), a header value HTTP cannot carry); `RESPONSE_TOO_LARGE`: a success body over the caller's limit.
 */
export type TransportErrorCode =
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'INVALID_CONFIGURATION'
  | 'INVALID_REQUEST'
  | 'RESPONSE_TOO_LARGE';

/**
 * What went wrong on the wire, finer than the code: each kind has its own hint.
 * `untrusted-certificate`, `expired-certificate`, `hostname-mismatch`, `not-tls` (https to a plain-HTTP
 * port), `tls` (any other handshake failure), `dns`, `refused`, `unreachable`, `connect-timeout`,
 * `read-timeout`, `reset` (the connection closed before the response was whole), `proxy` (the proxy refused
 * the tunnel), `other`.
 */
export type NetworkFailureKind =
  | 'untrusted-certificate'
  | 'expired-certificate'
  | 'hostname-mismatch'
  | 'not-tls'
  | 'tls'
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'connect-timeout'
  | 'read-timeout'
  | 'reset'
  | 'proxy'
  | 'other';

/**
 * A transport failure. Match on `code`; `kind` and `hint` say which network failure and what to do.
 *
 * @example
 * ```ts
 * try {
 *   await exchange({ method: 'GET', url: 'https://127.0.0.1:8443/', headers: {} }, settings);
 * } catch (error) {
 *   if (error instanceof TransportError && error.kind === 'untrusted-certificate') console.error(error.hint);
 * }
 * ```
 */
export class TransportError extends Error {
  /** The stable code: see {@link TransportErrorCode}. */
  readonly code: TransportErrorCode;
  /** For network failures, which one. */
  readonly kind: NetworkFailureKind | undefined;
  /** What to do about it, in one sentence (also the end of `message`). */
  readonly hint: string | undefined;
  /** For `INVALID_CONFIGURATION`: the variable, profile key or option at fault (`AWS_MAX_ATTEMPTS`, `max_attempts`). */
  readonly setting: string | undefined;
  /** The underlying error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `UND_ERR_CONNECT_TIMEOUT`, …). */
  readonly causeCode: string | undefined;
  /** The proxy the request went through (without credentials), if any. */
  readonly via: string | undefined;

  constructor(
    code: TransportErrorCode,
    message: string,
    options: {
      cause?: unknown;
      kind?: NetworkFailureKind | undefined;
      hint?: string | undefined;
      setting?: string | undefined;
      causeCode?: string | undefined;
      via?: string | undefined;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportError';
    this.code = code;
    this.kind = options.kind;
    this.hint = options.hint;
    this.setting = options.setting;
    this.causeCode = options.causeCode;
    this.via = options.via;
  }
}

/** A configuration error naming the setting at fault. */
export function invalidSetting(setting: string, message: string, cause?: unknown): TransportError {
  return new TransportError('INVALID_CONFIGURATION', message, { setting, cause });
}
