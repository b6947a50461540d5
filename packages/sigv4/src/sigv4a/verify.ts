import { isSignedHeadersList, readAuthorizationHeader } from '../authorization-header.ts';
import type { KeyObject } from 'node:crypto';
import type { HeaderEntry } from '../canonical-headers.ts';
import { queryParameters } from '../canonical-query.ts';
import {
  AMZ_CONTENT_SHA256,
  AMZ_DATE,
  AUTHORITY,
  AUTHORIZATION,
  HOST,
  MAX_PRESIGN_SECONDS,
  QUERY,
  SCOPE_TERMINATOR,
} from '../constants.ts';
import { toAmzDate } from '../amz-date.ts';
import { SigV4Error } from '../errors.ts';
import { payloadHash, payloadHashSync } from '../payload-hash.ts';
import { headerValue, hostFor, readRequest, type SdkHttpRequest } from '../request.ts';
import { canonicalRequestSteps } from '../sign.ts';
import type { TraceStepId } from '../trace.ts';
import type { HttpRequest } from '../types.ts';
import { uriDecodeText } from '../uri-encode.ts';
import { assertOptionalBoolean, hashFrom } from '../validate.ts';
import type { VerifyFailure, VerifyFailureReason, VerifyOptions, VerifySuccess } from '../verify.ts';
import { ALGORITHM_V4A, REGION_SET_HEADER } from './constants.ts';
import { ecdsaVerify } from './ecdsa.ts';
import { v4aKeyPair } from './key-derivation.ts';
import { regionSetIncludes } from './region-set.ts';
import { stringToSignV4a } from './string-to-sign.ts';

/** Options of {@link verifyV4a}: as for `verify`, and the key may be a public key instead of a secret. */
export interface VerifyV4aOptions extends Omit<VerifyOptions, 'credentials'> {
  /**
   * For an access key ID: its secret access key (the public key is derived from it, as AWS does),
   * or the P-256 public key itself; undefined when the key is unknown.
   */
  credentials: (accessKeyId: string) => string | KeyObject | undefined | Promise<string | KeyObject | undefined>;
  /** The region this server answers for: it must be in the signed region set. */
  region?: string | undefined;
}

/** A SigV4a signature that checks out. */
export interface VerifyV4aSuccess extends Omit<VerifySuccess, 'region'> {
  /** The signed `X-Amz-Region-Set`. */
  regionSet: string;
}

/** What {@link verifyV4a} returns. */
export type VerifyV4aResult = VerifyV4aSuccess | VerifyFailure;

/**
 * Verifies a SigV4a (`AWS4-ECDSA-P256-SHA256`) signature — header or presigned-URL authentication —
 * by recomputing the canonical request and string to sign from the request as received and
 * checking the ECDSA signature with the signer's public key.
 *
 * @example
 * ```ts
 * const result = await verifyV4a(request, { credentials: (id) => secrets.get(id), region: 'us-west-2' });
 * if (!result.ok) console.log(result.reason, result.firstDifferentStep);
 * ```
 */
export async function verifyV4a(signedRequest: HttpRequest | SdkHttpRequest, options: VerifyV4aOptions): Promise<VerifyV4aResult> {
  if (typeof options !== 'object' || options === null || typeof options.credentials !== 'function') {
    throw new SigV4Error('INVALID_OPTION', 'options.credentials: expected a function (accessKeyId) => secret | public key | undefined');
  }
  checkVerifyOptions(options);
  const request = readRequest(signedRequest);
  // A server always has the Host it was reached at; a request given as a URL carries it there.
  const parts =
    headerValue(request.headers, HOST) === undefined && request.authority !== undefined
      ? { ...request, headers: [['Host', hostFor(request.scheme, request.authority)] as HeaderEntry, ...request.headers] }
      : request;
  const hash = hashFrom(options.sha256);
  const query = new Map<string, string>();
  for (const [key, value] of queryParameters(parts.query)) query.set(uriDecodeText(key), uriDecodeText(value));

  // What the request claims, from the Authorization header or the query.
  const authorization = headerValue(parts.headers, AUTHORIZATION)?.trim();
  let mode: 'header' | 'query';
  let fields: Map<string, string>;
  if (authorization !== undefined) {
    mode = 'header';
    const header = readAuthorizationHeader(authorization);
    if (!header)
      return fail(
        'MALFORMED_AUTHORIZATION',
        'authorization',
        `The Authorization header must be "${ALGORITHM_V4A} Credential=…, SignedHeaders=…, Signature=…".`,
      );
    if (header.algorithm !== ALGORITHM_V4A)
      return fail('UNSUPPORTED_ALGORITHM', 'authorization', `Expected ${ALGORITHM_V4A}.`, ALGORITHM_V4A, header.algorithm);
    fields = new Map([
      ['Credential', header.credential ?? ''],
      ['SignedHeaders', header.signedHeaders ?? ''],
      ['Signature', header.signature ?? ''],
      ['Date', headerValue(parts.headers, AMZ_DATE)?.trim() ?? ''],
      ['RegionSet', headerValue(parts.headers, REGION_SET_HEADER.toLowerCase())?.trim() ?? ''],
    ]);
  } else {
    mode = 'query';
    if (!query.has(QUERY.algorithm) && !query.has(QUERY.signature)) {
      return fail(
        'MISSING_AUTHORIZATION',
        'authorization',
        'The request has neither an Authorization header nor X-Amz-Signature in its query.',
      );
    }
    if (query.get(QUERY.algorithm) !== ALGORITHM_V4A)
      return fail(
        'UNSUPPORTED_ALGORITHM',
        'authorization',
        `X-Amz-Algorithm must be ${ALGORITHM_V4A}.`,
        ALGORITHM_V4A,
        query.get(QUERY.algorithm),
      );
    fields = new Map([
      ['Credential', query.get(QUERY.credential) ?? ''],
      ['SignedHeaders', query.get(QUERY.signedHeaders) ?? ''],
      ['Signature', query.get(QUERY.signature) ?? ''],
      ['Date', query.get(QUERY.date) ?? ''],
      ['RegionSet', query.get(REGION_SET_HEADER) ?? ''],
      ['Expires', query.get(QUERY.expires) ?? ''],
    ]);
  }

  const scope = (fields.get('Credential') ?? '').split('/');
  if (scope.length !== 4 || scope.some((p) => p === '') || scope[3] !== SCOPE_TERMINATOR) {
    return fail(
      'MALFORMED_AUTHORIZATION',
      'credential-scope',
      'A SigV4a Credential is AccessKeyId/YYYYMMDD/service/aws4_request (no region).',
    );
  }
  const [accessKeyId, dateStamp, service] = scope as [string, string, string, string];
  const signedHeaders = fields.get('SignedHeaders') ?? '';
  if (!isSignedHeadersList(signedHeaders)) {
    return fail('MALFORMED_AUTHORIZATION', 'signed-headers', 'SignedHeaders must be lower-case header names joined with ";".');
  }
  const claimedSignature = fields.get('Signature') ?? '';
  if (!/^[0-9a-f]+$/.test(claimedSignature))
    return fail('MALFORMED_AUTHORIZATION', 'signature', 'Signature must be the hex of a DER ECDSA signature.');
  const amzDate = fields.get('Date') ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate))
    return fail('MISSING_DATE', 'signing-time', 'X-Amz-Date must be present as YYYYMMDDTHHMMSSZ.', undefined, amzDate || undefined);
  if (dateStamp !== amzDate.slice(0, 8))
    return fail(
      'DATE_MISMATCH',
      'credential-scope',
      'The credential scope date must be the date of X-Amz-Date.',
      amzDate.slice(0, 8),
      dateStamp,
    );
  const regionSet = fields.get('RegionSet') ?? '';
  const names = signedHeaders.split(';');
  if (regionSet === '' || (mode === 'header' && !names.includes(REGION_SET_HEADER.toLowerCase()))) {
    return fail('SCOPE_MISMATCH', 'region-set', 'A SigV4a request must carry and sign X-Amz-Region-Set.');
  }
  if (options.region !== undefined && !regionSetIncludes(regionSet, options.region)) {
    return fail(
      'SCOPE_MISMATCH',
      'region-set',
      `This region (${options.region}) is not in the signed region set.`,
      options.region,
      regionSet,
    );
  }
  if (options.service !== undefined && service !== options.service) {
    return fail(
      'SCOPE_MISMATCH',
      'credential-scope',
      `Credential should be scoped to correct service: '${options.service}'.`,
      options.service,
      service,
    );
  }
  const timeProblem = checkTime(mode, amzDate, fields.get('Expires'), options);
  if (timeProblem) return timeProblem;

  const key = await options.credentials(accessKeyId);
  let publicKey: KeyObject;
  if (typeof key === 'string' && key !== '') publicKey = v4aKeyPair(accessKeyId, key, hash).publicKey;
  else if (typeof key === 'object' && key !== null && (key.type === 'public' || key.type === 'private')) publicKey = key;
  else return fail('UNKNOWN_ACCESS_KEY', 'credentials', 'The access key ID is not known to this server.', undefined, accessKeyId);

  if (!names.includes(HOST) && !names.includes(AUTHORITY))
    return fail('HOST_NOT_SIGNED', 'signed-headers', 'SignedHeaders must include host.', undefined, signedHeaders);
  const headers: HeaderEntry[] = [];
  for (const name of names) {
    const values = parts.headers.filter(([n]) => n.toLowerCase() === name);
    if (values.length === 0)
      return fail(
        'SIGNED_HEADER_MISSING',
        'canonical-headers',
        `The header '${name}' is listed in SignedHeaders but is not in the request.`,
        name,
      );
    headers.push(...values);
  }
  const declared = (headerValue(parts.headers, AMZ_CONTENT_SHA256) ?? query.get('X-Amz-Content-Sha256'))?.trim();
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

  const steps = canonicalRequestSteps({
    method: parts.method,
    path: parts.path,
    queryParameters: queryParameters(parts.query),
    headers,
    headerRules: { signable: new Set(names) },
    payloadHash: declared ?? bodyHash!,
    normalizePath: options.normalizePath ?? true,
    doubleEncode: options.doubleEncode ?? true,
    hash,
  });
  const credentialScope = `${dateStamp}/${service}/${SCOPE_TERMINATOR}`;
  const stringToSign = stringToSignV4a(amzDate, credentialScope, steps.canonicalRequestHash);
  if (!ecdsaVerify(publicKey, stringToSign, claimedSignature)) {
    return {
      ...fail(
        'SIGNATURE_MISMATCH',
        'signature',
        "The ECDSA signature does not verify with this access key's public key over the string to sign we calculated.",
        undefined,
        claimedSignature,
      ),
      canonicalRequest: steps.canonicalRequest,
      stringToSign,
    };
  }
  return {
    ok: true,
    accessKeyId,
    credentialScope,
    regionSet,
    service,
    amzDate,
    signedHeaders,
    canonicalRequest: steps.canonicalRequest,
    stringToSign,
  };
}

function checkVerifyOptions(options: VerifyV4aOptions): void {
  for (const name of ['doubleEncode', 'normalizePath'] as const) assertOptionalBoolean(options[name], name);
  for (const name of ['region', 'service'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string')
      throw new SigV4Error('INVALID_OPTION', `${name}: expected a string`);
  }
  const skew = options.maxSkewSeconds;
  if (skew !== undefined && (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0)) {
    throw new SigV4Error('INVALID_OPTION', 'maxSkewSeconds: expected a number of seconds, 0 or more');
  }
  if (options.now !== undefined && !(options.now instanceof Date) && typeof options.now !== 'number') {
    throw new SigV4Error('INVALID_OPTION', 'now: expected a Date or epoch milliseconds');
  }
}

function checkTime(
  mode: 'header' | 'query',
  amzDate: string,
  expires: string | undefined,
  options: VerifyV4aOptions,
): VerifyFailure | undefined {
  const now = options.now === undefined ? Date.now() : new Date(options.now).getTime();
  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (Number.isNaN(signedAt)) return fail('MISSING_DATE', 'signing-time', 'X-Amz-Date is not a real time.', undefined, amzDate);
  const skewMs = (options.maxSkewSeconds ?? 300) * 1000;
  const nowText = toAmzDate(now).amzDate;
  if (mode === 'query') {
    const seconds = Number(expires);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      return fail(
        'EXPIRED',
        'presigned-url',
        `X-Amz-Expires must be whole seconds from 1 to ${MAX_PRESIGN_SECONDS}.`,
        undefined,
        expires || undefined,
      );
    }
    if (now > signedAt + seconds * 1000)
      return fail(
        'EXPIRED',
        'signing-time',
        `Request has expired: signed at ${amzDate} for ${seconds} s, now ${nowText}.`,
        nowText,
        amzDate,
      );
    if (signedAt - now > skewMs)
      return fail('CLOCK_SKEW', 'signing-time', `Request is not yet valid: signed at ${amzDate}, now ${nowText}.`, nowText, amzDate);
    return undefined;
  }
  if (Math.abs(now - signedAt) > skewMs)
    return fail(
      'CLOCK_SKEW',
      'signing-time',
      `Signature time ${amzDate} is more than ${skewMs / 60000} min from ${nowText}.`,
      nowText,
      amzDate,
    );
  return undefined;
}

function fail(reason: VerifyFailureReason, step: TraceStepId, message: string, expected?: string, actual?: string): VerifyFailure {
  return { ok: false, reason, message, firstDifferentStep: step, expected, actual };
}
