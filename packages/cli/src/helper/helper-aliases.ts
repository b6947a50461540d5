/**
 * Registry aliases as the helper uses them (@glassbox/ecr `registry-aliases`): the cheap check first
 * (`registry-alias-sources`: is the variable set, does the file exist?), the parser only when it says yes, so
 * a machine without aliases pays one `stat` on the warm path.
 */
import type { RegistryAlias } from '@glassbox/ecr/registry-aliases';
import { mayHaveRegistryAliases } from '@glassbox/ecr/registry-alias-sources';
import type { Env } from '@glassbox/docker-config/token-cache';

/** The aliases in effect, and a lookup of the one (if any) that makes a server URL ECR. */
export interface HelperAliases {
  /** Every alias in effect (empty without any configured). */
  aliases: readonly RegistryAlias[];
  /** The alias for a server URL Docker sent, if any. */
  find: (serverURL: string) => RegistryAlias | undefined;
  /** The trace line for an alias found here (@glassbox/ecr `describeAlias`). */
  describe: (alias: RegistryAlias) => string;
}

/**
 * Every alias in effect; a malformed one throws @glassbox/ecr's `EcrError` naming it.
 *
 * @example
 * ```ts
 * const { find } = await loadAliases({ GLASSBOX_REGISTRY_ALIASES: '127.0.0.1:5000=123456789012.dkr.ecr.us-east-1.amazonaws.com' });
 * find('127.0.0.1:5000')?.registry.region; // 'us-east-1'
 * ```
 */
export async function loadAliases(env: Env): Promise<HelperAliases> {
  // No alias, nothing to describe: `describe` is only ever handed an alias `find` returned.
  if (!mayHaveRegistryAliases(env)) return { aliases: [], find: () => undefined, describe: () => '' };
  // The alias module alone: it loads no network code.
  const { describeAlias, findRegistryAlias, loadRegistryAliases } = await import('@glassbox/ecr/registry-aliases');
  const aliases = loadRegistryAliases({ env });
  return {
    aliases,
    find: (serverURL) => findRegistryAlias(aliases, serverURL),
    describe: (alias) => describeAlias(alias, alias.registry.host),
  };
}
