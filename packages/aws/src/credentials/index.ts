/**
 * The AWS credential chain of @glassbox/ecr: environment, assume role, web identity, IAM Identity
 * Center (SSO), shared files, `credential_process`, container and instance metadata, in the AWS CLI's order, with a trace saying
 * which source answered and why the earlier ones did not — and never the secret.
 *
 * @example
 * ```ts
 * import { resolveCredentials, formatCredentialTrace } from '@glassbox/ecr';
 * const { credentials, trace } = await resolveCredentials({ trace: true });
 * console.error(formatCredentialTrace(trace!));
 * ```
 * @module
 */
export { createCredentials, withSource } from './credentials.ts';
export type { Credentials, CredentialsInit } from './credentials.ts';
export type { CredentialTraceEntry, ProviderContext, SelectedProfile, SourceAnswer, SourceResult, SourceSkip } from './context.ts';
export { createHttpClient, undiciHttpClient } from './http-client.ts';
export type { HttpClient, HttpClientRequest, HttpClientResponse } from './http-client.ts';
export {
  defaultHomedir,
  getProfile,
  loadProfile,
  loadSharedConfig,
  parseAwsIni,
  profileBoolean,
  profileString,
  resolveProfileSettings,
  selectProfile,
  sharedFilePaths,
} from './shared-files.ts';
export type {
  ConfigSection,
  LoadProfileOptions,
  Profile,
  SharedConfig,
  SharedConfigFile,
  SharedFile,
  SharedFileOptions,
  SharedFilePaths,
} from './shared-files.ts';
export { ENV_SOURCE, fromEnvironment } from './env.ts';
export { fromConfigFileKeys, fromSharedCredentialsFile } from './profile-keys.ts';
export { splitCommandLine } from './command-line.ts';
export { credentialsFromProcess, fromCredentialProcess } from './process.ts';
export { configuredEndpoint, STS_API_VERSION, stsEndpoint } from './sts.ts';
export type { StsEndpoint } from './sts.ts';
export { assumeRoleForProfile, CREDENTIAL_SOURCES, fromAssumeRole, isAssumeRoleProfile } from './assume-role.ts';
export { assumeRoleWithWebIdentity, fromWebIdentity } from './web-identity.ts';
export type { WebIdentityParameters } from './web-identity.ts';
export { fromSso, ssoRoleCredentials, ssoSettings, ssoTokenFile } from './sso.ts';
export type { SsoSettings } from './sso.ts';
export { containerCredentials, containerCredentialsUrl, ECS_CONTAINER_ENDPOINT, fromContainer } from './container.ts';
export type { ContainerCredentialsTarget } from './container.ts';
export { fromInstanceMetadata, IMDS_ENDPOINTS, IMDS_TOKEN_TTL_SECONDS, imdsCredentials } from './imds.ts';
export { CHAIN_ORDER, createProviderContext, formatCredentialTrace, resolveCredentials } from './chain.ts';
export type { ResolveCredentialsOptions, ResolvedCredentials } from './chain.ts';
export { cacheCredentials, createCredentialProvider, DEFAULT_REFRESH_MARGIN_MS } from './cache.ts';
export type { CacheOptions, CredentialProvider, CredentialProviderOptions } from './cache.ts';
