/**
 * @glassbox/sigv4 — AWS Signature Version 4 you can read, step by step.
 *
 * Read the source top to bottom: `sign.ts` composes the steps, and each step has its own file:
 * canonical URI, query, headers, payload hash → canonical request → string to sign → signing key →
 * signature → Authorization header.
 *
 * @example
 * ```ts
 * import { sign, formatTrace } from '@glassbox/sigv4';
 * const result = await sign(request, { credentials, region: 'us-east-1', service: 'ecr', trace: true });
 * console.log(formatTrace(result.trace!));
 * ```
 * @packageDocumentation
 */
export { sign, computeSignature } from './sign.ts';
export type { SignatureInput, SignatureSteps } from './sign.ts';
export { presign } from './presign.ts';
export { verify } from './verify.ts';
export type { VerifyOptions, VerifyResult, VerifySuccess, VerifyFailure, VerifyFailureReason } from './verify.ts';
export { parseHttpRequest, serializeHttpRequest } from './http-message.ts';
export type { ParsedHttpRequest } from './http-message.ts';
export { formatTrace, redact } from './trace.ts';
export type { TraceStep, TraceStepId, FormatTraceOptions } from './trace.ts';
export { SigV4Error } from './errors.ts';
export type { SigV4ErrorCode } from './errors.ts';

// The steps, in the order the specification gives them.
export { canonicalUri, removeDotSegments } from './canonical-uri.ts';
export type { CanonicalUriOptions } from './canonical-uri.ts';
export { queryParameters, canonicalQueryString } from './canonical-query.ts';
export type { EncodedParameter } from './canonical-query.ts';
export { headersToSign, canonicalHeaderEntries, canonicalHeaderValue, canonicalHeaders, signedHeaders } from './canonical-headers.ts';
export type { HeaderEntry, HeaderRules, HeaderDecision } from './canonical-headers.ts';
export { payloadHash } from './payload-hash.ts';
export { canonicalRequest } from './canonical-request.ts';
export type { CanonicalRequestParts } from './canonical-request.ts';
export { credentialScope } from './credential-scope.ts';
export { stringToSign } from './string-to-sign.ts';
export { deriveSigningKey, SigningKeyCache, defaultSigningKeyCache } from './signing-key.ts';
export { signature } from './signature.ts';
export { authorizationHeader } from './authorization-header.ts';

// Building blocks.
export { toAmzDate } from './amz-date.ts';
export type { AmzDate } from './amz-date.ts';
export { uriEncode, uriEncodeOnce } from './uri-encode.ts';
export { nodeSha256 } from './hash-node.ts';
export { sha256FromConstructor } from './hash-js.ts';
export type { Sha256Constructor } from './hash-js.ts';
export type { Sha256 } from './hash.ts';
export type { SdkHttpRequest } from './request.ts';
export { ALGORITHM, EMPTY_BODY_SHA256, MAX_PRESIGN_SECONDS, UNSIGNABLE_HEADERS, UNSIGNED_PAYLOAD } from './constants.ts';
export type {
  Body,
  Credentials,
  CredentialsInput,
  HeadersInput,
  HeaderValue,
  HttpRequest,
  PresignOptions,
  PresignResult,
  SignOptions,
  SignResult,
  SignedRequest,
} from './types.ts';
