/**
 * `@glassbox/sigv4/sigv4a` — SigV4a: ECDSA P-256 signatures valid in a set of regions (S3 Multi-Region
 * Access Points, CloudFront KeyValueStore). Node only: the keys and signatures come from `node:crypto`.
 *
 * @example
 * ```ts
 * import { signV4a } from '@glassbox/sigv4/sigv4a';
 * const result = await signV4a(request, { credentials, regionSet: '*', service: 's3' });
 * ```
 * @packageDocumentation
 */
export { signV4a, presignV4a } from './sign.ts';
export type { SignV4aOptions, PresignV4aOptions, SignV4aResult, PresignV4aResult, V4aSteps } from './sign.ts';
export { verifyV4a } from './verify.ts';
export type { VerifyV4aOptions, VerifyV4aResult, VerifyV4aSuccess } from './verify.ts';
export { deriveV4aPrivateKey, v4aKeyPair, keyPairFromScalar, clearV4aKeyCache } from './key-derivation.ts';
export type { V4aKeyPair, V4aPrivateKey } from './key-derivation.ts';
export { regionSetValue, regionSetIncludes } from './region-set.ts';
export { credentialScopeV4a, stringToSignV4a } from './string-to-sign.ts';
export { ecdsaSignature, ecdsaVerify } from './ecdsa.ts';
export { ALGORITHM_V4A, REGION_SET_HEADER } from './constants.ts';
