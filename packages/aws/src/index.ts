/**
 * @glassbox/aws — the AWS plumbing every Glassbox caller shares: where credentials come from, what the
 * shared config files say, which partition a region is in, how a request reaches AWS, and what an AWS
 * error means.
 *
 * The story, in the order a call needs it: `resolveCredentials` walks the AWS CLI's credential chain
 * (or `createCredentialProvider` caches it); `loadProfile` reads `~/.aws/config` and `~/.aws/credentials`
 * once; `partitionOf` gives a region's DNS suffix; `loadTransportSettings` gathers the proxy, CA bundle,
 * timeouts and retry knobs; an AWS error body becomes an {@link AwsServiceError}, anything of ours an
 * {@link AwsError}. The parts (each credential source, the exchange and its retry loop, the region
 * grammar, the helper's cheap profile identity) are deliberate subpaths: `@glassbox/aws/credentials`,
 * `@glassbox/aws/transport`, `@glassbox/aws/http`, `@glassbox/aws/regions`, `@glassbox/aws/profile-identity`.
 *
 * @example
 * ```ts
 * import { formatCredentialTrace, resolveCredentials } from '@glassbox/aws';
 * const { credentials, trace } = await resolveCredentials({ trace: true });
 * console.error(formatCredentialTrace(trace!)); // which source answered, and why the earlier ones did not
 * ```
 * @packageDocumentation
 */
export {
  cacheCredentials,
  CHAIN_ORDER,
  createCredentialProvider,
  createCredentials,
  formatCredentialTrace,
  loadProfile,
  resolveCredentials,
} from './credentials/index.ts';
export type {
  CacheOptions,
  CredentialProvider,
  CredentialProviderOptions,
  Credentials,
  CredentialsInit,
  CredentialTraceEntry,
  LoadProfileOptions,
  Profile,
  ResolveCredentialsOptions,
  ResolvedCredentials,
} from './credentials/index.ts';
export { profileIdentity } from './profile-identity.ts';
export type { ProfileIdentity } from './profile-identity.ts';
export { isRegionName, partitionOf, PARTITIONS } from './regions.ts';
export type { Environment, Partition, ProfileEndpointSettings } from './regions.ts';
export { closeConnections, loadTransportSettings } from './http.ts';
export { TransportError } from './transport/index.ts';
export type { NetworkFailureKind, RetryMode, TransportErrorCode, TransportSettings } from './transport/index.ts';
export { AwsServiceError, parseServiceError } from './aws-service-error.ts';
export type { AwsServiceErrorInit, ParsedServiceError } from './aws-service-error.ts';
export { AwsError } from './errors.ts';
export type { AwsErrorCode } from './errors.ts';
