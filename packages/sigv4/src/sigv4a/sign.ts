import type { KeyObject } from 'node:crypto';
import type { HeaderEntry } from '../canonical-headers.ts';
import { SigV4Error } from '../errors.ts';
import { headersToObject, headerValue, isSdkHttpRequest, readHeaders, type SdkHttpRequest } from '../request.ts';
import { hoistIntoQuery, presignedUrl } from '../presign.ts';
import { addSigningHeaders, canonicalRequestSteps, withWorking, signedRequestWithHeaders } from '../sign.ts';
import { signTrace } from '../sign-trace.ts';
import { prepareSigning, type AddAuthentication, type Prepared } from '../signing-input.ts';
import type { TraceStep } from '../trace.ts';
import type { HttpRequest, SignOptions, SignResult } from '../types.ts';
import { QUERY } from '../constants.ts';
import { ALGORITHM_V4A, REGION_SET_HEADER } from './constants.ts';
import { ecdsaSignature } from './ecdsa.ts';
import { keyPairFromScalar, v4aKeyPair, type V4aKeyPair } from './key-derivation.ts';
import { regionSetValue } from './region-set.ts';
import { credentialScopeV4a, stringToSignV4a } from './string-to-sign.ts';
import { v4aTrace } from './trace.ts';
import type { V4aSteps } from './steps.ts';

export type { V4aSteps } from './steps.ts';

/** Options of {@link signV4a}: those of `sign` with a region set in place of the region. */
export interface SignV4aOptions extends Omit<SignOptions, 'region' | 'signingKeyCache' | 'revealSigningKey'> {
  /** The regions the signature is valid in: a region, `*`, a wildcard like `us-*`, or a list; sent as `X-Amz-Region-Set`. */
  regionSet: string | readonly string[];
  /** Sign with this P-256 private key instead of the one derived from the credentials (as aws-c-auth's test suite does). */
  privateKey?: KeyObject | undefined;
}

/** Options of {@link presignV4a}. */
export interface PresignV4aOptions extends SignV4aOptions {
  /** `X-Amz-Expires`, in seconds: 1 to 604800 (7 days). Default 3600. */
  expiresIn?: number | undefined;
}

/** What {@link signV4a} returns: {@link SignResult} plus the region set and the public key that verifies it. */
export interface SignV4aResult extends SignResult {
  /** The signed `X-Amz-Region-Set` value. */
  regionSet: string;
  /** The public key a service verifies the signature with. */
  publicKey: KeyObject;
}

/** What {@link presignV4a} returns. */
export interface PresignV4aResult extends Omit<SignV4aResult, 'authorization'> {
  /** The presigned URL (query authentication). */
  url: string;
}

/**
 * Signs a request with SigV4a (`AWS4-ECDSA-P256-SHA256`): the canonical request of SigV4, a
 * region-less scope, the signed region set, and an ECDSA P-256 signature under a key derived from
 * the secret access key — so one signature is valid in every region of the set (S3 Multi-Region
 * Access Points, global endpoints).
 *
 * @example
 * ```ts
 * const { request: signed } = await signV4a(
 *   { method: 'GET', url: 'https://example.amazonaws.com/' },
 *   { credentials, regionSet: '*', service: 's3' },
 * );
 * ```
 */
export async function signV4a(request: HttpRequest | SdkHttpRequest, options: SignV4aOptions): Promise<SignV4aResult> {
  const { input, regionSet, keyPair } = await prepareV4a(request, options, addSigningHeaders);
  const steps = computeV4a(input, keyPair);
  const authorization = `${ALGORITHM_V4A} Credential=${input.credentials.accessKeyId}/${steps.credentialScope}, SignedHeaders=${steps.signedHeaders}, Signature=${steps.signature}`;
  const finalHeaders: HeaderEntry[] = [...input.headers, ...input.headersAfterSigning, ['Authorization', authorization]];
  const result: SignV4aResult = withWorking(
    { request: signedRequestWithHeaders(request, input, finalHeaders), authorization, regionSet, publicKey: keyPair.publicKey },
    input,
    steps,
  );
  if (options.trace) result.trace = traceOf(input, steps, regionSet, { authorization, finalHeaders });
  return result;
}

/**
 * Presigns a request with SigV4a: the `X-Amz-*` values, `X-Amz-Region-Set` and the ECDSA signature
 * travel in the query string.
 *
 * @example
 * ```ts
 * const { url } = await presignV4a({ method: 'GET', url: 'https://example.amazonaws.com/' },
 *   { credentials, regionSet: 'us-east-1', service: 'service', expiresIn: 3600 });
 * ```
 */
export async function presignV4a(request: HttpRequest | SdkHttpRequest, options: PresignV4aOptions): Promise<PresignV4aResult> {
  const { input, regionSet, keyPair } = await prepareV4a(request, options, hoistV4aIntoQuery);
  const steps = computeV4a(input, keyPair);
  const url = presignedUrl(input, [...input.addedQuery, ...input.queryAfterSigning, [QUERY.signature, steps.signature]]);
  const out: PresignV4aResult['request'] = { method: input.method, url, headers: headersToObject(input.headers) };
  const body = (request as HttpRequest).body;
  if (body !== undefined) out.body = body;
  const result: PresignV4aResult = withWorking({ request: out, url, regionSet, publicKey: keyPair.publicKey }, input, steps);
  if (options.trace) result.trace = traceOf(input, steps, regionSet, { url });
  return result;
}

/**
 * Steps 1 to 4 of SigV4a: steps 1–2 are SigV4's ({@link canonicalRequestSteps}); the string to
 * sign names the ECDSA algorithm and the region-less scope; step 4 is an ECDSA signature.
 */
export function computeV4a(input: Prepared, keyPair: V4aKeyPair): V4aSteps {
  const c = canonicalRequestSteps(input); // steps 1–2, shared with SigV4
  const scope = credentialScopeV4a(input.time.dateStamp, input.service);
  const sts = stringToSignV4a(input.time.amzDate, scope, c.canonicalRequestHash); // step 3
  return {
    ...c,
    credentialScope: scope,
    stringToSign: sts,
    keyPair,
    signature: ecdsaSignature(keyPair.privateKey, sts), // step 4
  };
}

// SigV4's preparation checks a region for its scope; SigV4a has none, so a fixed valid one stands in
// and is never signed: the scope SigV4a signs is region-less (below) and the region set replaces it.
const NO_REGION = 'aws-global';

/** Presign's query hoisting with SigV4a's algorithm and region-less credential scope. */
const hoistV4aIntoQuery: AddAuthentication = (draft, options) =>
  hoistIntoQuery(draft, options, ALGORITHM_V4A, credentialScopeV4a(draft.time.dateStamp, draft.service));

/**
 * Everything before step 1, as for SigV4 (`prepareSigning`, ending with sign's headers or presign's
 * query), plus the signed `X-Amz-Region-Set`.
 */
async function prepareV4a(
  request: HttpRequest | SdkHttpRequest,
  options: PresignV4aOptions,
  add: AddAuthentication,
): Promise<{ input: Prepared; regionSet: string; keyPair: V4aKeyPair }> {
  if (typeof options !== 'object' || options === null) {
    throw new SigV4Error('INVALID_OPTION', 'options: expected { credentials, regionSet, service, … }');
  }
  const regionSet = regionSetValue(options.regionSet);
  const { regionSet: _set, privateKey, ...rest } = options;
  const prepared = await prepareSigning(withRegionSet(request, regionSet), { ...rest, region: NO_REGION }, add);
  const input: Prepared = { ...prepared, region: regionSet };
  let keyPair: V4aKeyPair;
  if (privateKey !== undefined) {
    if (
      typeof privateKey !== 'object' ||
      privateKey === null ||
      (privateKey as KeyObject).type !== 'private' ||
      (privateKey as KeyObject).asymmetricKeyType !== 'ec'
    ) {
      throw new SigV4Error('INVALID_OPTION', 'privateKey: expected a P-256 private KeyObject (crypto.createPrivateKey)');
    }
    const jwk = privateKey.export({ format: 'jwk' });
    keyPair = keyPairFromScalar(Buffer.from(jwk.d ?? '', 'base64url'));
  } else {
    keyPair = v4aKeyPair(prepared.credentials.accessKeyId, prepared.credentials.secretAccessKey, prepared.hash);
  }
  return { input, regionSet, keyPair };
}

/** The request with `X-Amz-Region-Set` added (one it already carries must agree with the option). */
function withRegionSet(request: HttpRequest | SdkHttpRequest, regionSet: string): HttpRequest | SdkHttpRequest {
  if (typeof request !== 'object' || request === null) return request; // prepareSigning reports it
  const entries = readHeaders(request.headers as HttpRequest['headers']);
  const existing = headerValue(entries, REGION_SET_HEADER.toLowerCase());
  if (existing !== undefined) {
    if (existing.trim() !== regionSet) {
      throw new SigV4Error(
        'INVALID_REGION',
        `regionSet: the request already carries X-Amz-Region-Set ${existing.trim()}, but regionSet says ${regionSet}; remove one`,
      );
    }
    return request;
  }
  if (isSdkHttpRequest(request)) {
    const clone = Object.assign(Object.create(Object.getPrototypeOf(request) as object) as object, request);
    return Object.assign(clone, { headers: { ...request.headers, [REGION_SET_HEADER]: regionSet } }) as SdkHttpRequest;
  }
  return { ...request, headers: [...entries, [REGION_SET_HEADER, regionSet]] };
}

function traceOf(
  input: Prepared,
  steps: V4aSteps,
  regionSet: string,
  final: { authorization?: string; finalHeaders?: readonly HeaderEntry[]; url?: string },
): TraceStep[] {
  return v4aTrace(input, steps, regionSet, (sigv4Like) => signTrace({ ...input, revealSigningKey: false }, sigv4Like, final));
}
