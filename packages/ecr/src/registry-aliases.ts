/**
 * Registry aliases: a registry host that is not ECR-shaped (a company domain in front of ECR, a pull-through
 * mirror, a VPC endpoint name, a local test registry on `127.0.0.1:5000`) mapped, explicitly, to the ECR
 * registry whose token it should be served. Only an alias makes a non-ECR name ECR: without one, look-alikes
 * such as `123456789012.dkr.ecr.us-east-1.amazonaws.com.example.com` stay "not ECR".
 *
 * Two sources, the environment winning per host:
 * - `GLASSBOX_REGISTRY_ALIASES`: `host[:port]=<ECR registry host>` pairs separated by commas;
 * - the `registryAliases` object of `$XDG_CONFIG_HOME/glassbox/config.json` (else `~/.config/glassbox/config.json`):
 *   host → an ECR registry host, or → `{ account, region, partition?, public? }`.
 *
 * A malformed entry is an {@link EcrError} (`INVALID_REGISTRY_ALIAS`) naming it, never skipped: a skipped alias
 * would turn into an anonymous pull and a baffling "unauthorized" far from its cause.
 *
 * This module loads no network code: the credential helper reads it on every `docker pull`.
 */
import { partitionOf } from './endpoints.ts';
import { EcrError } from './errors.ts';
import { glassboxConfigFile, REGISTRY_ALIASES_ENV } from './registry-alias-sources.ts';
import { parseRegistryHost, type RegistryHost } from './registry-host.ts';

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises), a cost the credential helper's warm path cannot afford.
const { readFileSync } = process.getBuiltinModule('node:fs');

// The variable and the file are named in the cheap entry point, which the helper reads before this module.
export { glassboxConfigFile, mayHaveRegistryAliases, REGISTRY_ALIASES_ENV } from './registry-alias-sources.ts';

/** Where an alias was defined. */
export type RegistryAliasSource = 'env' | 'file';

/** One alias: a registry host (and port) that Docker may name, and the ECR registry it stands for. */
export interface RegistryAlias {
  /** The aliased host as written, lower-cased: `registry.corp.example`, `127.0.0.1:5000`, `[::1]:5000`. */
  from: string;
  /** The hostname part of `from` (IPv6 addresses keep their brackets). */
  hostname: string;
  /** The port part of `from`, if any: an alias with a port matches only that port, one without matches any. */
  port?: string;
  /** The ECR registry it maps to. */
  registry: RegistryHost;
  /** Where it was defined. */
  source: RegistryAliasSource;
}

/** Options of {@link loadRegistryAliases} and {@link resolveRegistry}. */
export interface RegistryAliasOptions {
  /** The environment (`GLASSBOX_REGISTRY_ALIASES`, `XDG_CONFIG_HOME`, `HOME`). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The home folder when `HOME` is unset. Default: `os.homedir()`. */
  homedir?: string | undefined;
  /** The config file to read instead of the XDG one. */
  configFile?: string | undefined;
}

/** Which alias made a host ECR. */
export interface RegistryAliasOrigin {
  /** The aliased host as configured (`127.0.0.1:5000`). */
  from: string;
  /** Where the alias was defined. */
  source: RegistryAliasSource;
}

/** What {@link resolveRegistry} found for a host. */
export interface ResolvedRegistry {
  /** The ECR registry whose token the host is served. */
  registry: RegistryHost;
  /** Present when an alias (not the hostname itself) made the host ECR. */
  alias?: RegistryAliasOrigin;
}

/** `host[:port]` split, or undefined when it is not one (a scheme, a path, user info, a bad port). */
function splitHostPort(text: string): { hostname: string; port?: string } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const [, hostname, port] = match;
  if (hostname === undefined) return undefined;
  if (port === undefined) return { hostname };
  const number = Number(port);
  if (number < 1 || number > 65535) return undefined;
  return { hostname, port: String(number) };
}

function aliasError(where: string, entry: string, why: string): EcrError {
  return new EcrError('INVALID_REGISTRY_ALIAS', `${where}: registry alias ${JSON.stringify(entry)} ${why}`);
}

const HOST_FORM = 'must start with host or host:port (e.g. registry.corp.example or 127.0.0.1:5000), without scheme or path';

/** A registry named by its parts, as the config file allows: validated into a {@link RegistryHost}. */
function registryFromParts(value: Record<string, unknown>, where: string, entry: string): RegistryHost {
  for (const key of Object.keys(value)) {
    if (!['account', 'region', 'partition', 'public'].includes(key)) {
      throw aliasError(where, entry, `has an unknown key "${key}" (allowed: account, region, partition, public)`);
    }
  }
  const { account, region, partition } = value;
  const isPublic = value['public'];
  if (isPublic !== undefined && typeof isPublic !== 'boolean') throw aliasError(where, entry, 'has a "public" that is not true or false');
  if (isPublic) {
    if (account !== undefined || partition !== undefined || (region !== undefined && region !== 'us-east-1')) {
      throw aliasError(where, entry, 'is ECR Public ("public": true), which has no account, partition or region other than us-east-1');
    }
    return parseRegistryHost('public.ecr.aws') as RegistryHost;
  }
  if (typeof account !== 'string' || !/^\d{12}$/.test(account))
    throw aliasError(where, entry, 'needs "account": a 12-digit AWS account ID as a string');
  if (typeof region !== 'string' || !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(region))
    throw aliasError(where, entry, 'needs "region": a region name such as eu-west-1');
  const regionPartition = partitionOf(region);
  if (partition !== undefined && partition !== regionPartition.id) {
    throw aliasError(where, entry, `says partition "${String(partition)}", but region ${region} is in ${regionPartition.id}`);
  }
  const registry = parseRegistryHost(`${account}.dkr.ecr.${region}.${regionPartition.dnsSuffix}`);
  if (!registry) throw aliasError(where, entry, `names no ECR registry (account ${account}, region ${region})`);
  return registry;
}

/** An alias target written as a registry host: it must be an ECR (or ECR Public, or VPC endpoint) registry host. */
function registryFromHost(value: string, where: string, entry: string): RegistryHost {
  const target = value.trim();
  const registry = target === '' ? undefined : parseRegistryHost(target);
  if (!registry) {
    throw aliasError(
      where,
      entry,
      `maps to ${JSON.stringify(target)}, which is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com, public.ecr.aws, or vpce-<id>.dkr.ecr.<region>.vpce.amazonaws.com)`,
    );
  }
  return registry;
}

function makeAlias(key: string, registry: RegistryHost, source: RegistryAliasSource, where: string, entry: string): RegistryAlias {
  const from = key.trim().toLowerCase();
  const split = splitHostPort(from);
  if (!split) throw aliasError(where, entry, HOST_FORM);
  return { from, ...split, registry, source };
}

function addUnique(aliases: RegistryAlias[], alias: RegistryAlias, where: string, entry: string): void {
  if (aliases.some((other) => other.from === alias.from))
    throw aliasError(where, entry, `repeats the host ${alias.from}, already aliased there`);
  aliases.push(alias);
}

/**
 * Parses `GLASSBOX_REGISTRY_ALIASES`: `host[:port]=<ECR registry host>` pairs separated by commas (spaces
 * around entries are ignored). An empty value means no aliases; an empty entry, a missing `=`, a host that is
 * not `host[:port]`, a target that is not an ECR registry host or a repeated host is an `INVALID_REGISTRY_ALIAS`
 * error naming the entry.
 *
 * @example
 * ```ts
 * parseRegistryAliasesEnv('127.0.0.1:5000=123456789012.dkr.ecr.us-east-1.amazonaws.com')[0]?.registry.region; // 'us-east-1'
 * ```
 */
export function parseRegistryAliasesEnv(value: string): RegistryAlias[] {
  const where = REGISTRY_ALIASES_ENV;
  const aliases: RegistryAlias[] = [];
  if (value.trim() === '') return aliases;
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (entry === '') throw aliasError(where, raw, 'is empty (a doubled or trailing comma?); entries are host[:port]=<ECR registry host>');
    const equals = entry.indexOf('=');
    if (equals === -1) throw aliasError(where, entry, 'has no "=": write host[:port]=<ECR registry host>');
    const registry = registryFromHost(entry.slice(equals + 1), where, entry);
    addUnique(aliases, makeAlias(entry.slice(0, equals), registry, 'env', where, entry), where, entry);
  }
  return aliases;
}

/**
 * Reads the `registryAliases` object of a parsed Glassbox config file: host → registry host, or host →
 * `{ account, region, partition?, public? }`. A file without the key has no aliases; anything unusable is an
 * `INVALID_REGISTRY_ALIAS` error naming the file and the entry.
 *
 * @example
 * ```ts
 * parseRegistryAliasesConfig({ registryAliases: { 'registry.corp.example': { account: '123456789012', region: 'eu-west-1' } } }, 'config.json');
 * ```
 */
export function parseRegistryAliasesConfig(config: unknown, file: string): RegistryAlias[] {
  const aliases: RegistryAlias[] = [];
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new EcrError(
      'INVALID_REGISTRY_ALIAS',
      `${file}: expected a JSON object (with "registryAliases": { "<host>": "<ECR registry host>" }).`,
    );
  }
  const table = (config as Record<string, unknown>)['registryAliases'];
  if (table === undefined) return aliases;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw new EcrError(
      'INVALID_REGISTRY_ALIAS',
      `${file}: "registryAliases" must be an object of host → ECR registry host (or { account, region }).`,
    );
  }
  for (const [key, value] of Object.entries(table as Record<string, unknown>)) {
    let registry: RegistryHost;
    if (typeof value === 'string') registry = registryFromHost(value, file, key);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value))
      registry = registryFromParts(value as Record<string, unknown>, file, key);
    else throw aliasError(file, key, 'must map to an ECR registry host or to { "account", "region", "partition", "public" }');
    addUnique(aliases, makeAlias(key, registry, 'file', file, key), file, key);
  }
  return aliases;
}

/**
 * Every alias in effect: those of `GLASSBOX_REGISTRY_ALIASES`, then those of the config file for hosts the
 * environment does not alias (the environment wins per host). A missing config file means none from it;
 * unreadable or malformed JSON is an `INVALID_REGISTRY_ALIAS` error naming the file.
 *
 * @example
 * ```ts
 * const aliases = loadRegistryAliases({ env: process.env });
 * ```
 */
export function loadRegistryAliases(options: RegistryAliasOptions = {}): RegistryAlias[] {
  const env = options.env ?? process.env;
  const fromEnv = parseRegistryAliasesEnv(env[REGISTRY_ALIASES_ENV] ?? '');
  const file = options.configFile ?? glassboxConfigFile(env, options.homedir);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new EcrError('INVALID_REGISTRY_ALIAS', `${file}: cannot read the Glassbox config file (${code ?? String(error)}).`, {
        cause: error,
      });
    }
  }
  if (text === undefined) return fromEnv;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new EcrError('INVALID_REGISTRY_ALIAS', `${file}: not valid JSON (${(error as Error).message}); fix or remove the file.`, {
      cause: error,
    });
  }
  const fromFile = parseRegistryAliasesConfig(config, file);
  return [...fromEnv, ...fromFile.filter((alias) => !fromEnv.some((other) => other.from === alias.from))];
}

/** The `host` and `port` Docker named, from `host`, `host:port`, `https://host:port/v2/...`. */
function authorityOf(input: string): { hostname: string; port?: string } | undefined {
  let rest = input.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  if (authority.includes('@')) return undefined;
  authority = authority.replace(/\.(?=(?::\d+)?$)/, '');
  return splitHostPort(authority);
}

/**
 * The alias for what Docker named (a host, `host:port`, or a URL): the one with the same host and port, else
 * the one with the same host and no port.
 *
 * @example
 * ```ts
 * findRegistryAlias(aliases, 'https://127.0.0.1:5000/v2/');
 * ```
 */
export function findRegistryAlias(aliases: readonly RegistryAlias[], input: string): RegistryAlias | undefined {
  const wanted = typeof input === 'string' ? authorityOf(input) : undefined;
  if (!wanted) return undefined;
  return (
    aliases.find((alias) => alias.hostname === wanted.hostname && alias.port !== undefined && alias.port === wanted.port) ??
    aliases.find((alias) => alias.hostname === wanted.hostname && alias.port === undefined)
  );
}

/**
 * The ECR registry behind a registry host: an explicit alias first (so an alias can also give a VPC endpoint
 * name its account), else the hostname itself when it is ECR-shaped, else undefined. Throws
 * `INVALID_REGISTRY_ALIAS` when the aliases are malformed.
 *
 * @example
 * ```ts
 * resolveRegistry('127.0.0.1:5000', { env: { GLASSBOX_REGISTRY_ALIASES: '127.0.0.1:5000=123456789012.dkr.ecr.us-east-1.amazonaws.com' } });
 * // { registry: { host: '123456789012.dkr.ecr.us-east-1.amazonaws.com', ... }, alias: { from: '127.0.0.1:5000', source: 'env' } }
 * ```
 */
export function resolveRegistry(host: string, options: RegistryAliasOptions = {}): ResolvedRegistry | undefined {
  const alias = findRegistryAlias(loadRegistryAliases(options), host);
  if (alias) return { registry: alias.registry, alias: { from: alias.from, source: alias.source } };
  const registry = parseRegistryHost(host);
  return registry ? { registry } : undefined;
}

/**
 * The trace line for an alias: `alias HOST -> REGISTRY (from env|file)`.
 *
 * @example
 * ```ts
 * describeAlias({ from: '127.0.0.1:5000', source: 'env' }, '123456789012.dkr.ecr.us-east-1.amazonaws.com');
 * // 'alias 127.0.0.1:5000 -> 123456789012.dkr.ecr.us-east-1.amazonaws.com (from env)'
 * ```
 */
export function describeAlias(alias: RegistryAliasOrigin, registryHost: string): string {
  return `alias ${alias.from} -> ${registryHost} (from ${alias.source})`;
}
