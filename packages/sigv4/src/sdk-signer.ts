import { HttpRequest } from '@smithy/protocol-http';
import type {
  AwsCredentialIdentity,
  ChecksumConstructor,
  DateInput,
  HashConstructor,
  HttpRequest as IHttpRequest,
  Provider,
  RequestPresigner,
  RequestPresigningArguments,
  RequestSigner,
  RequestSigningArguments,
  SigningArguments,
  StringSigner,
} from '@smithy/types';
import { toAmzDate } from './amz-date.ts';
import { SigV4Error } from './errors.ts';
import type { Sha256Constructor } from './hash-js.ts';
import { presign } from './presign.ts';
import { sign } from './sign.ts';
import { signature } from './signature.ts';
import { deriveSigningKey } from './signing-key.ts';
import type { Credentials, PresignOptions, SignOptions } from './types.ts';
import { assertCredentials, hashFrom } from './validate.ts';

/** What {@link GlassboxSigner} is built from: the options of `@smithy/signature-v4`'s `SignatureV4`. */
export interface GlassboxSignerInit {
  /** Static credentials, or a provider the SDK resolves before every signature. */
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  /** The region, or a provider of it; `signingRegion` overrides it per call. */
  region: string | Provider<string>;
  /** The service signing name; `signingService` overrides it per call. */
  service: string;
  /**
   * A SHA-256 constructor. Used when it hashes synchronously (`digestSync`, as
   * `@aws-crypto/sha256-js` does); an async-only one (`@smithy/hash-node`) is accepted for
   * compatibility and replaced by `node:crypto`, which is what it wraps.
   */
  sha256?: ChecksumConstructor | HashConstructor | Sha256Constructor | undefined;
  /** Normalise and URI-encode the path (default true); false for S3, as in `SignatureV4`. */
  uriEscapePath?: boolean | undefined;
  /** Send `X-Amz-Content-Sha256` with the payload hash when signing headers (default true, as in `SignatureV4`). */
  applyChecksum?: boolean | undefined;
}

// Headers the signer writes itself: a stale copy from an earlier attempt must not be reused (smithy `GENERATED_HEADERS`).
const GENERATED_HEADERS = new Set(['authorization', 'x-amz-date', 'date']);

/**
 * A drop-in for `@smithy/signature-v4`'s `SignatureV4`: implements the SDK's `RequestSigner`,
 * `RequestPresigner` and `StringSigner`, so any AWS SDK for JavaScript v3 client can sign with
 * Glassbox (`new ECRClient({ signer: new GlassboxSigner({ … }) })`). Requests come in and go out
 * as `@smithy/protocol-http` `HttpRequest`s; the signing itself is {@link sign} and {@link presign}.
 *
 * Streamed bodies are signed as `UNSIGNED-PAYLOAD`, as `SignatureV4` does, so the SDK can still send
 * them. With `uriEscapePath: false` the path is encoded once (S3), where `SignatureV4` takes it
 * verbatim: the same for the paths the SDK builds, which are already encoded.
 *
 * @example
 * ```ts
 * import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
 * const signer = new GlassboxSigner({ credentials, region: 'us-east-1', service: 'ecr' });
 * const ecr = new ECRClient({ region: 'us-east-1', credentials, signer });
 * await ecr.send(new GetAuthorizationTokenCommand({}));
 * ```
 */
export class GlassboxSigner implements RequestSigner, RequestPresigner, StringSigner {
  private readonly credentialProvider: Provider<AwsCredentialIdentity>;
  private readonly regionProvider: Provider<string>;
  private readonly service: string;
  private readonly sha256: Sha256Constructor | undefined;
  private readonly uriEscapePath: boolean;
  private readonly applyChecksum: boolean;

  constructor({ credentials, region, service, sha256, uriEscapePath = true, applyChecksum = true }: GlassboxSignerInit) {
    if (typeof service !== 'string' || service === '') throw new SigV4Error('INVALID_SERVICE', 'service: expected the signing name, e.g. ecr');
    this.credentialProvider = typeof credentials === 'function' ? credentials : async () => credentials;
    this.regionProvider = typeof region === 'function' ? region : async () => region;
    this.service = service;
    this.sha256 = typeof sha256 === 'function' && typeof (sha256.prototype as { digestSync?: unknown } | undefined)?.digestSync === 'function' ? (sha256 as Sha256Constructor) : undefined;
    this.uriEscapePath = uriEscapePath;
    this.applyChecksum = applyChecksum;
  }

  /**
   * Signs a request in the `Authorization` header (or, given a string, signs that string to sign).
   *
   * @example
   * ```ts
   * const signed = await signer.sign(new HttpRequest({ method: 'GET', hostname: 'example.com', path: '/', headers: { host: 'example.com' } }));
   * ```
   */
  sign(requestToSign: IHttpRequest, options?: RequestSigningArguments): Promise<IHttpRequest>;
  sign(stringToSign: string, options?: SigningArguments): Promise<string>;
  async sign(input: IHttpRequest | string, options: RequestSigningArguments = {}): Promise<IHttpRequest | string> {
    if (typeof input === 'string') return this.signString(input, options);
    const result = await sign(withoutGeneratedHeaders(input), {
      ...(await this.commonOptions(input, options)),
      contentSha256Header: this.applyChecksum,
    });
    return result.request as unknown as HttpRequest;
  }

  /**
   * Presigns a request: `X-Amz-*` headers, the credential and the signature move into the query.
   * `expiresIn` defaults to 3600 seconds; more than 604800 is an error. `unhoistableHeaders` keep
   * their `x-amz-*` headers as (signed) headers, `hoistableHeaders` move others into the query, as in
   * `SignatureV4`.
   *
   * @example
   * ```ts
   * const presigned = await signer.presign(request, { expiresIn: 900 });
   * ```
   */
  async presign(originalRequest: IHttpRequest, options: RequestPresigningArguments = {}): Promise<IHttpRequest> {
    const request = withoutGeneratedHeaders(originalRequest);
    // Headers named in hoistableHeaders travel in the query, signed, as in SignatureV4.
    for (const name of options.hoistableHeaders ?? []) {
      for (const key of Object.keys(request.headers)) {
        if (key.toLowerCase() === name.toLowerCase() && !key.toLowerCase().startsWith('x-amz-')) {
          request.query[key] = request.headers[key]!;
          delete request.headers[key];
        }
      }
    }
    const presignOptions: PresignOptions = {
      ...(await this.commonOptions(request, options)),
      expiresIn: options.expiresIn ?? 3600,
      unhoistableHeaders: options.unhoistableHeaders,
    };
    const result = await presign(request, presignOptions);
    return result.request as unknown as HttpRequest;
  }

  private async commonOptions(request: IHttpRequest, options: RequestSigningArguments): Promise<SignOptions> {
    const credentials = await this.credentials();
    const region = options.signingRegion ?? (await this.regionProvider());
    const out: SignOptions = {
      credentials,
      region,
      service: options.signingService ?? this.service,
      date: toDate(options.signingDate ?? new Date()),
      doubleEncode: this.uriEscapePath,
      normalizePath: this.uriEscapePath,
      sha256: this.sha256,
      unsignableHeaders: options.unsignableHeaders,
      signableHeaders: options.signableHeaders,
    };
    // A stream can be read only once, and the SDK still has to send it: sign UNSIGNED-PAYLOAD, as SignatureV4 does.
    if (!isInMemory(request.body)) out.unsignedPayload = true;
    return out;
  }

  private async signString(stringToSign: string, options: SigningArguments): Promise<string> {
    const credentials = await this.credentials();
    const region = options.signingRegion ?? (await this.regionProvider());
    const { dateStamp } = toAmzDate(toDate(options.signingDate ?? new Date()), 'signingDate');
    const hash = hashFrom(this.sha256);
    const key = deriveSigningKey(credentials.secretAccessKey, dateStamp, region, options.signingService ?? this.service, hash);
    return signature(key, stringToSign, hash);
  }

  private async credentials(): Promise<Credentials> {
    const identity: unknown = await this.credentialProvider();
    assertCredentials(identity);
    return { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, sessionToken: identity.sessionToken };
  }
}

/**
 * `GlassboxSigner` under the name of the class it replaces, for code written against
 * `@smithy/signature-v4`.
 *
 * @example
 * ```ts
 * import { SignatureV4 } from '@glassbox/sigv4';
 * const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'ecr', sha256: Sha256 });
 * ```
 */
export const SignatureV4 = GlassboxSigner;
/** The instance type of {@link SignatureV4}. */
export type SignatureV4 = GlassboxSigner;

function withoutGeneratedHeaders(request: IHttpRequest): HttpRequest {
  if (typeof request !== 'object' || request === null) throw new SigV4Error('INVALID_REQUEST', 'request: expected an @smithy/protocol-http HttpRequest');
  const clone = HttpRequest.clone(request);
  for (const name of Object.keys(clone.headers)) if (GENERATED_HEADERS.has(name.toLowerCase())) delete clone.headers[name];
  return clone;
}

function isInMemory(body: unknown): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body);
}

// SignatureV4's reading of a DateInput: numbers (and numeric strings) are epoch *seconds*.
function toDate(input: DateInput): Date {
  if (typeof input === 'number') return new Date(input * 1000);
  if (typeof input === 'string') return Number(input) ? new Date(Number(input) * 1000) : new Date(input);
  return input;
}
