import { authorizationHeader } from './authorization-header.ts';
import { canonicalHeaderEntries, canonicalHeaders, signableHeaders, signedHeaders, type HeaderEntry } from './canonical-headers.ts';
import { canonicalQueryString } from './canonical-query.ts';
import { canonicalRequest } from './canonical-request.ts';
import { canonicalUri } from './canonical-uri.ts';
import { credentialScope } from './credential-scope.ts';
import { AMZ_CONTENT_SHA256, AMZ_DATE, AMZ_SECURITY_TOKEN } from './constants.ts';
import { headersToObject, headerValue, type SdkHttpRequest } from './request.ts';
import { signature } from './signature.ts';
import { prepareSigning, type Prepared, type PreparedDraft } from './signing-input.ts';
import { deriveSigningKey } from './signing-key.ts';
import { stringToSign } from './string-to-sign.ts';
import { signTrace } from './sign-trace.ts';
import type { CanonicalRequestSteps, SignatureInput, SignatureSteps } from './signing-steps.ts';
import type { HttpRequest, PresignOptions, SignOptions, SignResult } from './types.ts';

export type { CanonicalRequestSteps, SignatureInput, SignatureSteps } from './signing-steps.ts';

/**
 * Signs a request with SigV4 in the `Authorization` header, and returns the signed request with
 * every intermediate string it computed: the canonical request, the string to sign, the scope.
 *
 * @example
 * ```ts
 * const { request: signed, canonicalRequest } = await sign(
 *   { method: 'GET', url: 'https://example.amazonaws.com/', headers: {} },
 *   { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: '…' }, region: 'us-east-1', service: 'service' },
 * );
 * ```
 */
export async function sign(request: HttpRequest | SdkHttpRequest, options: SignOptions): Promise<SignResult> {
  const prepared = prepareSigning(request, options, addSigningHeaders); // step 0
  const input = prepared instanceof Promise ? await prepared : prepared; // no await (and no extra tick) when nothing is pending
  const steps = computeSignature(input); // steps 1–4
  const authorization = authorizationHeader(input.credentials.accessKeyId, steps.credentialScope, steps.signedHeaders, steps.signature); // step 5
  const finalHeaders: HeaderEntry[] = [...input.headers, ...input.headersAfterSigning, ['Authorization', authorization]];
  const result: SignResult = withWorking({ request: signedRequestWithHeaders(request, input, finalHeaders), authorization }, input, steps);
  if (options.trace) result.trace = signTrace(input, steps, { authorization, finalHeaders });
  return result;
}

/**
 * The end of step 0 for the header form: the `X-Amz-Date` header, the session token
 * (`X-Amz-Security-Token`, signed unless `signSessionToken: false`) and, when asked, the payload hash
 * as `X-Amz-Content-Sha256` — each only if the request does not carry it already.
 */
export function addSigningHeaders(input: PreparedDraft, options: PresignOptions): void {
  const headers = input.headers;
  if (headerValue(headers, AMZ_DATE) === undefined) headers.push(['X-Amz-Date', input.time.amzDate]);
  // An empty token (AWS_SESSION_TOKEN= in the environment) is no token, as in the AWS SDKs and botocore.
  const token = input.credentials.sessionToken;
  if (token && headerValue(headers, AMZ_SECURITY_TOKEN) === undefined) {
    ((options.signSessionToken ?? true) ? headers : input.headersAfterSigning).push(['X-Amz-Security-Token', token]);
  }
  if (options.contentSha256Header && headerValue(headers, AMZ_CONTENT_SHA256) === undefined) {
    headers.push(['X-Amz-Content-Sha256', input.payloadHash]);
  }
}

/**
 * Steps 1 to 4 of SigV4 in the order the specification gives them: the canonical request, its
 * hash, the string to sign, the signing key and the signature.
 *
 * @example
 * ```ts
 * // The official suite's get-vanilla request, with the suite's published example key.
 * const steps = computeSignature({
 *   method: 'GET', path: '/', queryParameters: [],
 *   headers: [['Host', 'example.amazonaws.com'], ['X-Amz-Date', '20150830T123600Z']], headerRules: {},
 *   payloadHash: EMPTY_BODY_SHA256, normalizePath: true, doubleEncode: true,
 *   time: { amzDate: '20150830T123600Z', dateStamp: '20150830' },
 *   credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
 *   region: 'us-east-1', service: 'service', hash: nodeSha256, signingKeyCache: false,
 * });
 * steps.signature; // '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'
 * ```
 */
export function computeSignature(input: SignatureInput): SignatureSteps {
  // Steps 1 and 2: the canonical request and its hash.
  const c = canonicalRequestSteps(input);
  // Step 3: the string to sign.
  const scope = credentialScope(input.time.dateStamp, input.region, input.service);
  const sts = stringToSign(input.time.amzDate, scope, c.canonicalRequestHash);
  // Step 4: derive the signing key and sign.
  const key = input.signingKeyCache
    ? input.signingKeyCache.get(input.credentials, input.time.dateStamp, input.region, input.service, input.hash)
    : deriveSigningKey(input.credentials.secretAccessKey, input.time.dateStamp, input.region, input.service, input.hash);
  // Copied field by field, not spread: `{ ...c, more }` makes V8 build this object slowly (and in a
  // shape every later read pays for); it halved signatures per second in `pnpm bench`.
  return {
    canonicalUri: c.canonicalUri,
    canonicalQueryString: c.canonicalQueryString,
    canonicalHeaders: c.canonicalHeaders,
    signedHeaders: c.signedHeaders,
    canonicalRequest: c.canonicalRequest,
    canonicalRequestHash: c.canonicalRequestHash,
    credentialScope: scope,
    stringToSign: sts,
    signingKey: key,
    signature: signature(key, sts, input.hash),
  };
}

/**
 * Steps 1 and 2 — the canonical request and its hash. SigV4 and SigV4a share them exactly; they
 * part ways only at the string to sign.
 *
 * @example
 * ```ts
 * const { canonicalRequest, canonicalRequestHash } = canonicalRequestSteps(input);
 * ```
 */
export function canonicalRequestSteps(
  input: Pick<
    SignatureInput,
    'method' | 'path' | 'queryParameters' | 'headers' | 'headerRules' | 'payloadHash' | 'normalizePath' | 'doubleEncode' | 'hash'
  >,
): CanonicalRequestSteps {
  const uri = canonicalUri(input.path, input);
  const query = canonicalQueryString(input.queryParameters);
  const entries = canonicalHeaderEntries(signableHeaders(input.headers, input.headerRules));
  const headersText = canonicalHeaders(entries);
  const names = signedHeaders(entries);
  const creq = canonicalRequest({
    method: input.method,
    canonicalUri: uri,
    canonicalQueryString: query,
    canonicalHeaders: headersText,
    signedHeaders: names,
    payloadHash: input.payloadHash,
  });
  return {
    canonicalUri: uri,
    canonicalQueryString: query,
    canonicalHeaders: headersText,
    signedHeaders: names,
    canonicalRequest: creq,
    canonicalRequestHash: input.hash.hex(creq),
  };
}

/**
 * The signed request in the shape it came in: a plain request, or an SDK `HttpRequest` clone
 * (repeated header names merged with `,`, case-insensitively, as one SDK header). SigV4a reuses it.
 *
 * @example
 * ```ts
 * const signed = signedRequestWithHeaders(request, input, [...input.headers, ['Authorization', authorization]]);
 * ```
 */
export function signedRequestWithHeaders(
  original: HttpRequest | SdkHttpRequest,
  input: Prepared,
  headers: readonly HeaderEntry[],
): SignResult['request'] {
  if (input.sdkRequest) {
    const sdkHeaders: Record<string, string> = {};
    for (const [name, value] of headers) {
      const existing = Object.keys(sdkHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
      if (existing === undefined) sdkHeaders[name] = value;
      else sdkHeaders[existing] = `${sdkHeaders[existing]},${value}`;
    }
    const clone = Object.assign(Object.create(Object.getPrototypeOf(original) as object) as object, original, { headers: sdkHeaders });
    return clone as unknown as SignResult['request'];
  }
  const plain = original as HttpRequest;
  const out: SignResult['request'] = { method: plain.method, url: plain.url, headers: headersToObject(headers) };
  if (plain.body !== undefined) out.body = plain.body;
  return out;
}

/** The working every signing result carries (sign, presign, SigV4a): what steps 1 to 4 computed and the time and payload hash they used. */
export type ResultWorking = Pick<
  SignResult,
  'signature' | 'canonicalRequest' | 'stringToSign' | 'credentialScope' | 'signedHeaders' | 'amzDate' | 'payloadHash'
>;

/**
 * Adds the working of steps 1 to 4 to a result ("results carry their working"), shared by
 * `sign`, `presign`, `signV4a` and `presignV4a` so the four results cannot drift apart. It assigns
 * onto `head` rather than being spread into a literal: V8 builds `{ a, b, ...working }` on a slow
 * path, which `pnpm bench` showed costing a large share of a signature.
 *
 * @example
 * ```ts
 * const result = withWorking({ request, authorization }, input, steps);
 * ```
 */
export function withWorking<T extends object>(
  head: T,
  input: Pick<Prepared, 'time' | 'payloadHash'>,
  steps: Pick<SignatureSteps, 'signature' | 'canonicalRequest' | 'stringToSign' | 'credentialScope' | 'signedHeaders'>,
): T & ResultWorking {
  const result = head as T & ResultWorking;
  result.signature = steps.signature;
  result.canonicalRequest = steps.canonicalRequest;
  result.stringToSign = steps.stringToSign;
  result.credentialScope = steps.credentialScope;
  result.signedHeaders = steps.signedHeaders;
  result.amzDate = input.time.amzDate;
  result.payloadHash = input.payloadHash;
  return result;
}
