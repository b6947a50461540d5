/**
 * Registry keys: the strings config.json files credentials under. Docker reduces what the user typed
 * (`https://host/v2/`, `host:5000`, `docker.io`) to one key; we do exactly the same, so that what we write
 * is what Docker looks up.
 */

/**
 * The key Docker files Docker Hub's credentials under (docker/docker `registry.IndexServer`).
 *
 * @example
 * ```ts
 * registryKey('docker.io') === DOCKER_HUB_KEY; // true: `docker login docker.io` is filed under 'https://index.docker.io/v1/'
 * ```
 */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** The names Docker treats as Docker Hub when logging in (docker/cli `cli/command/registry.go`, `GetAuthConfigKey`). */
const DOCKER_HUB_NAMES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io']);

/**
 * Docker's `ConvertToHostname` (docker/cli `cli/config/credentials/file_store.go`): drop the scheme and any
 * path, keep the port. Docker does not lower-case, and neither do we: keys compare as Docker compares them.
 *
 * @example
 * ```ts
 * convertToHostname('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/'); // '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
 * convertToHostname('localhost:5000/app'); // 'localhost:5000'
 * ```
 */
export function convertToHostname(serverAddress: string): string {
  let rest = serverAddress.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  return slash === -1 ? rest : rest.slice(0, slash);
}

/**
 * The config.json key Docker uses for a registry: the hostname (with port) of what was typed, or
 * `https://index.docker.io/v1/` for Docker Hub. Returns undefined for an empty input.
 *
 * @example
 * ```ts
 * registryKey('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/'); // '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
 * registryKey('docker.io'); // 'https://index.docker.io/v1/'
 * ```
 */
export function registryKey(serverAddress: string): string | undefined {
  if (typeof serverAddress !== 'string') return undefined;
  const trimmed = serverAddress.trim();
  if (trimmed === '') return undefined;
  if (trimmed === DOCKER_HUB_KEY) return DOCKER_HUB_KEY;
  const hostname = convertToHostname(trimmed);
  if (hostname === '') return undefined;
  if (DOCKER_HUB_NAMES.has(hostname.toLowerCase())) return DOCKER_HUB_KEY;
  return hostname;
}

/**
 * The keys of `entries` that Docker would use for `key`: the exact key first, then legacy keys
 * (`https://host`, `https://host/v1/`, as `aws ecr get-login` wrote them) whose hostname matches
 * (docker/cli `file_store.go`, `Get`).
 *
 * @example
 * ```ts
 * matchingKeys({ 'https://r.example/v1/': {}, 'r.example': {} }, 'r.example'); // ['r.example', 'https://r.example/v1/']
 * ```
 */
export function matchingKeys(entries: Readonly<Record<string, unknown>>, key: string): string[] {
  const found: string[] = [];
  if (Object.hasOwn(entries, key)) found.push(key);
  for (const candidate of Object.keys(entries)) {
    if (candidate !== key && registryKey(candidate) === key) found.push(candidate);
  }
  return found;
}
