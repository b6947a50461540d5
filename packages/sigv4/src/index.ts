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
export { formatTrace } from './trace.ts';
export { REDACTED, redact, redactSecrets, redactCredentialShapes, redactDeep, redactHeaderValue, rememberSecret, forgetSecrets, MIN_SECRET_LENGTH } from './redaction.ts';
export type { RedactOptions } from './redaction.ts';
export { diagnose } from './diagnose.ts';
export type { Diagnosis, DiagnosisCause, DiagnosisCode, DiagnoseInput, DiagnoseOptions, ServerSignatureReport, ErrorBodyFormat } from './diagnose.ts';
export { readServerError } from './diagnose/error-body.ts';
export type { ServerErrorReading } from './diagnose/error-body.ts';
export { reconstruct, canonicalByRules } from './diagnose/reconstruct.ts';
export type { Reconstruction, ReconstructionCode, ReconstructOptions, ReconstructedCandidate, RuledOut, ServerHints, CanonicalStrings } from './diagnose/reconstruct.ts';
export type { SignedRequestInput } from './diagnose/captured-request.ts';
export type { SignerBehaviour, SignerBehaviourCode, BehaviourPart } from './diagnose/signer-behaviour.ts';
export { checkServerText, expectedSignature } from './diagnose/server-check.ts';
export type { ServerComputed, ServerTextCheck, ExpectedSignatureCheck, ServerChecks } from './diagnose/server-check.ts';
export { GlassboxSigner, SignatureV4 } from './sdk-signer.ts';
export type { GlassboxSignerInit } from './sdk-signer.ts';
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

// SigV4a: ECDSA P-256 signatures valid in a set of regions.
export { signV4a, presignV4a } from './sigv4a/sign.ts';
export type { SignV4aOptions, PresignV4aOptions, SignV4aResult, PresignV4aResult, V4aSteps } from './sigv4a/sign.ts';
export { verifyV4a } from './sigv4a/verify.ts';
export type { VerifyV4aOptions, VerifyV4aResult, VerifyV4aSuccess } from './sigv4a/verify.ts';
export { deriveV4aPrivateKey, v4aKeyPair, keyPairFromScalar, clearV4aKeyCache } from './sigv4a/key-derivation.ts';
export type { V4aKeyPair, V4aPrivateKey } from './sigv4a/key-derivation.ts';
export { regionSetValue, regionSetIncludes } from './sigv4a/region-set.ts';
export { credentialScopeV4a, stringToSignV4a } from './sigv4a/string-to-sign.ts';
export { ecdsaSignature, ecdsaVerify } from './sigv4a/ecdsa.ts';
export { ALGORITHM_V4A, REGION_SET_HEADER } from './sigv4a/constants.ts';

// aws-chunked: streaming uploads signed chunk by chunk, with trailing checksums.
export { signChunked } from './chunked/sign-chunked.ts';
export type { SignChunkedOptions, SignChunkedResult } from './chunked/sign-chunked.ts';
export { verifyChunked } from './chunked/verify-chunked.ts';
export type { VerifyChunkedOptions, VerifyChunkedSuccess } from './chunked/verify-chunked.ts';
export { encodeAwsChunked, awsChunkedLength, DEFAULT_CHUNK_SIZE } from './chunked/encode.ts';
export type { EncodeAwsChunkedOptions } from './chunked/encode.ts';
export { decodeAwsChunked } from './chunked/decode.ts';
export type { DecodeAwsChunkedOptions } from './chunked/decode.ts';
export {
  chunkStringToSign,
  trailerStringToSign,
  canonicalTrailers,
  chunkSignature,
  STREAMING_SIGNED_PAYLOAD,
  STREAMING_SIGNED_PAYLOAD_TRAILER,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  STREAMING_PAYLOAD,
} from './chunked/chunk-signature.ts';
export type { ChunkedMode, ChunkSigningContext } from './chunked/chunk-signature.ts';
export { crc32, runningChecksum } from './chunked/checksum.ts';
export type { ChecksumAlgorithm, RunningChecksum } from './chunked/checksum.ts';
export { byteChunks } from './chunked/body-source.ts';
export type { ChunkedSource } from './chunked/body-source.ts';
export { ChunkTraceRecorder } from './chunked/chunk-trace.ts';
export type { ChunkTraceEntry } from './chunked/chunk-trace.ts';
export { canonicalRequestSteps } from './sign.ts';
export type { CanonicalRequestSteps } from './sign.ts';
