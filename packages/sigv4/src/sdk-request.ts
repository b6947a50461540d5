import type { HttpRequest } from '@smithy/protocol-http';
import type { DateInput, HttpRequest as IHttpRequest, QueryParameterBag } from '@smithy/types';
import { AMZ_CONTENT_SHA256, UNSIGNED_PAYLOAD } from './constants.ts';
import { SigV4Error } from './errors.ts';
import type { Sha256 } from './hash.ts';
import { payloadHashSync } from './payload-hash.ts';

/**
 * How `@smithy/signature-v4`'s `SignatureV4` reads an SDK request, so that {@link GlassboxSigner}
 * signs what it would: which headers it writes itself, where the payload hash comes from, and what
 * a `signingDate` means. Each rule names the SignatureV4 function it mirrors.
 */

// Headers the signer writes itself: a stale copy from an earlier attempt must not be reused (smithy `GENERATED_HEADERS`, `prepareRequest`).
const GENERATED_HEADERS = new Set(['authorization', 'x-amz-date', 'date']);

/**
 * A clone of the request without the headers the signer writes (a retry carries the last
 * attempt's `authorization` and `x-amz-date`), so the caller's request is never changed.
 *
 * @example
 * ```ts
 * const request = sdkRequestToSign(args.request); // an HttpRequest without authorization, x-amz-date, date
 * ```
 */
export function sdkRequestToSign(request: IHttpRequest): HttpRequest {
  if (typeof request !== 'object' || request === null || typeof request.headers !== 'object' || request.headers === null) {
    throw new SigV4Error('INVALID_REQUEST', 'request: expected an @smithy/protocol-http HttpRequest');
  }
  const clone = cloneLikeSmithy(request);
  for (const name of Object.keys(clone.headers)) if (GENERATED_HEADERS.has(name.toLowerCase())) delete clone.headers[name];
  return clone;
}

/**
 * What `HttpRequest.clone` of `@smithy/protocol-http` returns, written out so that the signer loads no
 * `@smithy` module (`@smithy/protocol-http` now pulls in all of `@smithy/core` for this one function):
 * the constructor's defaults and path and protocol normalisation, fresh `headers` and `query` (arrays
 * copied), and the request's own prototype, so an `HttpRequest` stays one (its `clone()` included).
 */
function cloneLikeSmithy(request: IHttpRequest): HttpRequest {
  const { protocol, path } = request;
  return Object.assign(Object.create(Object.getPrototypeOf(request) as object) as HttpRequest, {
    method: request.method || 'GET',
    protocol: protocol ? (protocol.slice(-1) !== ':' ? `${protocol}:` : protocol) : 'https:',
    hostname: request.hostname || 'localhost',
    port: request.port,
    path: path ? (path.charAt(0) !== '/' ? `/${path}` : path) : '/',
    query: cloneQuery(request.query || {}),
    headers: { ...request.headers },
    username: request.username,
    password: request.password,
    fragment: request.fragment,
    body: request.body as unknown,
  });
}

function cloneQuery(query: QueryParameterBag): QueryParameterBag {
  const copy: QueryParameterBag = {};
  for (const name of Object.keys(query)) {
    const value = query[name];
    copy[name] = Array.isArray(value) ? [...value] : (value as string | null);
  }
  return copy;
}

/**
 * The `x-amz-content-sha256` the request declares (any case), exactly as written: the SDK sets it to
 * say how the body travels (`STREAMING-UNSIGNED-PAYLOAD-TRAILER` for flexible checksums,
 * `STREAMING-AWS4-HMAC-SHA256-EVENTS` for event streams, `UNSIGNED-PAYLOAD`, or a hex hash it
 * computed), and the service compares the signature against that value (smithy `getPayloadHash`).
 *
 * @example
 * ```ts
 * declaredContentSha256({ 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' }); // 'UNSIGNED-PAYLOAD'
 * ```
 */
export function declaredContentSha256(headers: Record<string, string | undefined>): string | undefined {
  for (const name of Object.keys(headers)) if (name.toLowerCase() === AMZ_CONTENT_SHA256) return headers[name];
  return undefined;
}

/**
 * The payload hash of a request that declares none: the hex SHA-256 of an in-memory body (string,
 * bytes, `ArrayBuffer`; none is the empty body), else `UNSIGNED-PAYLOAD` — a stream can be read
 * only once, and the SDK still has to send it (smithy `getPayloadHash`).
 *
 * @example
 * ```ts
 * undeclaredPayloadHash(fs.createReadStream('f'), nodeSha256); // 'UNSIGNED-PAYLOAD'
 * ```
 */
export function undeclaredPayloadHash(body: unknown, hash: Sha256): string {
  const inMemory =
    body === undefined || body === null || typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body);
  return inMemory ? payloadHashSync(body as Parameters<typeof payloadHashSync>[0], hash)! : UNSIGNED_PAYLOAD;
}

/**
 * SignatureV4's reading of a `signingDate`: numbers (and numeric strings) are epoch *seconds*, other
 * strings are parsed as dates (smithy `toDate`).
 *
 * @example
 * ```ts
 * sdkSigningDate(1_764_392_400); // 2025-11-29T05:00:00.000Z
 * ```
 */
export function sdkSigningDate(input: DateInput | undefined): Date {
  if (input === undefined) return new Date();
  if (typeof input === 'number') return new Date(input * 1000);
  if (typeof input === 'string') return Number(input) ? new Date(Number(input) * 1000) : new Date(input);
  return input;
}
