import { readAuthorizationHeader } from '../authorization-header.ts';
import type { HeaderEntry } from '../canonical-headers.ts';
import { ALGORITHM, AMZ_DATE, AUTHORIZATION, HOST, QUERY, SCOPE_TERMINATOR } from '../constants.ts';
import { SigV4Error } from '../errors.ts';
import { headerValue, readRequest } from '../request.ts';
import { utf8 } from '../text.ts';
import type { HeadersInput } from '../types.ts';
import { uriDecodeText } from '../uri-encode.ts';

/** A request as it was captured, already signed: its Authorization header, or a presigned URL. */
export interface SignedRequestInput {
  /** The HTTP method, as sent. */
  readonly method: string;
  /** Absolute (`https://host/path?query`) or origin-form (`/path?query`, with a `Host` header), as sent. */
  readonly url: string;
  /** The headers as sent; a repeated header is an array of its values in order. */
  readonly headers?: HeadersInput | undefined;
  /** The body's bytes (a string is UTF-8); absent means empty. */
  readonly body?: string | Uint8Array | undefined;
}

/** What a signed request claims, and its parts as they arrived: the starting point of a reconstruction. */
export interface CapturedRequest {
  readonly mode: 'header' | 'query';
  readonly method: string;
  /** `https`, `http`, or undefined for an origin-form URL. */
  readonly scheme: string | undefined;
  /** The URL's `host[:port]`, when the URL is absolute. */
  readonly authority: string | undefined;
  readonly path: string;
  /** The raw query, without `?`. */
  readonly query: string;
  readonly headers: readonly HeaderEntry[];
  readonly body: Uint8Array;
  readonly accessKeyId: string;
  readonly dateStamp: string;
  readonly region: string;
  readonly service: string;
  /** The SignedHeaders list exactly as the client wrote it. */
  readonly signedHeaders: string;
  readonly signature: string;
  /** X-Amz-Date (header, or query of a presigned URL), when present. */
  readonly amzDate: string | undefined;
}

/**
 * Takes a signed request apart: the Credential scope, SignedHeaders and Signature from the
 * Authorization header or the X-Amz-* query parameters of a presigned URL. Throws `INVALID_REQUEST`
 * naming what is missing when the request carries no SigV4 signature.
 *
 * @example
 * ```ts
 * readCapturedRequest({ method: 'GET', url: 'https://bucket.s3.amazonaws.com/key?X-Amz-Signature=…&…' }).mode; // 'query'
 * ```
 */
export function readCapturedRequest(request: SignedRequestInput): CapturedRequest {
  const parts = readRequest({ method: request.method, url: request.url, headers: request.headers });
  const body = request.body === undefined ? new Uint8Array() : utf8(request.body);
  const authorization = headerValue(parts.headers, AUTHORIZATION);
  let mode: 'header' | 'query';
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  if (authorization !== undefined) {
    mode = 'header';
    const header = readAuthorizationHeader(authorization);
    if (header?.algorithm !== ALGORITHM) {
      throw new SigV4Error(
        'INVALID_REQUEST',
        `reconstruct: the Authorization header is not ${ALGORITHM} (SigV4a and SigV2 are not reconstructed)`,
      );
    }
    credential = header.credential;
    signedHeaders = header.signedHeaders;
    signature = header.signature;
    amzDate = headerValue(parts.headers, AMZ_DATE)?.trim();
  } else {
    mode = 'query';
    const params = new Map<string, string>();
    for (const piece of parts.query.split('&')) {
      const eq = piece.indexOf('=');
      if (eq > 0) params.set(uriDecodeText(piece.slice(0, eq)), uriDecodeText(piece.slice(eq + 1)));
    }
    if (!params.has(QUERY.signature)) {
      throw new SigV4Error(
        'INVALID_REQUEST',
        'reconstruct: the request has neither an Authorization header nor X-Amz-Signature in its query: give the request as it was sent, signed',
      );
    }
    credential = params.get(QUERY.credential);
    signedHeaders = params.get(QUERY.signedHeaders);
    signature = params.get(QUERY.signature);
    amzDate = params.get(QUERY.date);
  }
  const scope = credential?.split('/') ?? [];
  if (scope.length !== 5 || scope.some((p) => p === '') || scope[4] !== SCOPE_TERMINATOR) {
    throw new SigV4Error(
      'INVALID_REQUEST',
      "reconstruct: the request's Credential is not AccessKeyId/YYYYMMDD/region/service/aws4_request",
    );
  }
  if (signedHeaders === undefined || signedHeaders === '')
    throw new SigV4Error('INVALID_REQUEST', 'reconstruct: the request has no SignedHeaders');
  if (signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature))
    throw new SigV4Error('INVALID_REQUEST', "reconstruct: the request's Signature is not 64 hex digits");
  const [accessKeyId, dateStamp, region, service] = scope as [string, string, string, string];
  return {
    mode,
    method: parts.method,
    scheme: parts.scheme,
    authority: parts.authority,
    path: parts.path,
    query: parts.query,
    headers: parts.headers,
    body,
    accessKeyId,
    dateStamp,
    region,
    service,
    signedHeaders,
    signature: signature.toLowerCase(),
    amzDate,
  };
}

/** The Host the request names: its Host header, else the URL's authority. */
export function capturedHost(captured: CapturedRequest): string | undefined {
  return headerValue(captured.headers, HOST)?.trim() ?? captured.authority;
}
