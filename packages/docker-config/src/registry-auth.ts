/**
 * Reading and writing one registry's credentials in config.json, resolved exactly as Docker resolves them
 * (docker/cli `cli/config/configfile/file.go`, `GetCredentialsStore`): a `credHelpers` entry for the host
 * wins, else the `credsStore`, else the plain `auths` entry. With a helper or store in charge, Docker never
 * falls back to `auths` — so writing there would silently do nothing, and we say so instead.
 */
import type { DockerConfigWarning } from './atomic-write.ts';
import { readDockerConfig, updateDockerConfig, type DockerConfigOptions, type JsonObject } from './config-file.ts';
import { DockerConfigError } from './errors.ts';
import { checkHelperName, helperGet, type HelperOptions } from './helper-client.ts';
import { matchingKeys, registryKey } from './registry-key.ts';
import { markSecret, REDACTED } from './secret-marking.ts';

/** Docker asks a credential helper: `credHelpers[host]` or the `credsStore`. */
export interface HelperRoute {
  /** Which config key chose the helper. */
  kind: 'credHelpers' | 'credsStore';
  /** The `<name>` of `docker-credential-<name>`. */
  helper: string;
}

/** Docker reads the plain `auths` entry. */
export interface AuthsRoute {
  /** No helper is in charge of the host. */
  kind: 'auths';
}

/** Which mechanism Docker uses for a registry, and the helper's name when it is one. */
export type AuthRoute = HelperRoute | AuthsRoute;

/** Credentials found for a registry. `password` is redacted from `JSON.stringify` and `util.inspect`. */
export interface RegistryCredentials {
  /** The config key (or helper server URL) they were found under. */
  key: string;
  /** Where they came from. */
  source: 'credHelpers' | 'credsStore' | 'auths';
  /** The helper that answered, for `credHelpers` / `credsStore`. */
  helper?: string | undefined;
  /** The user name (`<token>` when `identityToken` is set through a helper). */
  username: string;
  /** The password. Never print it. */
  password: string;
  /** An OAuth identity (refresh) token, when the registry issued one. */
  identityToken?: string | undefined;
  /** A bearer token sent as is. */
  registryToken?: string | undefined;
}

/** Options of the write operations. */
export interface RegistryAuthOptions extends DockerConfigOptions {
  /**
   * Write an `auths` entry even though a `credsStore` or `credHelpers` entry hides it from Docker (tools
   * built on containers/image — skopeo, podman, buildah — ignore `credsStore` and would still read it).
   * A `CREDS_STORE_HIDES_AUTHS` warning is returned. Default false: throw instead.
   */
  allowHiddenAuths?: boolean | undefined;
}

/** What a write operation did. */
export interface RegistryAuthResult {
  /** The key written or removed, as Docker normalises it. */
  key: string;
  /** The config file. */
  path: string;
  /** False when the file already said this and was left alone. */
  changed: boolean;
  /** Permissions fixed, entries hidden: things to tell the user. */
  warnings: DockerConfigWarning[];
}

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/** Attaches redacting `toJSON` / `util.inspect` views so that logging the result never leaks the secret, and remembers the secrets for the one redaction. */
function redacted(credentials: RegistryCredentials): RegistryCredentials {
  markSecret(credentials.password, 'registry password');
  markSecret(credentials.identityToken, 'identity token');
  markSecret(credentials.registryToken, 'registry token');
  const safe = (): Record<string, unknown> => ({
    ...credentials,
    password: REDACTED,
    ...(credentials.identityToken !== undefined ? { identityToken: REDACTED } : {}),
    ...(credentials.registryToken !== undefined ? { registryToken: REDACTED } : {}),
  });
  Object.defineProperty(credentials, 'toJSON', { value: safe, enumerable: false });
  Object.defineProperty(credentials, inspectCustom, { value: safe, enumerable: false });
  return credentials;
}

function keyOf(host: string): string {
  const key = registryKey(host);
  if (key === undefined)
    throw new DockerConfigError(
      'INVALID_ARGUMENT',
      'The registry host is empty: give a host such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com.',
    );
  return key;
}

function objectAt(data: JsonObject, name: string): JsonObject | undefined {
  const value = data[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/**
 * Which mechanism Docker would use for `host` in this config: `credHelpers` (exact key), else
 * `credsStore`, else `auths`.
 *
 * @example
 * ```ts
 * authRoute({ credsStore: 'desktop' }, 'localhost:5000'); // { kind: 'credsStore', helper: 'desktop' }
 * ```
 */
export function authRoute(data: JsonObject, host: string): AuthRoute {
  const key = keyOf(host);
  const helper = objectAt(data, 'credHelpers')?.[key];
  if (typeof helper === 'string' && helper !== '') return { kind: 'credHelpers', helper };
  const store = data['credsStore'];
  if (typeof store === 'string' && store !== '') return { kind: 'credsStore', helper: store };
  return { kind: 'auths' };
}

/**
 * Explains why an `auths` entry for `host` would be ignored by Docker, or returns undefined when it
 * would be used. The warning suggests the `credHelpers` route.
 *
 * @example
 * ```ts
 * hiddenAuthsWarning({ credsStore: 'desktop' }, 'r.example', 'config.json')?.code; // 'CREDS_STORE_HIDES_AUTHS'
 * ```
 */
export function hiddenAuthsWarning(data: JsonObject, host: string, path: string): DockerConfigWarning | undefined {
  const key = keyOf(host);
  const route = authRoute(data, key);
  if (route.kind === 'auths') return undefined;
  if (route.kind === 'credHelpers') {
    return {
      code: 'CRED_HELPER_HIDES_AUTHS',
      message: `${path} sends ${key} to docker-credential-${route.helper} ("credHelpers"), so Docker ignores an "auths" entry for it. Remove that credHelpers entry to use a stored password.`,
      path,
    };
  }
  return {
    code: 'CREDS_STORE_HIDES_AUTHS',
    message:
      `${path} sets "credsStore": "${route.helper}", so Docker ignores "auths" entries for hosts without a "credHelpers" entry and would never use a password written for ${key}. ` +
      `Use the helper route instead: "credHelpers": { "${key}": "glassbox" } (glassbox: setCredentialHelper / \`glassbox ecr configure-helper\`), ` +
      `or store the password in ${route.helper} with \`docker login\`. (skopeo and podman ignore credsStore and do read "auths".)`,
    path,
  };
}

function encodeAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/**
 * Saves `username`/`password` for `host` as Docker's `auths` entry (`{"auth": base64("user:pass")}`),
 * keeping the entry's other fields and every other key of the file. When a `credsStore` or
 * `credHelpers` entry would hide it from Docker, throws `CREDS_STORE_HIDES_AUTHS` (with the suggested
 * fix) unless `allowHiddenAuths` is set.
 *
 * @example
 * ```ts
 * await setAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'AWS', password, { configDir: '/tmp/docker' });
 * ```
 */
export async function setAuth(
  host: string,
  username: string,
  password: string,
  options: RegistryAuthOptions = {},
): Promise<RegistryAuthResult> {
  const key = keyOf(host);
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw new DockerConfigError('INVALID_ARGUMENT', 'The user name must be non-empty and contain no ":" (Docker stores "user:password").', {
      key,
    });
  }
  if (typeof password !== 'string') throw new DockerConfigError('INVALID_ARGUMENT', 'The password must be a string.', { key });
  // Docker would send `user:` and fail with "no basic auth credentials": refuse it before anything is written.
  if (password === '')
    throw new DockerConfigError(
      'PASSWORD_EMPTY',
      `The password for ${key} is empty: the token it came with is broken, so nothing was written.`,
      { key },
    );
  markSecret(password, 'registry password');

  const extraWarnings: DockerConfigWarning[] = [];
  const outcome = await updateDockerConfig((file) => {
    const hidden = hiddenAuthsWarning(file.data, key, file.path);
    if (hidden) {
      if (!options.allowHiddenAuths) {
        throw new DockerConfigError('CREDS_STORE_HIDES_AUTHS', hidden.message, { path: file.path, key });
      }
      extraWarnings.push(hidden);
      options.warn?.(hidden);
    }
    const auths = objectAt(file.data, 'auths') ?? {};
    if (file.data['auths'] === undefined) file.data['auths'] = auths;
    const existing = objectAt(auths, key);
    const auth = encodeAuth(username, password);
    const stale =
      existing !== undefined && ['identitytoken', 'registrytoken', 'username', 'password'].some((field) => existing[field] !== undefined);
    if (existing?.['auth'] === auth && !stale) return { changed: false, result: undefined };
    if (existing) {
      // New credentials replace any token or plain copy of the old ones; other fields (e.g. `email`) stay.
      for (const field of ['identitytoken', 'registrytoken', 'username', 'password']) delete existing[field];
      existing['auth'] = auth;
    } else {
      auths[key] = { auth };
    }
    return { changed: true, result: undefined };
  }, options);
  return { key, path: outcome.path, changed: outcome.changed, warnings: [...outcome.warnings, ...extraWarnings] };
}

/**
 * Removes the `auths` entries Docker would use for `host` (the exact key and legacy `https://host/...`
 * keys). Returns `changed: false` when there was none.
 *
 * @example
 * ```ts
 * await removeAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
 * ```
 */
export async function removeAuth(host: string, options: DockerConfigOptions = {}): Promise<RegistryAuthResult> {
  const key = keyOf(host);
  const outcome = await updateDockerConfig((file) => {
    const auths = objectAt(file.data, 'auths');
    if (!auths) return { changed: false, result: undefined };
    const keys = matchingKeys(auths, key);
    for (const found of keys) delete auths[found];
    return { changed: keys.length > 0, result: undefined };
  }, options);
  return { key, path: outcome.path, changed: outcome.changed, warnings: outcome.warnings };
}

/**
 * Sends `host` to `docker-credential-<name>` (`"credHelpers": { host: name }`), Docker's per-registry
 * helper route: it works whatever `credsStore` says.
 *
 * @example
 * ```ts
 * await setCredentialHelper('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'glassbox');
 * ```
 */
export async function setCredentialHelper(host: string, name: string, options: DockerConfigOptions = {}): Promise<RegistryAuthResult> {
  const key = keyOf(host);
  checkHelperName(name);
  const outcome = await updateDockerConfig((file) => {
    const helpers = objectAt(file.data, 'credHelpers') ?? {};
    if (file.data['credHelpers'] === undefined) file.data['credHelpers'] = helpers;
    if (helpers[key] === name) return { changed: false, result: undefined };
    helpers[key] = name;
    return { changed: true, result: undefined };
  }, options);
  return { key, path: outcome.path, changed: outcome.changed, warnings: outcome.warnings };
}

/** Decodes an `auths` entry as Docker does (docker/cli `configfile/file.go`, `decodeAuth`). */
function decodeEntry(entry: JsonObject, key: string, path: string): { username: string; password: string } {
  const auth = entry['auth'];
  if (typeof auth !== 'string' || auth === '') {
    const username = typeof entry['username'] === 'string' ? entry['username'] : '';
    const password = typeof entry['password'] === 'string' ? entry['password'] : '';
    return { username, password };
  }
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth) || colon <= 0) {
    throw new DockerConfigError(
      'AUTH_ENTRY_INVALID',
      `${path}: auths["${key}"].auth is not base64 of "user:password". Log in again to rewrite it.`,
      { path, key },
    );
  }
  // Docker trims trailing NULs from the password (a quirk of old writers).
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/\0+$/, '') };
}

/**
 * Finds the credentials Docker would use for `host`: `credHelpers[host]`, else `credsStore` (running the
 * helper's `get` over the protocol), else `auths` (exact key, then legacy keys). A helper's "not found"
 * is final, as in Docker: there is no fallback to `auths`. Returns undefined when nothing is stored.
 *
 * @example
 * ```ts
 * const found = await getAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
 * console.log(found?.source, found?.username); // never log found.password
 * ```
 */
export async function getAuth(host: string, options: DockerConfigOptions & HelperOptions = {}): Promise<RegistryCredentials | undefined> {
  const key = keyOf(host);
  const file = await readDockerConfig(options);
  const route = authRoute(file.data, key);
  if (route.kind !== 'auths') {
    const answer = await helperGet(route.helper, key, { env: options.env, timeoutMs: options.timeoutMs });
    if (!answer) return undefined;
    const isToken = answer.username === '<token>';
    return redacted({
      key,
      source: route.kind,
      helper: route.helper,
      username: answer.username,
      password: isToken ? '' : answer.secret,
      ...(isToken ? { identityToken: answer.secret } : {}),
    });
  }
  const auths = objectAt(file.data, 'auths');
  if (!auths) return undefined;
  for (const found of matchingKeys(auths, key)) {
    const entry = objectAt(auths, found);
    if (!entry) continue;
    const { username, password } = decodeEntry(entry, found, file.path);
    const identityToken = typeof entry['identitytoken'] === 'string' && entry['identitytoken'] !== '' ? entry['identitytoken'] : undefined;
    const registryToken = typeof entry['registrytoken'] === 'string' && entry['registrytoken'] !== '' ? entry['registrytoken'] : undefined;
    // `{}` is the placeholder Docker writes for a store-held secret: nothing to use here.
    if (username === '' && password === '' && identityToken === undefined && registryToken === undefined) continue;
    return redacted({
      key: found,
      source: 'auths',
      username,
      password,
      ...(identityToken !== undefined ? { identityToken } : {}),
      ...(registryToken !== undefined ? { registryToken } : {}),
    });
  }
  return undefined;
}
