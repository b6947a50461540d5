/**
 * @glassbox/docker-config — Docker's config.json written safely, and the credential-helper protocol that
 * turns ECR tokens into something Docker, skopeo, podman, buildah and crane can use.
 *
 * - `config-file.ts`: locate, read (malformed JSON is an error naming line and column), write (only the
 *   changed members spliced into the bytes as read, `json-edit.ts`; atomic; 0600/0700; symlinks followed to
 *   regular files only), and locked read-modify-write. Files and folders others planted: docs/file-safety.md.
 * - `registry-auth.ts`: `setAuth`, `removeAuth`, `getAuth` (credHelpers > credsStore > auths, as Docker),
 *   `setCredentialHelper`, and the check that a `credsStore` would hide an `auths` entry.
 * - `credential-helper.ts` + `token-cache.ts`: `docker-credential-glassbox`.
 *
 * @example
 * ```ts
 * import { setAuth, getAuth } from '@glassbox/docker-config';
 * await setAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'AWS', password);
 * const found = await getAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
 * ```
 * @packageDocumentation
 */
export { DockerConfigError } from './errors.ts';
export type { DockerConfigErrorCode, DockerConfigErrorDetails } from './errors.ts';
export { checkReplaceable, ensurePrivateDir, removeStaleTemporaries, resolveWriteTarget, writeFileAtomic } from './atomic-write.ts';
export type { AtomicWriteOptions, DockerConfigWarning, WarnCallback } from './atomic-write.ts';
export { withFileLock } from './file-lock.ts';
export type { FileLockOptions } from './file-lock.ts';
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
export { convertToHostname, matchingKeys, registryKey, DOCKER_HUB_KEY } from './registry-key.ts';
export { checkHelperName, helperGet } from './helper-client.ts';
export { MISSING_SERVER_URL_MESSAGE, MISSING_USERNAME_MESSAGE, NOT_FOUND_MESSAGE } from './protocol-messages.ts';
export type { HelperCredentials, HelperOptions } from './helper-client.ts';
export { authRoute, getAuth, hiddenAuthsWarning, removeAuth, setAuth, setCredentialHelper } from './registry-auth.ts';
export type { AuthRoute, AuthsRoute, HelperRoute, RegistryAuthOptions, RegistryAuthResult, RegistryCredentials } from './registry-auth.ts';
export {
  cachedToken,
  credentialIdentity,
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
export type { CachedToken, CachedTokenOptions, CachedTokenResult, CredentialIdentity, Env, FetchedToken, TokenSource } from './token-cache.ts';
export { runCredentialHelper } from './credential-helper.ts';
export type { CredentialHelperOptions, EcrTokenRequest, StdinSource, TextSink } from './credential-helper.ts';
