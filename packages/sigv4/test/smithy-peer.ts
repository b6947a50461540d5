// A real peer for tests: @smithy/signature-v4 (the AWS SDK for JavaScript's signer) with its
// canonical request and string to sign captured, as a server would compute them.
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HeaderBag, HttpRequest as SmithyRequest } from '@smithy/types';

export interface PeerRequest {
  method: string;
  hostname: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: string;
}

export interface PeerOptions {
  credentials: AwsCredentialIdentity;
  region: string;
  service: string;
  uriEscapePath?: boolean;
  applyChecksum?: boolean;
}

/** SignatureV4 that remembers the canonical request and string to sign it computed last. */
export class CapturingSignatureV4 extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';

  constructor(options: PeerOptions) {
    super({ ...options, sha256: Hash.bind(null, 'sha256'), applyChecksum: options.applyChecksum ?? false });
  }

  protected override createCanonicalRequest(request: SmithyRequest, canonicalHeaders: HeaderBag, payloadHash: string): string {
    this.canonicalRequest = super.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.canonicalRequest;
  }

  protected override async createStringToSign(
    longDate: string,
    scope: string,
    canonicalRequest: string,
    algorithm: string,
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(longDate, scope, canonicalRequest, algorithm);
    return this.stringToSign;
  }
}

export function smithyRequest(request: PeerRequest): HttpRequest {
  return new HttpRequest({
    method: request.method,
    protocol: 'https:',
    hostname: request.hostname,
    path: request.path,
    query: request.query ?? {},
    headers: { ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/** Signs with smithy; returns the signed request and the two strings a server would have computed. */
export async function peerSign(
  request: PeerRequest,
  options: PeerOptions,
  date: Date,
): Promise<{ signed: HttpRequest; canonicalRequest: string; stringToSign: string }> {
  const signer = new CapturingSignatureV4(options);
  const signed = (await signer.sign(smithyRequest(request), { signingDate: date })) as HttpRequest;
  return { signed, canonicalRequest: signer.canonicalRequest, stringToSign: signer.stringToSign };
}

/** Presigns with smithy; same as {@link peerSign} for query authentication. */
export async function peerPresign(
  request: PeerRequest,
  options: PeerOptions,
  date: Date,
  expiresIn: number,
): Promise<{ signed: HttpRequest; canonicalRequest: string; stringToSign: string }> {
  const signer = new CapturingSignatureV4(options);
  const signed = (await signer.presign(smithyRequest(request), { signingDate: date, expiresIn })) as HttpRequest;
  return { signed, canonicalRequest: signer.canonicalRequest, stringToSign: signer.stringToSign };
}
