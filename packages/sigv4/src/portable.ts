/**
 * The root entry point of `@glassbox/sigv4` in every runtime: the signer, presigner, verifier,
 * trace, diagnosis and SDK signer, with the hash from `#default-hash` (`node:crypto` on Node, the
 * pure-JS SHA-256 under the `browser` condition). `index.ts` adds what needs Node.
 * @module
 */
export { sign, computeSignature } from './sign.ts';
export type { SignatureInput, SignatureSteps } from './signing-steps.ts';
export { presign } from './presign.ts';
export { verify } from './verify.ts';
export type { VerifyOptions, VerifyResult, VerifySuccess, VerifyFailure, VerifyFailureReason } from './verify.ts';
export { parseHttpRequest, serializeHttpRequest } from './http-message.ts';
export type { ParsedHttpRequest } from './http-message.ts';
export { formatTrace } from './trace.ts';
export {
  REDACTED,
  redact,
  redactSecrets,
  redactCredentialShapes,
  redactDeep,
  redactHeaderValue,
  rememberSecret,
  forgetSecrets,
  MIN_SECRET_LENGTH,
} from './redaction.ts';
export type { RedactOptions } from './redaction.ts';
export * from './diagnose/index.ts';
export * from './sdk.ts';
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
export { authorizationHeader, readAuthorizationHeader } from './authorization-header.ts';
export type { AuthorizationHeaderParts } from './authorization-header.ts';

// Building blocks.
export { toAmzDate } from './amz-date.ts';
export type { AmzDate } from './amz-date.ts';
export { uriEncode, uriEncodeOnce } from './uri-encode.ts';
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

export { canonicalRequestSteps } from './sign.ts';
export type { CanonicalRequestSteps } from './signing-steps.ts';
