/**
 * Errors the AWS service itself returned, read the way botocore reads JSON-protocol errors
 * (`botocore/parsers.py`, `BaseJSONParser._do_error_parse`), and classified the way the SDKs' standard
 * retry mode classifies them (`botocore/retries/standard.py`, `@smithy/service-error-classification`).
 */
import { redactDeep, redactSecrets } from '@glassbox/sigv4/redaction';

/**
 * Throttling codes: the service is healthy but wants us slower. Retried with a longer backoff base.
 * From botocore `retries/standard.py` (`_THROTTLED_ERROR_CODES`) and `@smithy/service-error-classification`.
 *
 * @example
 * ```ts
 * const { code } = parseServiceError(response.status, response.headers, text);
 * const baseDelayMs = THROTTLING_CODES.has(code) ? RETRY_DEFAULTS.throttlingBaseDelayMs : RETRY_DEFAULTS.baseDelayMs;
 * ```
 */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/**
 * Transient codes that are not throttling (botocore `_TRANSIENT_ERROR_CODES`).
 *
 * @example
 * ```ts
 * TRANSIENT_CODES.has('ServiceUnavailable'); // true: isRetryableServiceError() retries it whatever the status
 * ```
 */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServerException',
  'ServiceUnavailable',
]);

/**
 * Codes that mean "who you are or how you signed is wrong". Retrying cannot fix them (clock skew aside,
 * which is handled separately by re-signing once), so they are never retried, whatever the HTTP status.
 *
 * @example
 * ```ts
 * if (AUTH_CODES.has(code)) console.error(`${code}: check the credentials and the signature; retrying will not help`);
 * ```
 */
export const AUTH_CODES: ReadonlySet<string> = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'AccessDeniedException',
  'AccessDenied',
  'AuthFailure',
  'UnauthorizedOperation',
  'RequestExpired',
  'RequestTimeTooSkewed',
  'RequestInTheFuture',
]);

/** Codes some services use only for clock skew (JS v3 `CLOCK_SKEW_ERROR_CODES`). */
const SKEW_CODES: ReadonlySet<string> = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture']);

/**
 * Whether an error says our clock is off, rather than our key or signature being wrong. AWS JSON
 * services say so in the message of an `InvalidSignatureException` ("Signature expired: ... is now
 * earlier than ..." / "Signature not yet current: ..."); some services have dedicated codes.
 *
 * @example
 * ```ts
 * isClockSkewError('InvalidSignatureException', 'Signature expired: 20260101T000000Z is now earlier than ...'); // true
 * isClockSkewError('InvalidSignatureException', 'The request signature we calculated does not match ...');     // false
 * ```
 */
export function isClockSkewError(code: string, message: string): boolean {
  if (SKEW_CODES.has(code)) return true;
  if (code === 'InvalidSignatureException' || code === 'SignatureDoesNotMatch' || code === 'AuthFailure') {
    return /Signature expired|Signature not yet current|too skewed|clock skew/i.test(message);
  }
  return false;
}

/**
 * Whether a service error is worth another attempt: throttling and transient codes, HTTP 429 and 5xx —
 * but never an authentication or authorization code, whatever status it came with.
 *
 * @example
 * ```ts
 * isRetryableServiceError('ThrottlingException', 400); // true
 * isRetryableServiceError('AccessDeniedException', 500); // false
 * ```
 */
export function isRetryableServiceError(code: string, httpStatus: number): boolean {
  if (AUTH_CODES.has(code)) return false;
  if (THROTTLING_CODES.has(code) || TRANSIENT_CODES.has(code)) return true;
  return httpStatus === 429 || (httpStatus >= 500 && httpStatus <= 599);
}

/**
 * Whether a code is a throttling code (it gets the longer backoff base).
 *
 * @example
 * ```ts
 * isThrottlingError('ThrottlingException', 400); // true
 * ```
 */
export function isThrottlingError(code: string, httpStatus: number): boolean {
  return THROTTLING_CODES.has(code) || httpStatus === 429;
}

/** An error as read from a JSON-protocol response body and headers. */
export interface ParsedServiceError {
  /** The error code: `__type` after its last `#` and before any `:`; the HTTP status when there is none. */
  code: string;
  /** `message` or `Message`, or a description of the status. */
  message: string;
  /** The `x-amzn-RequestId` (or `x-amz-request-id`) header. */
  requestId: string | undefined;
}

/**
 * Reads an AWS JSON 1.1 error response. `__type` may be namespaced (`com.amazon.coral.service#ExpiredTokenException`)
 * or carry a suffix after `:` (an error URL in some services); the code is what lies between. When the body
 * is not JSON or has no `__type`, the HTTP status is the code, as botocore does.
 *
 * @example
 * ```ts
 * parseServiceError(400, { 'x-amzn-requestid': 'r-1' }, '{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"}');
 * // { code: 'ExpiredTokenException', message: 'The security token included in the request is expired', requestId: 'r-1' }
 * ```
 */
export function parseServiceError(
  httpStatus: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
): ParsedServiceError {
  const requestId = headerText(headers, 'x-amzn-requestid') ?? headerText(headers, 'x-amz-request-id');
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const type = typeof record['__type'] === 'string' ? record['__type'] : headerText(headers, 'x-amzn-errortype');
  const rawMessage =
    typeof record['message'] === 'string' ? record['message'] : typeof record['Message'] === 'string' ? record['Message'] : undefined;
  let code = String(httpStatus);
  if (type !== undefined && type !== '') {
    const afterHash = type.slice(type.lastIndexOf('#') + 1);
    const colon = afterHash.indexOf(':');
    code = colon === -1 ? afterHash : afterHash.slice(0, colon);
  }
  const message =
    rawMessage ?? (body.trim() !== '' && parsed === undefined ? `HTTP ${httpStatus}: ${body.trim().slice(0, 200)}` : `HTTP ${httpStatus}`);
  return { code, message, requestId };
}

function headerText(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

/** Constructor input of `AwsServiceError`. */
export interface AwsServiceErrorInit {
  /** The AWS error code. */
  code: string;
  /** The message AWS sent. */
  message: string;
  /** The HTTP status. */
  httpStatus: number;
  /** The `x-amzn-RequestId`. */
  requestId?: string | undefined;
  /** Whether the code is of a retryable kind. */
  retryable: boolean;
  /** Attempts made. */
  attempts: number;
  /** The signing name, `ecr` or `ecr-public`. */
  service: string;
  /** The operation name. */
  operation: string;
  /** What to do about it; appended to the message. */
  hint?: string | undefined;
  /** A @glassbox/sigv4 diagnosis of a signature mismatch. */
  diagnosis?: unknown;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * An error the AWS service returned (as opposed to `AwsError`, which is ours). Switch on `code`,
 * the AWS error code (`AccessDeniedException`, `ExpiredTokenException`, ...). The message reads like the
 * AWS CLI's ("An error occurred (X) when calling the Y operation: ...") followed by what to do.
 *
 * @example
 * ```ts
 * try {
 *   await getAuthorizationToken({ region: 'us-east-1' });
 * } catch (error) {
 *   if (error instanceof AwsServiceError && error.code === 'ExpiredTokenException') console.error('log in again');
 * }
 * ```
 */
export class AwsServiceError extends Error {
  /** The AWS error code, e.g. `InvalidSignatureException`. */
  readonly code: string;
  /** The HTTP status of the final attempt. */
  readonly httpStatus: number;
  /** The request ID AWS gave (quote it to AWS Support). */
  readonly requestId: string | undefined;
  /** Whether the error is of a retryable kind (it may still be final because attempts ran out). */
  readonly retryable: boolean;
  /** How many attempts were made. */
  readonly attempts: number;
  /** The signing name of the service, `ecr` or `ecr-public`. */
  readonly service: string;
  /** The operation, e.g. `GetAuthorizationToken`. */
  readonly operation: string;
  /** The message AWS sent, without our prefix and hint. */
  readonly serviceMessage: string;
  /** For signature mismatches: how our canonical request differs from the one AWS computed. */
  readonly diagnosis: unknown;

  constructor(init: AwsServiceErrorInit) {
    const retries = init.attempts > 1 ? ` (reached max retries: ${init.attempts - 1})` : '';
    // The message is the service's text: it passes the one redaction (it may echo the session token).
    super(
      redactSecrets(
        `An error occurred (${init.code}) when calling the ${init.operation} operation${retries}: ${init.message}` +
          (init.hint ? `\n${init.hint}` : ''),
      ),
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'AwsServiceError';
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.attempts = init.attempts;
    this.service = init.service;
    this.operation = init.operation;
    this.serviceMessage = redactSecrets(init.message);
    this.diagnosis = redactDeep(init.diagnosis);
  }
}

/**
 * One line on the likely cause of a service error and what to do about it.
 *
 * @example
 * ```ts
 * hintFor('ExpiredTokenException', 'ecr'); // 'Your temporary credentials have expired: ...'
 * ```
 */
export function hintFor(code: string, service: string, message = ''): string | undefined {
  switch (code) {
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return 'AWS does not know this access key ID (in this partition), or the session token does not belong to it: check which credentials were used (--trace shows the source) and that a temporary key comes with its session token.';
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      if (isClockSkewError(code, message)) return 'Your clock differs from AWS’s by more than 5 minutes: fix the system time (NTP).';
      if (/scoped to correct service|scoped to a valid region/i.test(message))
        return 'The credential scope names the wrong service or region for this endpoint: check the region and endpoint.';
      return 'The secret access key does not match the access key ID, or the request changed after it was signed (a proxy rewriting headers): check the secret; the diagnosis shows the first difference.';
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return 'Your temporary credentials have expired: refresh them (aws sso login, assume the role again, or restart the process that provides them).';
    case 'AccessDeniedException':
    case 'AccessDenied':
      return `The identity is not allowed to call ${service}:GetAuthorizationToken: grant it on Resource "*"${service === 'ecr-public' ? ' together with sts:GetServiceBearerToken' : ''}, and check for an explicit deny.`;
    case 'MissingAuthenticationTokenException':
    case 'MissingAuthenticationToken':
    case 'IncompleteSignatureException':
      return 'The request was not (completely) signed: this is a bug or a proxy stripping the Authorization header.';
    case 'UnsupportedCommandException':
      return 'ECR Public answers only in us-east-1: use that region.';
    default:
      if (THROTTLING_CODES.has(code))
        return 'AWS is throttling these calls: cache the token (it is valid for hours) instead of asking for a new one each time.';
      return undefined;
  }
}
