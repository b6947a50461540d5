import { isSignedHeadersList, readAuthorizationHeader } from './authorization-header.ts';
import type { HeaderEntry } from './canonical-headers.ts';
import { queryParameters } from './canonical-query.ts';
import {
  ALGORITHM,
  AMZ_CONTENT_SHA256,
  AUTHORITY,
  AMZ_DATE,
  AUTHORIZATION,
  HOST,
  MAX_PRESIGN_SECONDS,
  QUERY,
  SCOPE_TERMINATOR,
  UNSIGNED_PAYLOAD,
} from './constants.ts';
import { toAmzDate } from './amz-date.ts';
import { SigV4Error } from './errors.ts';
import type { Sha256Constructor } from './hash-js.ts';
import type { Sha256 } from './hash.ts';
import { payloadHash, payloadHashSync } from './payload-hash.ts';
import { headerValue, hostFor, readRequest, type RequestParts, type SdkHttpRequest } from './request.ts';
import { computeSignature, type SignatureSteps } from './sign.ts';
import type { TraceStepId } from './trace.ts';
import type { HttpRequest } from './types.ts';
import { uriDecodeText } from './uri-encode.ts';
import { assertRegion, assertService, hashFrom } from './validate.ts';

/** Options of {@link verify}: how to find a secret, and what the server's clock and scope are. */
export interface VerifyOptions {
  /** Returns the secret access key for an access key ID, or undefined when the key is unknown. */
  credentials: (accessKeyId: string) => string | undefined | Promise<string | undefined>;
  /** The server's clock. Default: now. */
  now?: Date | number | undefined;
  /** How far the request time may be from `now` (header auth), as AWS allows: 300 seconds by default. */
  maxSkewSeconds?: number | undefined;
  /** The region this server answers for; a scope naming another is rejected. */
  region?: string | undefined;
  /** The service signing name this server answers for; a scope naming another is rejected. */
  service?: string | undefined;
  /** Canonical URI switches, as for signing (S3: both false). */
  doubleEncode?: boolean | undefined;
  /** Resolve `.`/`..` and collapse `//` before comparing (S3: false). */
  normalizePath?: boolean | undefined;
  /**
   * Whether this service signs the session token (default true). False, as for IoT, leaves an
   * `X-Amz-Security-Token` query parameter out of the recomputed canonical query string: the
   * client appended it after signing (`presign(..., { signSessionToken: false })`).
   */
  signSessionToken?: boolean | undefined;
  /** SHA-256 implementation, as for signing. */
  sha256?: Sha256Constructor | Sha256 | undefined;
}

/** Why a signature was rejected. */
export type VerifyFailureReason =
  | 'MISSING_AUTHORIZATION'
  | 'MALFORMED_AUTHORIZATION'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNKNOWN_ACCESS_KEY'
  | 'MISSING_DATE'
  | 'DATE_MISMATCH'
  | 'SCOPE_MISMATCH'
  | 'CLOCK_SKEW'
  | 'EXPIRED'
  | 'HOST_NOT_SIGNED'
  | 'SIGNED_HEADER_MISSING'
  | 'PAYLOAD_HASH_MISMATCH'
  | 'SIGNATURE_MISMATCH';

/** A signature that checks out, with what the server recomputed. */
export interface VerifySuccess {
  /** The signature checks out. */
  ok: true;
  /** The access key ID that signed. */
  accessKeyId: string;
  /** The scope the signature claims, `date/region/service/aws4_request`. */
  credentialScope: string;
  /** The region of the scope. */
  region: string;
  /** The service of the scope. */
  service: string;
  /** The signing time, `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** The signed header names, as the request listed them. */
  signedHeaders: string;
  /** The canonical request the server recomputed. */
  canonicalRequest: string;
  /** The string to sign the server recomputed. */
  stringToSign: string;
}

/** A rejected signature: why, at which step, and the expected and actual values there. */
export interface VerifyFailure {
  /** The signature was rejected. */
  ok: false;
  /** A stable code for the cause. */
  reason: VerifyFailureReason;
  /** What went wrong, in the words AWS uses where it has some. */
  message: string;
  /** The first step of the algorithm at which the request and the server part ways. */
  firstDifferentStep: TraceStepId;
  /** What the server expected at that step, when it can be shown. */
  expected?: string | undefined;
  /** What the request had at that step, when it can be shown. */
  actual?: string | undefined;
  /** The canonical request and string to sign the server computed, once it got that far. */
  canonicalRequest?: string | undefined;
  /** The string to sign the server computed, once it got that far. */
  stringToSign?: string | undefined;
}

/** What {@link verify} returns. */
export type VerifyResult = VerifySuccess | VerifyFailure;

interface Claimed {
  mode: 'header' | 'query';
  accessKeyId: string;
  dateStamp: string;
  region: string;
  service: string;
  signedHeaders: string;
  signature: string;
  amzDate: string | undefined;
  expires: string | undefined;
}

/**
 * Verifies a SigV4 signature the way an AWS service does — header (`Authorization`) or query
 * (presigned URL) authentication — by recomputing it from the request as received.
 * Malformed requests throw {@link SigV4Error}; a signature that does not check out is a result,
 * not an exception.
 *
 * @example
 * ```ts
 * const result = await verify(request, { credentials: (id) => (id === 'AKIDEXAMPLE' ? secret : undefined) });
 * if (!result.ok) console.log(result.reason, result.firstDifferentStep);
 * ```
 */
export async function verify(signedRequest: HttpRequest | SdkHttpRequest, options: VerifyOptions): Promise<VerifyResult> {
  if (typeof options !== 'object' || options === null || typeof options.credentials !== 'function') {
    throw new SigV4Error('INVALID_OPTION', 'options.credentials: expected a function (accessKeyId) => secret | undefined');
  }
  if (options.now !== undefined && !(options.now instanceof Date) && typeof options.now !== 'number') {
    throw new SigV4Error('INVALID_OPTION', 'options.now: expected a Date or epoch milliseconds');
  }
  const skew = options.maxSkewSeconds;
  if (skew !== undefined && !(typeof skew === 'number' && Number.isFinite(skew) && skew >= 0)) {
    throw new SigV4Error('INVALID_OPTION', 'options.maxSkewSeconds: expected a number of seconds, 0 or more');
  }
  if (options.region !== undefined) assertRegion(options.region, 'options.region');
  if (options.service !== undefined) assertService(options.service, 'options.service');
  const received = readRequest(signedRequest);
  // A server always has a Host header; a request checked from its absolute URL alone takes it from there.
  const parts =
    received.authority !== undefined && headerValue(received.headers, HOST) === undefined
      ? { ...received, headers: [['Host', hostFor(received.scheme, received.authority)] as HeaderEntry, ...received.headers] }
      : received;
  const hash = hashFrom(options.sha256);
  const claimed = readClaim(parts);
  if ('reason' in claimed) return claimed;

  if (claimed.amzDate === undefined) {
    return fail('MISSING_DATE', 'signing-time', 'The request has no X-Amz-Date; it must say when it was signed.');
  }
  if (!/^\d{8}T\d{6}Z$/.test(claimed.amzDate)) {
    return fail('MISSING_DATE', 'signing-time', 'X-Amz-Date must be YYYYMMDDTHHMMSSZ.', undefined, claimed.amzDate);
  }
  if (claimed.dateStamp !== claimed.amzDate.slice(0, 8)) {
    return fail(
      'DATE_MISMATCH',
      'credential-scope',
      'The credential scope date must be the date of X-Amz-Date.',
      claimed.amzDate.slice(0, 8),
      claimed.dateStamp,
    );
  }
  if (options.region !== undefined && claimed.region !== options.region) {
    return fail(
      'SCOPE_MISMATCH',
      'credential-scope',
      `Credential should be scoped to a valid region, not '${claimed.region}'.`,
      options.region,
      claimed.region,
    );
  }
  if (options.service !== undefined && claimed.service !== options.service) {
    return fail(
      'SCOPE_MISMATCH',
      'credential-scope',
      `Credential should be scoped to correct service: '${options.service}'.`,
      options.service,
      claimed.service,
    );
  }

  const timeProblem = checkTime(claimed, options);
  if (timeProblem) return timeProblem;

  const secret = await options.credentials(claimed.accessKeyId);
  if (typeof secret !== 'string' || secret === '') {
    return fail(
      'UNKNOWN_ACCESS_KEY',
      'credentials',
      'The access key ID is not known to this server (UnrecognizedClientException).',
      undefined,
      claimed.accessKeyId,
    );
  }

  const names = claimed.signedHeaders.split(';');
  if (!names.includes(HOST) && !names.includes(AUTHORITY)) {
    return fail('HOST_NOT_SIGNED', 'signed-headers', 'SignedHeaders must include host.', undefined, claimed.signedHeaders);
  }
  const headers: HeaderEntry[] = [];
  for (const name of names) {
    const values = parts.headers.filter(([n]) => n.toLowerCase() === name);
    if (values.length === 0) {
      return fail(
        'SIGNED_HEADER_MISSING',
        'canonical-headers',
        `The header '${name}' is listed in SignedHeaders but is not in the request.`,
        name,
        undefined,
      );
    }
    headers.push(...values);
  }

  const declared = headerValue(parts.headers, AMZ_CONTENT_SHA256)?.trim();
  const bodyHash = declared === undefined ? await payloadHash(parts.body, hash) : payloadHashSync(parts.body, hash);
  if (
    declared !== undefined &&
    /^[0-9a-f]{64}$/.test(declared) &&
    bodyHash !== undefined &&
    parts.body !== undefined &&
    declared !== bodyHash
  ) {
    return fail('PAYLOAD_HASH_MISMATCH', 'payload-hash', 'The x-amz-content-sha256 header does not match the body.', bodyHash, declared);
  }

  const steps: SignatureSteps = computeSignature({
    method: parts.method,
    path: parts.path,
    queryParameters:
      options.signSessionToken === false
        ? queryParameters(parts.query).filter(([key]) => key !== QUERY.securityToken)
        : queryParameters(parts.query),
    headers,
    headerRules: { signable: new Set(names) },
    // S3 signs every presigned URL with UNSIGNED-PAYLOAD: the URL is made before the body exists.
    payloadHash: declared ?? (claimed.mode === 'query' && claimed.service === 's3' ? UNSIGNED_PAYLOAD : bodyHash!),
    normalizePath: options.normalizePath ?? true,
    doubleEncode: options.doubleEncode ?? true,
    time: { amzDate: claimed.amzDate, dateStamp: claimed.dateStamp },
    credentials: { accessKeyId: claimed.accessKeyId, secretAccessKey: secret },
    region: claimed.region,
    service: claimed.service,
    hash,
    signingKeyCache: false,
  });
  if (!constantTimeEqual(steps.signature, claimed.signature)) {
    return {
      ...fail(
        'SIGNATURE_MISMATCH',
        'signature',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        steps.signature,
        claimed.signature,
      ),
      canonicalRequest: steps.canonicalRequest,
      stringToSign: steps.stringToSign,
    };
  }
  return {
    ok: true,
    accessKeyId: claimed.accessKeyId,
    credentialScope: steps.credentialScope,
    region: claimed.region,
    service: claimed.service,
    amzDate: claimed.amzDate,
    signedHeaders: claimed.signedHeaders,
    canonicalRequest: steps.canonicalRequest,
    stringToSign: steps.stringToSign,
  };
}

/** Reads what the request claims: from the Authorization header, or from the X-Amz-* query parameters. */
function readClaim(parts: RequestParts): Claimed | VerifyFailure {
  const authorization = headerValue(parts.headers, AUTHORIZATION);
  if (authorization !== undefined) {
    const header = readAuthorizationHeader(authorization);
    if (!header)
      return fail(
        'MALFORMED_AUTHORIZATION',
        'authorization',
        'The Authorization header must be "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…".',
      );
    if (header.algorithm !== ALGORITHM)
      return fail('UNSUPPORTED_ALGORITHM', 'authorization', `Only ${ALGORITHM} is supported.`, ALGORITHM, header.algorithm);
    const amzDate = headerValue(parts.headers, AMZ_DATE)?.trim();
    return claimFrom('header', header.credential, header.signedHeaders, header.signature, amzDate, undefined);
  }
  const query = new Map<string, string>();
  for (const [key, value] of queryParameters(parts.query)) query.set(uriDecodeText(key), uriDecodeText(value));
  if (!query.has(QUERY.algorithm) && !query.has(QUERY.signature)) {
    return fail(
      'MISSING_AUTHORIZATION',
      'authorization',
      'The request has neither an Authorization header nor X-Amz-Signature in its query (MissingAuthenticationToken).',
    );
  }
  if (query.get(QUERY.algorithm) !== ALGORITHM) {
    return fail('UNSUPPORTED_ALGORITHM', 'authorization', `X-Amz-Algorithm must be ${ALGORITHM}.`, ALGORITHM, query.get(QUERY.algorithm));
  }
  return claimFrom(
    'query',
    query.get(QUERY.credential),
    query.get(QUERY.signedHeaders),
    query.get(QUERY.signature),
    query.get(QUERY.date),
    query.get(QUERY.expires) ?? '',
  );
}

function claimFrom(
  mode: 'header' | 'query',
  credential: string | undefined,
  signedHeaders: string | undefined,
  signature: string | undefined,
  amzDate: string | undefined,
  expires: string | undefined,
): Claimed | VerifyFailure {
  const scope = credential?.split('/') ?? [];
  if (scope.length !== 5 || scope.some((p) => p === '') || scope[4] !== SCOPE_TERMINATOR) {
    return fail('MALFORMED_AUTHORIZATION', 'credential-scope', 'Credential must be AccessKeyId/YYYYMMDD/region/service/aws4_request.');
  }
  if (!signedHeaders || !isSignedHeadersList(signedHeaders)) {
    return fail('MALFORMED_AUTHORIZATION', 'signed-headers', 'SignedHeaders must be lower-case header names joined with ";".');
  }
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) {
    return fail('MALFORMED_AUTHORIZATION', 'signature', 'Signature must be 64 lower-case hex digits.');
  }
  const [accessKeyId, dateStamp, region, service] = scope as [string, string, string, string, string];
  return { mode, accessKeyId, dateStamp, region, service, signedHeaders, signature, amzDate, expires };
}

function checkTime(claimed: Claimed, options: VerifyOptions): VerifyFailure | undefined {
  const now = options.now === undefined ? Date.now() : new Date(options.now).getTime();
  const signedAt = parseAmzDate(claimed.amzDate!);
  if (signedAt === undefined) return fail('MISSING_DATE', 'signing-time', 'X-Amz-Date is not a valid time.', undefined, claimed.amzDate);
  const skewMs = (options.maxSkewSeconds ?? 300) * 1000;
  const nowText = toAmzDate(now).amzDate;
  if (claimed.mode === 'query') {
    const expires = Number(claimed.expires);
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) {
      return fail(
        'MALFORMED_AUTHORIZATION',
        'presigned-url',
        `X-Amz-Expires must be whole seconds from 1 to ${MAX_PRESIGN_SECONDS}.`,
        undefined,
        claimed.expires,
      );
    }
    if (now > signedAt + expires * 1000) {
      return fail(
        'EXPIRED',
        'signing-time',
        `Request has expired: signed at ${claimed.amzDate} for ${expires} s, now ${nowText}.`,
        nowText,
        claimed.amzDate,
      );
    }
    if (signedAt - now > skewMs) {
      return fail(
        'CLOCK_SKEW',
        'signing-time',
        `Request is not yet valid: signed at ${claimed.amzDate}, now ${nowText}.`,
        nowText,
        claimed.amzDate,
      );
    }
    return undefined;
  }
  if (now - signedAt > skewMs) {
    // AWS's wording, which clients (and @glassbox/ecr) recognise as clock skew.
    return fail(
      'CLOCK_SKEW',
      'signing-time',
      `Signature expired: ${claimed.amzDate} is now earlier than ${toAmzDate(now - skewMs).amzDate} (${nowText} - ${skewMs / 60000} min.)`,
      nowText,
      claimed.amzDate,
    );
  }
  if (signedAt - now > skewMs) {
    return fail(
      'CLOCK_SKEW',
      'signing-time',
      `Signature not yet current: ${claimed.amzDate} is still later than ${toAmzDate(now + skewMs).amzDate} (${nowText} + ${skewMs / 60000} min.)`,
      nowText,
      claimed.amzDate,
    );
  }
  return undefined;
}

function parseAmzDate(amzDate: string): number | undefined {
  try {
    return (
      Date.parse(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      ) || undefined
    );
  } catch {
    return undefined;
  }
}

function fail(reason: VerifyFailureReason, step: TraceStepId, message: string, expected?: string, actual?: string): VerifyFailure {
  return { ok: false, reason, message, firstDifferentStep: step, expected, actual };
}

// Compares without an early exit, so response timing does not reveal how much of a guess was right.
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
