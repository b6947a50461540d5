/**
 * @glassbox/ecr — from AWS credentials to an Amazon ECR registry password, every step visible.
 *
 * `getAuthorizationToken` resolves the region and endpoint (`endpoints.ts`), finds credentials, signs
 * the call with @glassbox/sigv4 and sends it with retries (`http.ts`). `parseRegistryHost` tells an ECR
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
export type { RegistryAlias, RegistryAliasOptions, RegistryAliasOrigin, RegistryAliasSource, ResolvedRegistry } from './registry-aliases.ts';
export { endpointFromRules, partitionOf, resolveEndpoint, resolveRegion, PARTITIONS } from './endpoints.ts';
export type {
  EcrService,
  EndpointSource,
  Environment,
  Partition,
  ProfileEndpointSettings,
  RegionSource,
  ResolveEndpointOptions,
  ResolvedEndpoint,
  ResolvedRegion,
} from './endpoints.ts';
export {
  asEcrError,
  awsVerdict,
  backoffDelay,
  closeConnections,
  ClockOffsets,
  defaultClockOffsets,
  loadTransportSettings,
  proxyFor,
  send,
  sendWithRetries,
  userAgent,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  RETRY_DEFAULTS,
  VERSION,
} from './http.ts';
// The shared transport (proxies, CA bundle, timeouts, retries, failure hints): one folder, to become @glassbox/aws.
export * as transport from './transport/index.ts';
export { TransportError } from './transport/index.ts';
export type { NetworkFailureKind, RetryMode, TransportErrorCode, TransportSettings } from './transport/index.ts';
export type { AttemptRecord, AwsVerdict, HttpOptions, HttpRequestToSend, HttpResponse, RetryOptions, RetryResult } from './http.ts';
export {
  AwsServiceError,
  hintFor,
  isClockSkewError,
  isRetryableServiceError,
  isThrottlingError,
  parseServiceError,
  AUTH_CODES,
  THROTTLING_CODES,
  TRANSIENT_CODES,
} from './aws-service-error.ts';
export type { AwsServiceErrorInit, ParsedServiceError } from './aws-service-error.ts';

// The AWS credential chain (./credentials/): sources, profiles, caching.
export {
  assumeRoleForProfile,
  assumeRoleWithWebIdentity,
  cacheCredentials,
  CHAIN_ORDER,
  containerCredentials,
  containerCredentialsUrl,
  createCredentialProvider,
  createCredentials,
  configuredEndpoint,
  createProviderContext,
  credentialsFromProcess,
  CREDENTIAL_SOURCES,
  DEFAULT_REFRESH_MARGIN_MS,
  defaultHomedir,
  ECS_CONTAINER_ENDPOINT,
  ENV_SOURCE,
  formatCredentialTrace,
  fromAssumeRole,
  fromConfigFileKeys,
  fromContainer,
  fromCredentialProcess,
  fromEnvironment,
  fromInstanceMetadata,
  fromSharedCredentialsFile,
  fromSso,
  fromWebIdentity,
  getProfile,
  IMDS_ENDPOINTS,
  IMDS_TOKEN_TTL_SECONDS,
  imdsCredentials,
  isAssumeRoleProfile,
  loadProfile,
  loadSharedConfig,
  parseAwsIni,
  profileBoolean,
  profileString,
  resolveCredentials,
  resolveProfileSettings,
  selectProfile,
  sharedFilePaths,
  splitCommandLine,
  ssoRoleCredentials,
  ssoSettings,
  ssoTokenFile,
  STS_API_VERSION,
  stsEndpoint,
  createHttpClient,
  undiciHttpClient,
  withSource,
} from './credentials/index.ts';
export type {
  CacheOptions,
  ConfigSection,
  ContainerCredentialsTarget,
  CredentialProvider,
  CredentialProviderOptions,
  Credentials,
  CredentialsInit,
  CredentialTraceEntry,
  HttpClient,
  HttpClientRequest,
  HttpClientResponse,
  LoadProfileOptions,
  Profile,
  ProviderContext,
  ResolveCredentialsOptions,
  ResolvedCredentials,
  SelectedProfile,
  SharedConfig,
  SharedConfigFile,
  SharedFile,
  SharedFileOptions,
  SharedFilePaths,
  SourceAnswer,
  SourceResult,
  SourceSkip,
  SsoSettings,
  StsEndpoint,
  WebIdentityParameters,
} from './credentials/index.ts';

export { EcrError } from './errors.ts';
export type { EcrErrorCode } from './errors.ts';
