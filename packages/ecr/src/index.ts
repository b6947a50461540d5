/**
 * @glassbox/ecr — from AWS credentials to an Amazon ECR registry password, every step visible.
 *
 * `getAuthorizationToken` resolves the region and endpoint (`endpoints.ts`), finds credentials with
 * the chain of @glassbox/aws, signs the call with @glassbox/sigv4 and sends it through @glassbox/aws's
 * transport, with retries. `parseRegistryHost` tells an ECR
 * registry host from anything else. The local emulator is a separate entry point,
 * `@glassbox/ecr/emulator`.
 *
 * @example
 * ```ts
 * import { getAuthorizationToken } from '@glassbox/ecr';
 * const { password, registryHost } = await getAuthorizationToken({ registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' });
 * ```
 * @packageDocumentation
 */
export { getAuthorizationToken, MIN_TOKEN_VALIDITY_MS } from './get-authorization-token.ts';
export type {
  AttemptTrace,
  AuthorizationToken,
  AwsCredentials,
  AwsCredentialsInput,
  GetAuthorizationTokenOptions,
  CredentialsTrace,
  GetAuthorizationTokenTrace,
  RegistryAuthorization,
  SigningTrace,
  TokenTrace,
} from './get-authorization-token.ts';
export { parseRegistryHost } from './registry-host.ts';
export type { RegistryHost } from './registry-host.ts';
export {
  describeAlias,
  findRegistryAlias,
  glassboxConfigFile,
  loadRegistryAliases,
  parseRegistryAliasesConfig,
  parseRegistryAliasesEnv,
  resolveRegistry,
  REGISTRY_ALIASES_ENV,
} from './registry-aliases.ts';
export type {
  RegistryAlias,
  RegistryAliasOptions,
  RegistryAliasOrigin,
  RegistryAliasSource,
  ResolvedRegistry,
} from './registry-aliases.ts';
export { endpointFromRules, resolveEndpoint, resolveRegion } from './endpoints.ts';
export type { EcrService, EndpointSource, RegionSource, ResolveEndpointOptions, ResolvedEndpoint, ResolvedRegion } from './endpoints.ts';
// The errors GetAuthorizationToken throws: the AWS service's, and ours (one class with @glassbox/aws's AwsError).
export { AwsServiceError } from '@glassbox/aws/service-errors';
// getAuthorizationToken keeps its sockets alive for the next call; a program that is done closes them.
export { closeConnections } from '@glassbox/aws/http';
export type { AwsServiceErrorInit, ParsedServiceError } from '@glassbox/aws/service-errors';

// Moved to @glassbox/aws with the rest of the shared AWS plumbing; re-exported so that code written
// against @glassbox/ecr keeps working. Import them from @glassbox/aws (or its subpaths) instead.
export {
  /** @deprecated moved to @glassbox/aws */ partitionOf,
  /** @deprecated moved to @glassbox/aws */ PARTITIONS,
} from '@glassbox/aws/regions';
export type {
  /** @deprecated moved to @glassbox/aws */ Environment,
  /** @deprecated moved to @glassbox/aws */ Partition,
  /** @deprecated moved to @glassbox/aws */ ProfileEndpointSettings,
} from '@glassbox/aws/regions';
export {
  /** @deprecated moved to @glassbox/aws */ asEcrError,
  /** @deprecated moved to @glassbox/aws */ awsVerdict,
  /** @deprecated moved to @glassbox/aws */ backoffDelay,
  /** @deprecated moved to @glassbox/aws */ ClockOffsets,
  /** @deprecated moved to @glassbox/aws */ defaultClockOffsets,
  /** @deprecated moved to @glassbox/aws */ loadTransportSettings,
  /** @deprecated moved to @glassbox/aws */ proxyFor,
  /** @deprecated moved to @glassbox/aws */ send,
  /** @deprecated moved to @glassbox/aws */ sendWithRetries,
  /** @deprecated moved to @glassbox/aws */ userAgent,
  /** @deprecated moved to @glassbox/aws */ DEFAULT_CONNECT_TIMEOUT_MS,
  /** @deprecated moved to @glassbox/aws */ DEFAULT_REQUEST_TIMEOUT_MS,
  /** @deprecated moved to @glassbox/aws */ RETRY_DEFAULTS,
  /** @deprecated moved to @glassbox/aws */ VERSION,
} from '@glassbox/aws/http';
/** @deprecated moved to @glassbox/aws: import `@glassbox/aws/transport` */
export * as transport from '@glassbox/aws/transport';
export {
  /** @deprecated moved to @glassbox/aws */ TransportError,
} from '@glassbox/aws/transport';
export type {
  /** @deprecated moved to @glassbox/aws */ NetworkFailureKind,
  /** @deprecated moved to @glassbox/aws */ RetryMode,
  /** @deprecated moved to @glassbox/aws */ TransportErrorCode,
  /** @deprecated moved to @glassbox/aws */ TransportSettings,
} from '@glassbox/aws/transport';
export type {
  /** @deprecated moved to @glassbox/aws */ AttemptRecord,
  /** @deprecated moved to @glassbox/aws */ AwsVerdict,
  /** @deprecated moved to @glassbox/aws */ HttpOptions,
  /** @deprecated moved to @glassbox/aws */ HttpRequestToSend,
  /** @deprecated moved to @glassbox/aws */ HttpResponse,
  /** @deprecated moved to @glassbox/aws */ RetryOptions,
  /** @deprecated moved to @glassbox/aws */ RetryResult,
} from '@glassbox/aws/http';
export {
  /** @deprecated moved to @glassbox/aws */ hintFor,
  /** @deprecated moved to @glassbox/aws */ isClockSkewError,
  /** @deprecated moved to @glassbox/aws */ isRetryableServiceError,
  /** @deprecated moved to @glassbox/aws */ isThrottlingError,
  /** @deprecated moved to @glassbox/aws */ parseServiceError,
  /** @deprecated moved to @glassbox/aws */ AUTH_CODES,
  /** @deprecated moved to @glassbox/aws */ THROTTLING_CODES,
  /** @deprecated moved to @glassbox/aws */ TRANSIENT_CODES,
} from '@glassbox/aws/service-errors';

export {
  /** @deprecated moved to @glassbox/aws */ assumeRoleForProfile,
  /** @deprecated moved to @glassbox/aws */ assumeRoleWithWebIdentity,
  /** @deprecated moved to @glassbox/aws */ cacheCredentials,
  /** @deprecated moved to @glassbox/aws */ CHAIN_ORDER,
  /** @deprecated moved to @glassbox/aws */ containerCredentials,
  /** @deprecated moved to @glassbox/aws */ containerCredentialsUrl,
  /** @deprecated moved to @glassbox/aws */ createCredentialProvider,
  /** @deprecated moved to @glassbox/aws */ createCredentials,
  /** @deprecated moved to @glassbox/aws */ configuredEndpoint,
  /** @deprecated moved to @glassbox/aws */ createProviderContext,
  /** @deprecated moved to @glassbox/aws */ credentialsFromProcess,
  /** @deprecated moved to @glassbox/aws */ CREDENTIAL_SOURCES,
  /** @deprecated moved to @glassbox/aws */ DEFAULT_REFRESH_MARGIN_MS,
  /** @deprecated moved to @glassbox/aws */ defaultHomedir,
  /** @deprecated moved to @glassbox/aws */ ECS_CONTAINER_ENDPOINT,
  /** @deprecated moved to @glassbox/aws */ ENV_SOURCE,
  /** @deprecated moved to @glassbox/aws */ formatCredentialTrace,
  /** @deprecated moved to @glassbox/aws */ fromAssumeRole,
  /** @deprecated moved to @glassbox/aws */ fromConfigFileKeys,
  /** @deprecated moved to @glassbox/aws */ fromContainer,
  /** @deprecated moved to @glassbox/aws */ fromCredentialProcess,
  /** @deprecated moved to @glassbox/aws */ fromEnvironment,
  /** @deprecated moved to @glassbox/aws */ fromInstanceMetadata,
  /** @deprecated moved to @glassbox/aws */ fromSharedCredentialsFile,
  /** @deprecated moved to @glassbox/aws */ fromSso,
  /** @deprecated moved to @glassbox/aws */ fromWebIdentity,
  /** @deprecated moved to @glassbox/aws */ getProfile,
  /** @deprecated moved to @glassbox/aws */ IMDS_ENDPOINTS,
  /** @deprecated moved to @glassbox/aws */ IMDS_TOKEN_TTL_SECONDS,
  /** @deprecated moved to @glassbox/aws */ imdsCredentials,
  /** @deprecated moved to @glassbox/aws */ isAssumeRoleProfile,
  /** @deprecated moved to @glassbox/aws */ loadProfile,
  /** @deprecated moved to @glassbox/aws */ loadSharedConfig,
  /** @deprecated moved to @glassbox/aws */ parseAwsIni,
  /** @deprecated moved to @glassbox/aws */ profileBoolean,
  /** @deprecated moved to @glassbox/aws */ profileString,
  /** @deprecated moved to @glassbox/aws */ resolveCredentials,
  /** @deprecated moved to @glassbox/aws */ resolveProfileSettings,
  /** @deprecated moved to @glassbox/aws */ selectProfile,
  /** @deprecated moved to @glassbox/aws */ sharedFilePaths,
  /** @deprecated moved to @glassbox/aws */ splitCommandLine,
  /** @deprecated moved to @glassbox/aws */ ssoRoleCredentials,
  /** @deprecated moved to @glassbox/aws */ ssoSettings,
  /** @deprecated moved to @glassbox/aws */ ssoTokenFile,
  /** @deprecated moved to @glassbox/aws */ STS_API_VERSION,
  /** @deprecated moved to @glassbox/aws */ stsEndpoint,
  /** @deprecated moved to @glassbox/aws */ createHttpClient,
  /** @deprecated moved to @glassbox/aws */ undiciHttpClient,
  /** @deprecated moved to @glassbox/aws */ withSource,
} from '@glassbox/aws/credentials';
export type {
  /** @deprecated moved to @glassbox/aws */ CacheOptions,
  /** @deprecated moved to @glassbox/aws */ ConfigSection,
  /** @deprecated moved to @glassbox/aws */ ContainerCredentialsTarget,
  /** @deprecated moved to @glassbox/aws */ CredentialProvider,
  /** @deprecated moved to @glassbox/aws */ CredentialProviderOptions,
  /** @deprecated moved to @glassbox/aws */ Credentials,
  /** @deprecated moved to @glassbox/aws */ CredentialsInit,
  /** @deprecated moved to @glassbox/aws */ CredentialTraceEntry,
  /** @deprecated moved to @glassbox/aws */ HttpClient,
  /** @deprecated moved to @glassbox/aws */ HttpClientRequest,
  /** @deprecated moved to @glassbox/aws */ HttpClientResponse,
  /** @deprecated moved to @glassbox/aws */ LoadProfileOptions,
  /** @deprecated moved to @glassbox/aws */ Profile,
  /** @deprecated moved to @glassbox/aws */ ProviderContext,
  /** @deprecated moved to @glassbox/aws */ ResolveCredentialsOptions,
  /** @deprecated moved to @glassbox/aws */ ResolvedCredentials,
  /** @deprecated moved to @glassbox/aws */ SelectedProfile,
  /** @deprecated moved to @glassbox/aws */ SharedConfig,
  /** @deprecated moved to @glassbox/aws */ SharedConfigFile,
  /** @deprecated moved to @glassbox/aws */ SharedFile,
  /** @deprecated moved to @glassbox/aws */ SharedFileOptions,
  /** @deprecated moved to @glassbox/aws */ SharedFilePaths,
  /** @deprecated moved to @glassbox/aws */ SourceAnswer,
  /** @deprecated moved to @glassbox/aws */ SourceResult,
  /** @deprecated moved to @glassbox/aws */ SourceSkip,
  /** @deprecated moved to @glassbox/aws */ SsoSettings,
  /** @deprecated moved to @glassbox/aws */ StsEndpoint,
  /** @deprecated moved to @glassbox/aws */ WebIdentityParameters,
} from '@glassbox/aws/credentials';

export { EcrError } from './errors.ts';
export type { EcrErrorCode } from './errors.ts';
