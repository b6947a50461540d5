import type { EncodedParameter } from './canonical-query.ts';
import { QUERY } from './constants.ts';
import { headersToObject, type SdkHttpRequest } from './request.ts';
import { computeSignature, withWorking } from './sign.ts';
import { signTrace } from './sign-trace.ts';
import { prepareSigning, type Prepared } from './signing-input.ts';
import type { HttpRequest, PresignOptions, PresignResult } from './types.ts';
import { uriDecodeText } from './uri-encode.ts';

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
  const prepared = prepareSigning(request, options, 'query');
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
