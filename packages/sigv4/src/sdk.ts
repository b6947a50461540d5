/**
 * `@glassbox/sigv4/sdk` — {@link GlassboxSigner}, a drop-in for `@smithy/signature-v4`'s
 * `SignatureV4` in any AWS SDK v3 client: the same signatures, with Glassbox's trace and errors.
 * It needs no `@smithy/*` package at run time; the SDK types are only types.
 *
 * @example
 * ```ts
 * import { ECRClient } from '@aws-sdk/client-ecr';
 * import { GlassboxSigner } from '@glassbox/sigv4/sdk';
 * const ecr = new ECRClient({ region: 'us-east-1', credentials, signer: new GlassboxSigner({ credentials, region: 'us-east-1', service: 'ecr' }) });
 * ```
 * @packageDocumentation
 */
export { GlassboxSigner, SignatureV4 } from './sdk-signer.ts';
export type { GlassboxSignerInit } from './sdk-signer.ts';
export type { SdkHttpRequest } from './request.ts';
