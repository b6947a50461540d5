/**
 * @glassbox/docker-config — Docker's config.json written safely, and the docker credential-helper protocol.
 * No dependency on another Glassbox package: the program that serves ECR tokens over the protocol,
 * `docker-credential-glassbox`, lives in @glassbox/cli.
 *
 * - Config file (`config-file.ts`): locate, read (malformed JSON is an error naming line and column), write
 *   (only the changed members spliced into the bytes as read; atomic; 0600/0700; symlinks followed to regular
 *   files only), and locked read-modify-write. Files and folders others planted: docs/file-safety.md.
 * - Registry auth (`registry-auth.ts`, `registry-key.ts`): `setAuth`, `removeAuth`, `getAuth` (credHelpers >
 *   credsStore > auths, as Docker), `setCredentialHelper`, and the check that a `credsStore` would hide an
 *   `auths` entry.
 * - Helper protocol (`helper-protocol.ts`, `helper-client.ts`): the protocol's fixed texts, its request and
 *   answer, and running another helper as Docker does. The credential helper's token cache has its own
 *   entry point, `@glassbox/docker-config/token-cache`.
 * - Errors (`errors.ts`): `DockerConfigError` and its codes.
 *
 * @example
 * ```ts
 * import { setAuth, getAuth } from '@glassbox/docker-config';
 * await setAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'AWS', password);
 * const found = await getAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
 * ```
 * @packageDocumentation
 */

// Config file
export {
  dockerConfigPath,
  parseDockerConfig,
  readDockerConfig,
  renderDockerConfig,
  serializeDockerConfig,
  updateDockerConfig,
  writeDockerConfig,
} from './config-file.ts';
export type { ConfigChange, ConfigUpdate, DockerConfigFile, DockerConfigOptions, JsonObject } from './config-file.ts';
export type { DockerConfigWarning, WarnCallback } from './atomic-write.ts';

// Registry auth
export { authRoute, getAuth, hiddenAuthsWarning, removeAuth, setAuth, setCredentialHelper } from './registry-auth.ts';
export type { AuthRoute, AuthsRoute, HelperRoute, RegistryAuthOptions, RegistryAuthResult, RegistryCredentials } from './registry-auth.ts';
export { convertToHostname, registryKey, DOCKER_HUB_KEY } from './registry-key.ts';

// Helper protocol
export {
  formatGetAnswer,
  parseStoreRequest,
  MISSING_SERVER_URL_MESSAGE,
  MISSING_USERNAME_MESSAGE,
  NOT_FOUND_MESSAGE,
} from './helper-protocol.ts';
export type { StoreRequest } from './helper-protocol.ts';
export { checkHelperName, helperGet } from './helper-client.ts';
export type { HelperCredentials, HelperOptions } from './helper-client.ts';

// Errors
export { DockerConfigError } from './errors.ts';
export type { DockerConfigErrorCode, DockerConfigErrorDetails } from './errors.ts';

/** @deprecated Moved to `@glassbox/docker-config/token-cache`, the credential helper's own entry point; import them from there. */
export {
  cachedToken,
  freshCachedToken,
  isFresh,
  isStillValid,
  readCachedToken,
  tokenCacheDir,
  tokenCachePath,
  writeCachedToken,
  MIN_REMAINING_FOR_STALE_MS,
  REFRESH_FRACTION,
} from './token-cache.ts';
/** @deprecated Moved to `@glassbox/docker-config/token-cache`; import them from there. */
export type { CachedToken, CachedTokenOptions, CachedTokenResult, Env, FetchedToken, TokenSource } from './token-cache.ts';
