import { signedHeaderNames, type HeaderEntry } from './canonical-headers.ts';
import type { EncodedParameter } from './canonical-query.ts';
import { ALGORITHM, AMZ_DATE, AMZ_SECURITY_TOKEN, DEFAULT_PRESIGN_SECONDS, MAX_PRESIGN_SECONDS, QUERY } from './constants.ts';
import { credentialScope } from './credential-scope.ts';
import { SigV4Error } from './errors.ts';
import { encodedCredential } from './fast-paths.ts';
import { headersToObject, type SdkHttpRequest } from './request.ts';
import { computeSignature, withWorking } from './sign.ts';
import { signTrace } from './sign-trace.ts';
import { lowerCaseNames, prepareSigning, type Prepared, type PreparedDraft } from './signing-input.ts';
import type { HttpRequest, PresignOptions, PresignResult } from './types.ts';
import { uriDecodeText, uriEncode } from './uri-encode.ts';

/**
 * Presigns a request: the same steps as {@link sign}, with the `X-Amz-*` values and the signature
 * carried in the query string, so the URL alone grants access until `expiresIn` seconds pass
 * (1 to 604800; the AWS SDKs refuse longer too).
 *
 * @example
 * ```ts
 * const { url } = await presign(
 *   { method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt' },
 *   { credentials, region: 'us-east-1', service: 's3', expiresIn: 86400,
 *     doubleEncode: false, normalizePath: false, unsignedPayload: true },
 * );
 * ```
 */
export async function presign(request: HttpRequest | SdkHttpRequest, options: PresignOptions): Promise<PresignResult> {
  const prepared = prepareSigning(request, options, hoistIntoQuery); // step 0
  const input = prepared instanceof Promise ? await prepared : prepared; // no await (and no extra tick) when nothing is pending
  const steps = computeSignature(input); // steps 1–4
  // Step 5: the signature is the last query parameter; an unsigned token follows it.
  const appended: EncodedParameter[] = [];
  for (const parameter of input.addedQuery) appended.push(parameter);
  for (const parameter of input.queryAfterSigning) appended.push(parameter);
  appended.push([QUERY.signature, steps.signature]);
  const url = presignedUrl(input, appended);

  let signedRequest: PresignResult['request'];
  if (input.sdkRequest) {
    const sdk = request as SdkHttpRequest;
    const sdkQuery: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(sdk.query ?? {}))
      if (value !== null && value !== undefined) sdkQuery[key] = typeof value === 'string' ? value : [...value];
    for (const [key, value] of appended) sdkQuery[uriDecodeText(key)] = uriDecodeText(value);
    const sdkHeaders = Object.fromEntries(input.headers.map(([n, v]) => [n, v]));
    signedRequest = Object.assign(Object.create(Object.getPrototypeOf(sdk) as object) as object, sdk, {
      headers: sdkHeaders,
      query: sdkQuery,
    }) as unknown as PresignResult['request'];
  } else {
    signedRequest = { method: input.method, url, headers: headersToObject(input.headers) };
    if ((request as HttpRequest).body !== undefined) signedRequest.body = (request as HttpRequest).body;
  }
  const result: PresignResult = withWorking({ request: signedRequest, url }, input, steps);
  if (options.trace) result.trace = signTrace(input, steps, { url });
  return result;
}

/**
 * The end of step 0 for the query form. A URL cannot carry headers, so what `sign` would add as
 * headers travels in the query, as the AWS SDKs do: `X-Amz-Algorithm`, `X-Amz-Credential`,
 * `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, then the request's own `x-amz-*` headers
 * (except those named in `unhoistableHeaders`, which stay signed headers the URL's user must send)
 * and the session token. SigV4a passes its own algorithm and region-less scope.
 */
export function hoistIntoQuery(
  input: PreparedDraft,
  options: PresignOptions,
  algorithm: string = ALGORITHM,
  scope: string = credentialScope(input.time.dateStamp, input.region, input.service),
): void {
  const expiresIn = options.expiresIn ?? DEFAULT_PRESIGN_SECONDS;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) {
    throw new SigV4Error('EXPIRES_OUT_OF_RANGE', `expiresIn: expected whole seconds from 1 to ${MAX_PRESIGN_SECONDS} (7 days)`);
  }
  const signSessionToken = options.signSessionToken ?? true;
  const unhoistable = lowerCaseNames(options.unhoistableHeaders, 'unhoistableHeaders');
  const hoisted: EncodedParameter[] = [];
  const kept: HeaderEntry[] = [];
  for (const header of input.headers) {
    const [name, value] = header;
    const lower = name.toLowerCase();
    if (lower === AMZ_DATE)
      continue; // X-Amz-Date is a query parameter of its own
    else if (!lower.startsWith('x-amz-') || (unhoistable?.has(lower) && lower !== AMZ_SECURITY_TOKEN)) kept.push(header);
    else if (lower === AMZ_SECURITY_TOKEN && !signSessionToken) input.queryAfterSigning.push([QUERY.securityToken, uriEncode(value)]);
    else hoisted.push([uriEncode(name), uriEncode(value)]);
  }
  const added = input.addedQuery;
  added.push(
    [QUERY.algorithm, algorithm],
    [QUERY.credential, encodedCredential(`${input.credentials.accessKeyId}/${scope}`, uriEncode)],
    [QUERY.date, input.time.amzDate],
    [QUERY.expires, String(expiresIn)],
    [QUERY.signedHeaders, uriEncode(signedHeaderNames(kept, input.headerRules))],
  );
  for (const parameter of hoisted) added.push(parameter);
  const token = input.credentials.sessionToken;
  const hasToken = hoisted.some(([k]) => k.toLowerCase() === AMZ_SECURITY_TOKEN) || input.queryAfterSigning.length > 0;
  if (token && !hasToken) (signSessionToken ? added : input.queryAfterSigning).push([QUERY.securityToken, uriEncode(token)]);
  input.headers = kept;
  input.queryParameters = input.queryParameters.concat(added);
  input.expiresIn = expiresIn;
}

/**
 * The presigned URL: the request's own query as written, then the appended (already encoded)
 * `X-Amz-*` parameters, the signature last. SigV4a presigning assembles its URL the same way.
 *
 * @example
 * ```ts
 * presignedUrl(input, [...input.addedQuery, [QUERY.signature, signature]]);
 * // 'https://example.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256&…&X-Amz-Signature=…'
 * ```
 */
export function presignedUrl(input: Pick<Prepared, 'parts' | 'host'>, appended: readonly EncodedParameter[]): string {
  let query = input.parts.query;
  let separator = query === '' ? '' : '&';
  for (const [key, value] of appended) {
    query += `${separator}${key}=${value}`;
    separator = '&';
  }
  return `${input.parts.scheme ?? 'https'}://${input.host}${input.parts.path}?${query}`;
}
