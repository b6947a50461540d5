/**
 * Where registry aliases come from — the variable and the file — without reading or parsing either: the
 * cheap entry point of `registry-aliases.ts` (`@glassbox/ecr/registry-alias-sources`, no imports). The
 * credential helper asks {@link mayHaveRegistryAliases} on every `docker pull` and loads the alias parser only
 * when it says yes, so a machine without aliases pays one `stat`.
 */

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises), a cost the credential helper's warm path cannot afford.
const { existsSync } = process.getBuiltinModule('node:fs');

/**
 * The environment variable holding aliases.
 *
 * @example
 * ```ts
 * const env = { [REGISTRY_ALIASES_ENV]: '127.0.0.1:5000=123456789012.dkr.ecr.us-east-1.amazonaws.com' };
 * resolveRegistry('127.0.0.1:5000', { env })?.registry.region; // 'us-east-1'
 * ```
 */
export const REGISTRY_ALIASES_ENV = 'GLASSBOX_REGISTRY_ALIASES';

/**
 * The Glassbox config file: `$XDG_CONFIG_HOME/glassbox/config.json`, else `~/.config/glassbox/config.json`
 * (XDG Base Directory Specification defaults).
 *
 * @example
 * ```ts
 * glassboxConfigFile({ XDG_CONFIG_HOME: '/etc/me' }); // '/etc/me/glassbox/config.json'
 * ```
 */
export function glassboxConfigFile(env: Readonly<Record<string, string | undefined>> = process.env, homedir?: string): string {
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg?.startsWith('/')) return `${xdg.replace(/\/+$/, '')}/glassbox/config.json`;
  const home = env['HOME'] || homedir || process.getBuiltinModule('node:os').homedir();
  return `${home.replace(/\/+$/, '')}/.config/glassbox/config.json`;
}

/**
 * Whether any alias can be in effect: {@link REGISTRY_ALIASES_ENV} is set to something, or the
 * {@link glassboxConfigFile} exists. False means `loadRegistryAliases` would return none; true means it
 * must be asked (the file may hold no `registryAliases`, or a malformed one, which is its error to raise).
 *
 * @example
 * ```ts
 * mayHaveRegistryAliases({ GLASSBOX_REGISTRY_ALIASES: '127.0.0.1:5000=123456789012.dkr.ecr.us-east-1.amazonaws.com' }); // true
 * mayHaveRegistryAliases({ HOME: '/nonexistent' }); // false
 * ```
 */
export function mayHaveRegistryAliases(env: Readonly<Record<string, string | undefined>> = process.env, homedir?: string): boolean {
  if (env[REGISTRY_ALIASES_ENV]?.trim()) return true;
  return existsSync(glassboxConfigFile(env, homedir));
}
