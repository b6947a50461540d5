/**
 * The strings SigV4a fixes, named in its words. Source: aws-c-auth `source/aws_signing.c` and
 * `source/key_derivation.c`; smithy-typescript `packages/signature-v4a/src/constants.ts`.
 */

/**
 * The algorithm name of SigV4a: ECDSA over P-256 with SHA-256.
 *
 * @example
 * ```ts
 * const isSigV4a = authorization.startsWith(`${ALGORITHM_V4A} `); // 'AWS4-ECDSA-P256-SHA256 Credential=…'
 * ```
 */
export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';

/**
 * The header (and query parameter) that lists the regions a SigV4a signature is valid in.
 *
 * @example
 * ```ts
 * const { request: signed } = await signV4a(request, { credentials, regionSet: ['us-east-1', 'us-west-2'], service: 's3' });
 * signed.headers[REGION_SET_HEADER]; // 'us-east-1,us-west-2'
 * ```
 */
export const REGION_SET_HEADER = 'X-Amz-Region-Set';

/** Prefix of the secret for the key derivation HMAC: `"AWS4A" + secret`. */
export const V4A_KEY_PREFIX = 'AWS4A';

/** The order n of the P-256 group (FIPS 186-4 D.1.2.3): private keys lie in [1, n-1]. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The most counter values the key derivation tries before giving up (aws-c-auth: 254). */
export const MAX_KDF_COUNTER = 254;
