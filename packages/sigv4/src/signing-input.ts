import type { HeaderEntry, HeaderRules } from './canonical-headers.ts';
import { queryParameters, type EncodedParameter } from './canonical-query.ts';
import { AMZ_CONTENT_SHA256, AUTHORITY, AMZ_DATE, AMZ_SECURITY_TOKEN, AUTHORIZATION, HOST, UNSIGNED_PAYLOAD } from './constants.ts';
import { toAmzDate, type AmzDate } from './amz-date.ts';
import { SigV4Error } from './errors.ts';
import { payloadHash, payloadHashSync } from './payload-hash.ts';
import { headerValue, hostFor, isSdkHttpRequest, readRequest, type RequestParts, type SdkHttpRequest } from './request.ts';
import type { SignatureInput } from './signing-steps.ts';
import { defaultSigningKeyCache, SigningKeyCache } from './signing-key.ts';
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
  /** Query form: the parameters added before signing, in order, already encoded. */
  readonly addedQuery: EncodedParameter[];
  /** Query form: parameters appended after signing (an unsigned session token). */
  readonly queryAfterSigning: EncodedParameter[];
  readonly revealSigningKey: boolean;
  readonly expiresIn: number | undefined;
}

/** A {@link Prepared} while the form's additions fill it in. */
export type PreparedDraft = { -readonly [K in keyof Prepared]: Prepared[K] } & { headers: HeaderEntry[] };

/**
 * The last part of step 0, which is where the two forms of SigV4 differ: what the signer adds once it
 * knows the time, the credentials and the payload hash. `sign` adds `X-Amz-*` headers
 * (`addSigningHeaders` in sign.ts); `presign` moves them into the query (`hoistIntoQuery` in
 * presign.ts). It edits the draft in place.
 */
export type AddAuthentication = (draft: PreparedDraft, options: PresignOptions) => void;

const NO_RULES: HeaderRules = {};
const PAYLOAD_HASH = /^([0-9a-f]{64}|UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+)$/;

/**
 * Step 0: validates the request and options, and settles what every signature needs before step 1:
 * the `Host` header, the signing time, the credentials, the payload hash; then `add` puts in what the
 * form carries (sign's headers, presign's query). A date or token the request already carries is used
 * as is.
 */
export function prepareSigning(
  request: HttpRequest | SdkHttpRequest,
  options: PresignOptions,
  add: AddAuthentication,
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
    return resolveCredentials(options.credentials).then((credentials) => prepareWith(request, parts, options, add, hash, credentials));
  }
  return prepareWith(request, parts, options, add, hash, checkedCredentials(options.credentials));
}

/** The rest of {@link prepareSigning}, once the credentials are known. */
function prepareWith(
  request: HttpRequest | SdkHttpRequest,
  parts: RequestParts,
  options: PresignOptions,
  add: AddAuthentication,
  hash: Sha256,
  credentials: Credentials,
): Prepared | Promise<Prepared> {
  // A previous Authorization header is replaced, never signed or sent twice.
  let headers = parts.headers.filter(([name]) => name.toLowerCase() !== AUTHORIZATION);
  const declaredHost = headerValue(headers, HOST) ?? headerValue(headers, AUTHORITY); // HTTP/2: :authority is the host
  const host = declaredHost ?? hostFromUrl(parts);
  if (declaredHost === undefined) headers = [['Host', host], ...headers];

  const time = signingTime(headerValue(headers, AMZ_DATE), options.date);
  const declaredOrInMemory = resolvePayloadHash(parts, headers, options, hash);
  return declaredOrInMemory === undefined ? payloadHash(parts.body, hash).then(withPayload) : withPayload(declaredOrInMemory);

  /** The rest, once the payload hash is known: the prepared input, and the form's additions to it. */
  function withPayload(payload: string): Prepared {
    const draft: PreparedDraft = {
      parts,
      sdkRequest: isSdkHttpRequest(request),
      host,
      method: parts.method,
      path: parts.path,
      queryParameters: queryParameters(parts.query),
      headers,
      headerRules: headerRulesFrom(options),
      headersAfterSigning: [],
      addedQuery: [],
      queryAfterSigning: [],
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
      expiresIn: undefined,
    };
    add(draft, options);
    return draft;
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

/** The header rules from the options; an unsigned session token (`signSessionToken: false`) is never signed. */
function headerRulesFrom(options: PresignOptions): HeaderRules {
  const signSessionToken = options.signSessionToken ?? true;
  if (options.unsignableHeaders === undefined && options.signableHeaders === undefined) {
    return signSessionToken ? NO_RULES : { unsignable: new Set([AMZ_SECURITY_TOKEN]) };
  }
  const unsignable = lowerCaseNames(options.unsignableHeaders, 'unsignableHeaders');
  return {
    unsignable: signSessionToken ? unsignable : new Set([...(unsignable ?? []), AMZ_SECURITY_TOKEN]),
    signable: lowerCaseNames(options.signableHeaders, 'signableHeaders'),
  };
}

/** A header-name option (any iterable of strings) as a set of lower-case names, or INVALID_OPTION. */
export function lowerCaseNames(names: Iterable<string> | undefined, label: string): Set<string> | undefined {
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
