/**
 * `@glassbox/sigv4/sign`: signing and presigning without the rest of the package, for a Node tool on a
 * start-up budget. The root re-exports SigV4a, aws-chunked, the verifier and the diagnosis for the imports
 * written before their own entry points existed, and an ES module graph loads every file it names: the
 * root is 63 files, this entry 25 (`glassbox ecr get-login-password` and the credential helper sign one
 * request per process, so each file is start-up time). Same functions as the root's.
 *
 * @example
 * ```ts
 * import { sign } from '@glassbox/sigv4/sign';
 * const { request } = await sign({ method: 'GET', url: 'https://example.amazonaws.com/' }, { credentials, region: 'us-east-1', service: 'service' });
 * ```
 *
 * @packageDocumentation
 */
export { sign } from './sign.ts';
export { presign } from './presign.ts';
export { SigV4Error } from './errors.ts';
export type { SigV4ErrorCode } from './errors.ts';
export type {
  Credentials,
  CredentialsInput,
  HttpRequest,
  PresignOptions,
  PresignResult,
  SignOptions,
  SignResult,
} from './types.ts';
export type { TraceStep } from './trace.ts';
