import { signedHeaderNames, type HeaderEntry, type HeaderRules } from './canonical-headers.ts';
import { queryParameters, type EncodedParameter } from './canonical-query.ts';
import {
  ALGORITHM,
  AMZ_CONTENT_SHA256,
  AUTHORITY,
  AMZ_DATE,
  AMZ_SECURITY_TOKEN,
  AUTHORIZATION,
  DEFAULT_PRESIGN_SECONDS,
  HOST,
  MAX_PRESIGN_SECONDS,
  QUERY,
  UNSIGNED_PAYLOAD,
} from './constants.ts';
import { credentialScope } from './credential-scope.ts';
import { toAmzDate, type AmzDate } from './amz-date.ts';
import { SigV4Error } from './errors.ts';
import { payloadHash, payloadHashSync } from './payload-hash.ts';
import { headerValue, hostFor, isSdkHttpRequest, readRequest, type RequestParts, type SdkHttpRequest } from './request.ts';
import type { SignatureInput } from './signing-steps.ts';
import { defaultSigningKeyCache, SigningKeyCache } from './signing-key.ts';
import { uriEncode } from './uri-encode.ts';
import { encodedCredential } from './fast-paths.ts';
import { assertCredentials, assertOptionalBoolean, assertRegion, assertService, hashFrom, resolveCredentials } from './validate.ts';
import type { Sha256 } from './hash.ts';
import type { Credentials } from './types.ts';
import type { HttpRequest, PresignOptions } from './types.ts';

/** Everything decided before step 1: the validated request, the headers to add, the time, the payload hash. */
export interface Prepared extends SignatureInput {
  readonly parts: RequestParts;
  readonly sdkRequest: boolean;
  /** The Host header value (from the request, else the URL). */
  readonly host: string;
  /** Headers added after signing (an unsigned session token). */
  readonly headersAfterSigning: HeaderEntry[];
  /** Query mode: the parameters added before signing, in order, already encoded. */
  readonly addedQuery: EncodedParameter[];
  /** Query mode: parameters appended after signing (an unsigned session token). */
  readonly queryAfterSigning: EncodedParameter[];
  readonly revealSigningKey: boolean;
  readonly expiresIn: number | undefined;
}

const NO_RULES: HeaderRules = {};
const PAYLOAD_HASH = /^([0-9a-f]{64}|UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+)$/;

/**
 * Validates the request and options and works out what the signer adds before step 1: `Host`,
 * `X-Amz-Date`, `X-Amz-Security-Token`, `X-Amz-Content-Sha256` (header mode) or the `X-Amz-*` query
 * parameters (query mode). A date or token the request already carries is used as is.
 */
export function prepareSigning(
  request: HttpRequest | SdkHttpRequest,
  options: PresignOptions,
  mode: 'header' | 'query',
): Prepared | Promise<Prepared> {
  if (typeof options !== 'object' || options === null) {
    throw new SigV4Error('INVALID_OPTION', 'options: expected { credentials, region, service, … }');
  }
  const parts = readRequest(request);
  assertRegion(options.region);
  assertService(options.service);
  // One named read per switch: a loop over names (options[name]) was the costliest line of this function.
  assertOptionalBoolean(options.doubleEncode, 'doubleEncode');
  assertOptionalBoolean(options.normalizePath, 'normalizePath');
  assertOptionalBoolean(options.unsignedPayload, 'unsignedPayload');
  assertOptionalBoolean(options.contentSha256Header, 'contentSha256Header');
  assertOptionalBoolean(options.signSessionToken, 'signSessionToken');
  assertOptionalBoolean(options.trace, 'trace');
  assertOptionalBoolean(options.revealSigningKey, 'revealSigningKey');
  const hash = hashFrom(options.sha256);
  // A promise only when there is something to wait for (a credentials provider, a stream body): a
  // signature with static credentials and an in-memory body is computed without leaving this tick.
  if (typeof options.credentials === 'function') {
    return resolveCredentials(options.credentials).then((credentials) => prepareWith(request, parts, options, mode, hash, credentials));
  }
  return prepareWith(request, parts, options, mode, hash, checkedCredentials(options.credentials));
}

/** The rest of {@link prepareSigning}, once the credentials are known. */
function prepareWith(
  request: HttpRequest | SdkHttpRequest,
  parts: RequestParts,
  options: PresignOptions,
  mode: 'header' | 'query',
  hash: Sha256,
  credentials: Credentials,
): Prepared | Promise<Prepared> {
  const signSessionToken = options.signSessionToken ?? true;
  const headerRules = readHeaderRules(options);

  // A previous Authorization header is replaced, never signed or sent twice.
  let headers = parts.headers.filter(([name]) => name.toLowerCase() !== AUTHORIZATION);
  const headersAfterSigning: HeaderEntry[] = [];
  const addedQuery: EncodedParameter[] = [];
  const queryAfterSigning: EncodedParameter[] = [];

  const declaredHost = headerValue(headers, HOST) ?? headerValue(headers, AUTHORITY); // HTTP/2: :authority is the host
  const host = declaredHost ?? hostFromUrl(parts);
  if (declaredHost === undefined) headers = [['Host', host], ...headers];

  const time = signingTime(headerValue(headers, AMZ_DATE), options.date);
  const declaredOrInMemory = resolvePayloadHash(parts, headers, options, hash);
  return declaredOrInMemory === undefined ? payloadHash(parts.body, hash).then(withPayload) : withPayload(declaredOrInMemory);

  /** The rest, once the payload hash is known: what the signer adds, and the prepared input. */
  function withPayload(payload: string): Prepared {
    if (mode === 'header') {
      if (headerValue(headers, AMZ_DATE) === undefined) headers.push(['X-Amz-Date', time.amzDate]);
      // An empty token (AWS_SESSION_TOKEN= in the environment) is no token, as in the AWS SDKs and botocore.
      if (credentials.sessionToken && headerValue(headers, AMZ_SECURITY_TOKEN) === undefined) {
        (signSessionToken ? headers : headersAfterSigning).push(['X-Amz-Security-Token', credentials.sessionToken]);
      }
      if (options.contentSha256Header && headerValue(headers, AMZ_CONTENT_SHA256) === undefined) {
        headers.push(['X-Amz-Content-Sha256', payload]);
      }
    }
    const rules: HeaderRules = signSessionToken
      ? headerRules
      : { ...headerRules, unsignable: new Set([...(headerRules.unsignable ?? []), AMZ_SECURITY_TOKEN]) };

    let expiresIn: number | undefined;
    if (mode === 'query') {
      expiresIn = options.expiresIn ?? DEFAULT_PRESIGN_SECONDS;
      if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) {
        throw new SigV4Error('EXPIRES_OUT_OF_RANGE', `expiresIn: expected whole seconds from 1 to ${MAX_PRESIGN_SECONDS} (7 days)`);
      }
      // A URL cannot carry headers, so x-amz-* headers travel in the query, as the AWS SDKs do —
      // except those named unhoistable, which stay signed headers the URL's user must send.
      const unhoistable = lowerCaseNames(options.unhoistableHeaders, 'unhoistableHeaders');
      const hoisted: EncodedParameter[] = [];
      const kept: HeaderEntry[] = [];
      for (const header of headers) {
        const [name, value] = header;
        const lower = name.toLowerCase();
        if (lower === AMZ_DATE)
          continue; // X-Amz-Date is a query parameter of its own
        else if (!lower.startsWith('x-amz-') || (unhoistable?.has(lower) && lower !== AMZ_SECURITY_TOKEN)) kept.push(header);
        else if (lower === AMZ_SECURITY_TOKEN && !signSessionToken) queryAfterSigning.push([QUERY.securityToken, uriEncode(value)]);
        else hoisted.push([uriEncode(name), uriEncode(value)]);
      }
      headers = kept;
      const scope = credentialScope(time.dateStamp, options.region, options.service);
      const names = signedHeaderNames(headers, rules);
      addedQuery.push(
        [QUERY.algorithm, ALGORITHM],
        [QUERY.credential, encodedCredential(`${credentials.accessKeyId}/${scope}`, uriEncode)],
        [QUERY.date, time.amzDate],
        [QUERY.expires, String(expiresIn)],
        [QUERY.signedHeaders, uriEncode(names)],
      );
      for (const parameter of hoisted) addedQuery.push(parameter);
      const hasToken = hoisted.some(([k]) => k.toLowerCase() === AMZ_SECURITY_TOKEN) || queryAfterSigning.length > 0;
      if (credentials.sessionToken && !hasToken) {
        (signSessionToken ? addedQuery : queryAfterSigning).push([QUERY.securityToken, uriEncode(credentials.sessionToken)]);
      }
    }

    return {
      parts,
      sdkRequest: isSdkHttpRequest(request),
      host,
      method: parts.method,
      path: parts.path,
      queryParameters: mode === 'query' ? queryParameters(parts.query).concat(addedQuery) : queryParameters(parts.query),
      headers,
      headerRules: rules,
      headersAfterSigning,
      addedQuery,
      queryAfterSigning,
      payloadHash: payload,
      normalizePath: options.normalizePath ?? true,
      doubleEncode: options.doubleEncode ?? true,
      time,
      credentials,
      region: options.region,
      service: options.service,
      hash,
      signingKeyCache: signingKeyCacheFrom(options.signingKeyCache),
      revealSigningKey: options.revealSigningKey ?? false,
      expiresIn,
    };
  }
}

/** The Host header a request without one gets: the URL's authority, without the scheme's default port. */
function hostFromUrl(parts: RequestParts): string {
  if (parts.authority === undefined) {
    throw new SigV4Error('INVALID_REQUEST', 'request: no host; give an absolute URL (https://host/path) or a Host header');
  }
  return hostFor(parts.scheme, parts.authority);
}

/**
 * The signing time: the request's own `X-Amz-Date` if it has one (so a captured request re-signs
 * identically), else the `date` option, else now. Both present and different is an error: one of
 * them is a mistake, and guessing which would sign the wrong time.
 */
export function signingTime(headerDate: string | undefined, optionDate: PresignOptions['date']): AmzDate {
  const fromOption = optionDate === undefined ? undefined : toAmzDate(optionDate, 'date');
  if (headerDate === undefined) return fromOption ?? toAmzDate(new Date());
  if (!/^\d{8}T\d{6}Z$/.test(headerDate.trim())) {
    throw new SigV4Error('INVALID_DATE', 'X-Amz-Date header: expected YYYYMMDDTHHMMSSZ, e.g. 20150830T123600Z');
  }
  const fromHeader = toAmzDate(headerDate.trim(), 'X-Amz-Date header');
  if (fromOption !== undefined && fromOption.amzDate !== fromHeader.amzDate) {
    throw new SigV4Error(
      'INVALID_DATE',
      `date: the request already carries X-Amz-Date ${fromHeader.amzDate}, but the date option says ${fromOption.amzDate}; remove one`,
    );
  }
  return fromHeader;
}

/** The payload hash when it is known without reading a stream: declared, unsigned, or an in-memory body. */
function resolvePayloadHash(
  parts: RequestParts,
  headers: readonly HeaderEntry[],
  options: PresignOptions,
  hash: SignatureInput['hash'],
): string | undefined {
  if (options.payloadHash !== undefined) {
    if (typeof options.payloadHash !== 'string' || !PAYLOAD_HASH.test(options.payloadHash)) {
      throw new SigV4Error('INVALID_OPTION', 'payloadHash: expected 64 lower-case hex digits, UNSIGNED-PAYLOAD or a STREAMING-* value');
    }
    return options.payloadHash;
  }
  if (options.unsignedPayload) return UNSIGNED_PAYLOAD;
  // A content hash the caller already put on the request is what the service will compare against.
  const declared = headerValue(headers, AMZ_CONTENT_SHA256);
  if (declared !== undefined) return declared.trim();
  return payloadHashSync(parts.body, hash);
}

function readHeaderRules(options: PresignOptions): HeaderRules {
  if (options.unsignableHeaders === undefined && options.signableHeaders === undefined) return NO_RULES;
  return {
    unsignable: lowerCaseNames(options.unsignableHeaders, 'unsignableHeaders'),
    signable: lowerCaseNames(options.signableHeaders, 'signableHeaders'),
  };
}

/** A header-name option (any iterable of strings) as a set of lower-case names, or INVALID_OPTION. */
function lowerCaseNames(names: Iterable<string> | undefined, label: string): Set<string> | undefined {
  if (names === undefined) return undefined;
  if (typeof names !== 'object' || names === null || !(Symbol.iterator in names)) {
    throw new SigV4Error('INVALID_OPTION', `${label}: expected a list of header names`);
  }
  const list = [...names];
  if (!list.every((n) => typeof n === 'string')) throw new SigV4Error('INVALID_OPTION', `${label}: expected header names as strings`);
  return new Set(list.map((n) => n.toLowerCase()));
}

function checkedCredentials(credentials: unknown): Credentials {
  assertCredentials(credentials);
  return credentials;
}

function signingKeyCacheFrom(option: PresignOptions['signingKeyCache']): SigningKeyCache | false {
  if (option === false) return false;
  if (option === undefined) return defaultSigningKeyCache;
  if (option instanceof SigningKeyCache) return option;
  throw new SigV4Error('INVALID_OPTION', 'signingKeyCache: expected a SigningKeyCache, or false to derive the key every time');
}
