/**
 * The credential chain alone: {@link resolveCredentials} and what a caller of it needs, without the
 * providers' own exports (`@glassbox/aws/credentials` has them all). The chain loads each provider past
 * the environment and the shared files only when it reaches it, so a caller whose keys are in the
 * environment loads no STS, SSO, `credential_process`, container or instance-metadata code.
 *
 * @example
 * ```ts
 * import { resolveCredentials } from '@glassbox/aws/credential-chain';
 * const { credentials, source } = await resolveCredentials();
 * ```
 * @module
 */
export { CHAIN_ORDER, createProviderContext, formatCredentialTrace, resolveCredentials } from './chain.ts';
export type { ResolveCredentialsOptions, ResolvedCredentials } from './chain.ts';
export type { CredentialTraceEntry, ProviderContext, SelectedProfile } from './context.ts';
export type { Credentials } from './credentials.ts';
export { ENV_SOURCE } from './env.ts';
export { loadProfile } from './shared-files.ts';
export type { LoadProfileOptions, Profile } from './shared-files.ts';
