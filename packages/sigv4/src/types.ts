import type { Sha256 } from './hash.ts';
import type { Sha256Constructor } from './hash-js.ts';
import type { SigningKeyCache } from './signing-key.ts';
import type { TraceStep } from './trace.ts';
import type { Credentials } from './credentials.ts';

export type { Credentials } from './credentials.ts';

/** Static credentials, or a (possibly async) provider called once per signature. */
export type CredentialsInput = Credentials | (() => Credentials | Promise<Credentials>);

/** A header value; a repeated header is an array of its values in order. */
export type HeaderValue = string | readonly string[];

/** Headers as a plain object (insertion order kept) or any iterable of `[name, value]` pairs (e.g. `Headers`). */
export type HeadersInput = { readonly [name: string]: HeaderValue | undefined } | Iterable<readonly [string, string]>;

/**
 * A request body: in memory (string, bytes), or streamed (Node `Readable`, any `AsyncIterable`),
 * which is hashed chunk by chunk and never held whole.
 */
export type Body = string | Uint8Array | ArrayBuffer | ArrayBufferView | AsyncIterable<Uint8Array | string> | null | undefined;

/**
 * The request to sign. `url` is absolute (`https://host/path?query`) or origin-form (`/path?query`,
 * the host then comes from the `Host` header). The path and query are taken exactly as written —
 * no URL parser rewrites them first, because the bytes you send are the bytes AWS signs.
 */
export interface HttpRequest {
  /** The HTTP method, e.g. `GET`; sent and signed as written. */
  method: string;
  /** Absolute (`https://host/path?query`) or origin-form (`/path?query`, with a `Host` header). */
  url: string;
  /** The headers to send, all signed except the ones proxies change (see {@link UNSIGNABLE_HEADERS}). */
  headers?: HeadersInput | undefined;
  /** The body, hashed for the payload hash; absent means empty. */
  body?: Body;
}

/** A signed request: the input with the signing headers (or query parameters) added. */
export interface SignedRequest {
  /** The HTTP method, unchanged. */
  method: string;
  /** The URL, unchanged (a presigned URL is in {@link PresignResult.url}). */
  url: string;
  /** The headers to send: the input's plus `Host`, `X-Amz-Date`, the token and `Authorization`. */
  headers: Record<string, string | string[]>;
  /** The body, unchanged. */
  body?: Body;
}

/** Options shared by {@link sign} and {@link presign}. */
export interface SignOptions {
  /** Static credentials or an async provider. */
  credentials: CredentialsInput;
  /** The region in the credential scope, e.g. `us-east-1`. */
  region: string;
  /** The signing name in the credential scope, e.g. `ecr`, `s3`, `execute-api`. */
  service: string;
  /** Signing time: a `Date`, an ISO 8601 string, epoch milliseconds, or `YYYYMMDDTHHMMSSZ`. Default: the request's `X-Amz-Date`, else now. */
  date?: Date | string | number | undefined;
  /** URI-encode the (already encoded) path a second time. Default true; S3 wants false. */
  doubleEncode?: boolean | undefined;
  /** Remove `.`/`..` segments and repeated `/` before encoding. Default true; S3 wants false. */
  normalizePath?: boolean | undefined;
  /** Sign `UNSIGNED-PAYLOAD` instead of the body's hash. */
  unsignedPayload?: boolean | undefined;
  /** A precomputed lower-case hex SHA-256 of the body (the body is then not read). */
  payloadHash?: string | undefined;
  /** Add (and sign) `X-Amz-Content-Sha256` with the payload hash, as S3 requires. Default false. */
  contentSha256Header?: boolean | undefined;
  /** Sign `X-Amz-Security-Token` (default true); false adds it after signing, as IoT and some services require. */
  signSessionToken?: boolean | undefined;
  /** Extra header names (any case) to leave unsigned. */
  unsignableHeaders?: Iterable<string> | undefined;
  /** Header names to sign even though they are unsignable by default. */
  signableHeaders?: Iterable<string> | undefined;
  /** Fill `trace` in the result with every step, its inputs and its output. */
  trace?: boolean | undefined;
  /** Show the derived signing key (hex) in the trace. Off by default: it signs anything for a day. */
  revealSigningKey?: boolean | undefined;
  /** SHA-256 implementation: `node:crypto` by default; pass `@aws-crypto/sha256-js`'s `Sha256` where there is none. */
  sha256?: Sha256Constructor | Sha256 | undefined;
  /** The signing-key cache to use; `false` derives the key every time. Default: a shared bounded cache. */
  signingKeyCache?: SigningKeyCache | false | undefined;
}

/** Options of {@link presign}. */
export interface PresignOptions extends SignOptions {
  /** `X-Amz-Expires`, in seconds: 1 to 604800 (7 days). Default 3600. */
  expiresIn?: number | undefined;
  /**
   * `x-amz-*` header names (any case) that stay headers instead of moving into the query, as
   * `@smithy/signature-v4`'s option of the same name: they stay signed, so whoever uses the URL must
   * send them (S3's SSE-C headers, for instance). The session token always goes in the query.
   */
  unhoistableHeaders?: Iterable<string> | undefined;
}

/** What {@link sign} returns: the signed request and every intermediate it computed. */
export interface SignResult {
  /** The signed request. */
  request: SignedRequest;
  /** The `Authorization` header value. */
  authorization: string;
  /** The hex signature. */
  signature: string;
  /** Step 1's output. */
  canonicalRequest: string;
  /** Step 3's output. */
  stringToSign: string;
  /** `YYYYMMDD/region/service/aws4_request`. */
  credentialScope: string;
  /** The `;`-joined lower-case names of the signed headers. */
  signedHeaders: string;
  /** The signing time as `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** The payload hash that was signed (hex, or `UNSIGNED-PAYLOAD`). */
  payloadHash: string;
  /** Every step with inputs and output, when `trace: true`. */
  trace?: TraceStep[];
}

/** What {@link presign} returns: {@link SignResult} with the presigned `url` and no `authorization`. */
export interface PresignResult extends Omit<SignResult, 'authorization'> {
  /** The presigned URL (query authentication). */
  url: string;
}
