import type { HttpRequest } from '@smithy/protocol-http';
import type {
  AwsCredentialIdentity,
  ChecksumConstructor,
  EventSigningArguments,
  FormattedEvent,
  HashConstructor,
  HttpRequest as IHttpRequest,
  MessageSigningArguments,
  Provider,
  RequestPresigner,
  RequestPresigningArguments,
  RequestSigner,
  RequestSigningArguments,
  SignableMessage,
  SignedMessage,
  SigningArguments,
  StringSigner,
} from '@smithy/types';
import { toAmzDate } from './amz-date.ts';
import { UNSIGNED_PAYLOAD } from './constants.ts';
import { credentialScope } from './credential-scope.ts';
import { SigV4Error } from './errors.ts';
import type { Sha256 } from './hash.ts';
import type { Sha256Constructor } from './hash-js.ts';
import { presign } from './presign.ts';
import { eventHeaderBytes, eventStringToSign } from './sdk-event-signer.ts';
import { declaredContentSha256, sdkRequestToSign, sdkSigningDate, undeclaredPayloadHash } from './sdk-request.ts';
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
  /** Send `x-amz-content-sha256` with the payload hash when signing headers (default true, as in `SignatureV4`). */
  applyChecksum?: boolean | undefined;
}

// S3 Express One Zone: the session token travels in its own header, never as X-Amz-Security-Token
// (@aws-sdk/signature-v4-multi-region SignatureV4SignWithCredentials).
const S3_SESSION_TOKEN_HEADER = 'x-amz-s3session-token';
const S3_SESSION_TOKEN_QUERY = 'X-Amz-S3session-Token';

/**
 * A drop-in for `@smithy/signature-v4`'s `SignatureV4`: implements the SDK's `RequestSigner`,
 * `RequestPresigner`, `StringSigner`, `EventSigner` and `MessageSigner`, plus the
 * `signWithCredentials` / `presignWithCredentials` of `@aws-sdk/signature-v4-multi-region` that
 * S3 Express One Zone calls, so any AWS SDK for JavaScript v3 client can sign with Glassbox
 * (`new S3Client({ signer: new GlassboxSigner({ … }) })`). Requests come in and go out as
 * `@smithy/protocol-http` `HttpRequest`s; the signing itself is {@link sign} and {@link presign}.
 *
 * What it signs is what `SignatureV4` signs, header for header:
 * - the payload hash is the request's own `x-amz-content-sha256` when it has one, whatever the
 *   body (the SDK's `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, `STREAMING-AWS4-HMAC-SHA256-EVENTS`,
 *   `UNSIGNED-PAYLOAD` or a hex hash); else the hash of an in-memory body, else `UNSIGNED-PAYLOAD`
 *   for a stream, which is left unread;
 * - it writes `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256` (with `applyChecksum`)
 *   and `authorization` in lower case, as `SignatureV4` does (the SDK's event-stream handler reads
 *   the seed signature from `headers.authorization`);
 * - with `uriEscapePath: false` the path is encoded once (S3), where `SignatureV4` takes it
 *   verbatim: the same for the paths the SDK builds, which are already encoded.
 * Where it differs: a request without a `host` header gets one, signed (SigV4 requires it).
 *
 * Presigning: `presign` with signing name `s3` and no `x-amz-content-sha256` on the request signs
 * `UNSIGNED-PAYLOAD`, as S3 expects of every presigned URL (`SignatureV4` would sign the hash of
 * the empty body). `@aws-sdk/s3-request-presigner`'s `getSignedUrl(client, command)` does **not**
 * use the client's `signer`: it builds an `S3RequestPresigner` from `client.config`, which builds
 * its own `SignatureV4MultiRegion` (a `SignatureV4` underneath), sets
 * `X-Amz-Content-Sha256: UNSIGNED-PAYLOAD` (hoisted into the URL), leaves `content-type` unsigned,
 * keeps `x-amz-server-side-encryption*` as signed headers and presigns for 900 seconds. Given that
 * same request and those options, `GlassboxSigner.presign` returns the same URL.
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
  private readonly hash: Sha256;
  private readonly uriEscapePath: boolean;
  private readonly applyChecksum: boolean;

  constructor({ credentials, region, service, sha256, uriEscapePath = true, applyChecksum = true }: GlassboxSignerInit) {
    if (typeof service !== 'string' || service === '')
      throw new SigV4Error('INVALID_SERVICE', 'service: expected the signing name, e.g. ecr');
    this.credentialProvider = typeof credentials === 'function' ? credentials : async () => credentials;
    this.regionProvider = typeof region === 'function' ? region : async () => region;
    this.service = service;
    this.sha256 =
      typeof sha256 === 'function' && typeof (sha256.prototype as { digestSync?: unknown } | undefined)?.digestSync === 'function'
        ? (sha256 as Sha256Constructor)
        : undefined;
    this.hash = hashFrom(this.sha256);
    this.uriEscapePath = uriEscapePath;
    this.applyChecksum = applyChecksum;
  }

  /**
   * Signs a request in the `authorization` header. Given a string, signs that string to sign; given
   * an event (`{ headers, payload }`) or a message (`{ message, priorSignature }`), signs it as
   * {@link signEvent} / {@link signMessage} do — the same dispatch as `SignatureV4.sign`, which the
   * SDK's event-stream handler relies on.
   *
   * @example
   * ```ts
   * const signed = await signer.sign(new HttpRequest({ method: 'GET', hostname: 'example.com', path: '/', headers: { host: 'example.com' } }));
   * ```
   */
  sign(requestToSign: IHttpRequest, options?: RequestSigningArguments): Promise<IHttpRequest>;
  sign(stringToSign: string, options?: SigningArguments & { eventStreamCredentials?: AwsCredentialIdentity | undefined }): Promise<string>;
  sign(event: FormattedEvent, options: EventSigningArguments): Promise<string>;
  sign(message: SignableMessage, options: MessageSigningArguments): Promise<SignedMessage>;
  async sign(
    input: IHttpRequest | string | FormattedEvent | SignableMessage,
    options: RequestSigningArguments | EventSigningArguments | MessageSigningArguments = {},
  ): Promise<IHttpRequest | string | SignedMessage> {
    if (typeof input === 'string') return this.signString(input, options);
    if (typeof input !== 'object' || input === null)
      throw new SigV4Error(
        'INVALID_REQUEST',
        'sign: expected an @smithy/protocol-http HttpRequest, a string to sign, an event or a message',
      );
    if ('payload' in input && input.headers !== undefined && input.payload !== undefined)
      return this.signEvent(input, options as EventSigningArguments);
    if ('message' in input && input.message !== undefined) return this.signMessage(input, options as MessageSigningArguments);
    return this.signRequest(input as IHttpRequest, await this.credentials(), options);
  }

  /**
   * Signs a request with credentials given for this one call: S3 Express One Zone's session
   * credentials, whose token goes in `x-amz-s3session-token` (signed) and never in
   * `x-amz-security-token` — what `@aws-sdk/middleware-sdk-s3` calls on the client's `signer`.
   *
   * @example
   * ```ts
   * const signed = await signer.signWithCredentials(request, { accessKeyId, secretAccessKey, sessionToken });
   * ```
   */
  async signWithCredentials(
    requestToSign: IHttpRequest,
    credentials: AwsCredentialIdentity,
    options: RequestSigningArguments = {},
  ): Promise<IHttpRequest> {
    const request = sdkRequestToSign(requestToSign);
    const session = checkedCredentials(credentials);
    if (session.sessionToken !== undefined) request.headers[S3_SESSION_TOKEN_HEADER] = session.sessionToken;
    return this.signRequest(request, withoutToken(session), options);
  }

  /**
   * Presigns with credentials given for this one call (S3 Express One Zone): the session token
   * travels in the `X-Amz-S3session-Token` query parameter, signed.
   *
   * @example
   * ```ts
   * const presigned = await signer.presignWithCredentials(request, sessionCredentials, { expiresIn: 300 });
   * ```
   */
  async presignWithCredentials(
    requestToSign: IHttpRequest,
    credentials: AwsCredentialIdentity,
    options: RequestPresigningArguments = {},
  ): Promise<IHttpRequest> {
    const request = sdkRequestToSign(requestToSign);
    const session = checkedCredentials(credentials);
    for (const name of Object.keys(request.headers)) if (name.toLowerCase() === S3_SESSION_TOKEN_HEADER) delete request.headers[name];
    if (session.sessionToken !== undefined) request.headers[S3_SESSION_TOKEN_QUERY] = session.sessionToken;
    return this.presignRequest(request, withoutToken(session), options);
  }

  /**
   * Presigns a request: `X-Amz-*` headers, the credential and the signature move into the query.
   * `expiresIn` defaults to 3600 seconds; more than 604800 is an error. `unhoistableHeaders` keep
   * their `x-amz-*` headers as (signed) headers, `hoistableHeaders` move others into the query, as in
   * `SignatureV4`. For S3 without a declared `x-amz-content-sha256`, the payload is `UNSIGNED-PAYLOAD`.
   *
   * @example
   * ```ts
   * const presigned = await signer.presign(request, { expiresIn: 900 });
   * ```
   */
  async presign(originalRequest: IHttpRequest, options: RequestPresigningArguments = {}): Promise<IHttpRequest> {
    return this.presignRequest(sdkRequestToSign(originalRequest), await this.credentials(), options);
  }

  /**
   * Signs one event of an event stream: `headers` are the encoded headers of the wrapping message
   * (its `:date`), `payload` the encoded event; the result chains on `priorSignature`.
   *
   * @example
   * ```ts
   * const signature = await signer.signEvent({ headers: eventHeaderBytes({ ':date': { type: 'timestamp', value: now } }), payload }, { signingDate: now, priorSignature });
   * ```
   */
  async signEvent(event: FormattedEvent, options: EventSigningArguments): Promise<string> {
    const date = sdkSigningDate(options.signingDate);
    const region = options.signingRegion ?? (await this.regionProvider());
    const service = options.signingService ?? this.service;
    const credentials =
      options.eventStreamCredentials === undefined ? await this.credentials() : checkedCredentials(options.eventStreamCredentials);
    const { amzDate, dateStamp } = toAmzDate(date, 'signingDate');
    const toSign = eventStringToSign(
      amzDate,
      credentialScope(dateStamp, region, service),
      options.priorSignature,
      event.headers,
      event.payload ?? new Uint8Array(0),
      this.hash,
    );
    return signature(deriveSigningKey(credentials.secretAccessKey, dateStamp, region, service, this.hash), toSign, this.hash);
  }

  /**
   * Signs one event-stream message (its headers, such as `:date`, and its body) on the prior
   * signature, as the SDK's event-stream handler asks for each event it sends.
   *
   * @example
   * ```ts
   * const { signature } = await signer.signMessage({ message: { headers: { ':date': { type: 'timestamp', value: now } }, body }, priorSignature }, { signingDate: now });
   * ```
   */
  async signMessage(signableMessage: SignableMessage, options: MessageSigningArguments): Promise<SignedMessage> {
    const { message, priorSignature } = signableMessage;
    const event = { headers: eventHeaderBytes(message.headers), payload: message.body };
    const signatureHex = await this.signEvent(event, { ...options, priorSignature });
    return { message, signature: signatureHex };
  }

  private async signRequest(input: IHttpRequest, credentials: Credentials, options: RequestSigningArguments): Promise<IHttpRequest> {
    const request = sdkRequestToSign(input);
    const { amzDate } = toAmzDate(sdkSigningDate(options.signingDate), 'signingDate');
    // The headers SignatureV4 writes, named as it names them; sign() then finds them and adds none.
    request.headers['x-amz-date'] = amzDate;
    if (credentials.sessionToken) request.headers['x-amz-security-token'] = credentials.sessionToken;
    const signOptions = await this.commonOptions(credentials, options);
    signOptions.contentSha256Header = false;
    if (declaredContentSha256(request.headers) === undefined) {
      signOptions.payloadHash = undeclaredPayloadHash(request.body, this.hash);
      if (this.applyChecksum) request.headers['x-amz-content-sha256'] = signOptions.payloadHash;
    } // else sign() signs the declared value, and never reads the body
    const result = await sign(request, signOptions);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((result.request as unknown as HttpRequest).headers))
      if (name !== 'Authorization') headers[name] = value;
    headers.authorization = result.authorization;
    request.headers = headers;
    return request;
  }

  private async presignRequest(request: HttpRequest, credentials: Credentials, options: RequestPresigningArguments): Promise<IHttpRequest> {
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
      ...(await this.commonOptions(credentials, options)),
      date: sdkSigningDate(options.signingDate),
      expiresIn: options.expiresIn ?? 3600,
      unhoistableHeaders: options.unhoistableHeaders,
    };
    if (declaredContentSha256(request.headers) === undefined) {
      const service = options.signingService ?? this.service;
      // A presigned S3 URL is made before its body exists: S3 expects UNSIGNED-PAYLOAD (S3RequestPresigner sets it).
      presignOptions.payloadHash = service === 's3' ? UNSIGNED_PAYLOAD : undeclaredPayloadHash(request.body, this.hash);
    }
    const result = await presign(request, presignOptions);
    return result.request as unknown as HttpRequest;
  }

  private async commonOptions(credentials: Credentials, options: RequestSigningArguments): Promise<SignOptions> {
    return {
      credentials,
      region: options.signingRegion ?? (await this.regionProvider()),
      service: options.signingService ?? this.service,
      doubleEncode: this.uriEscapePath,
      normalizePath: this.uriEscapePath,
      sha256: this.sha256,
      unsignableHeaders: options.unsignableHeaders,
      signableHeaders: options.signableHeaders,
    };
  }

  private async signString(
    stringToSign: string,
    options: SigningArguments & { eventStreamCredentials?: AwsCredentialIdentity | undefined },
  ): Promise<string> {
    const credentials =
      options.eventStreamCredentials === undefined ? await this.credentials() : checkedCredentials(options.eventStreamCredentials);
    const region = options.signingRegion ?? (await this.regionProvider());
    const { dateStamp } = toAmzDate(sdkSigningDate(options.signingDate), 'signingDate');
    const key = deriveSigningKey(credentials.secretAccessKey, dateStamp, region, options.signingService ?? this.service, this.hash);
    return signature(key, stringToSign, this.hash);
  }

  private async credentials(): Promise<Credentials> {
    return checkedCredentials(await this.credentialProvider());
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

function checkedCredentials(identity: unknown): Credentials {
  assertCredentials(identity);
  return { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, sessionToken: identity.sessionToken };
}

function withoutToken(credentials: Credentials): Credentials {
  return { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
}
