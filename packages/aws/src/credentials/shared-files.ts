/**
 * The shared AWS files: `~/.aws/config` and `~/.aws/credentials`, as botocore reads them
 * (`botocore/configloader.py`, `build_profile_map`; `botocore/session.py`, `full_config`).
 *
 * - Paths: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and `~/.aws/credentials`.
 * - In the config file a profile is `[default]` or `[profile name]`; a bare `[name]` is not a profile
 *   there (`[profile default]` is also accepted and wins over `[default]`). `[services name]` and
 *   `[sso-session name]` are separate section kinds.
 * - In the credentials file every section is a profile, named exactly as written: `[dev]`.
 * - A profile is the union of both files; where both set a key, the **credentials file wins**
 *   (botocore merges it over the config file; the JS SDK does the same).
 * - Values are taken literally: no inline comments, no quote removal (botocore uses
 *   `RawConfigParser`), and indented lines under a key with an empty value are its sub-keys
 *   (`ecr =` / `  endpoint_url = …` in `[services x]`).
 */
import { readFile } from 'node:fs/promises';
import { homedir as osHomedir } from 'node:os';
import { join } from 'node:path';
import type { Environment, ProfileEndpointSettings } from '../regions.ts';
import { AwsError } from '../errors.ts';
import { readAwsIni, splitConfigSections, type ConfigSection } from './shared-file-syntax.ts';
import { readVariable } from './variables.ts';

/**
 * Parses an AWS shared file's text as the AWS CLI does (`shared-file-syntax.ts`); a file it cannot parse is
 * `SHARED_FILE_INVALID`, naming the file and line ("Unable to parse config file" in the AWS CLI).
 *
 * @example
 * ```ts
 * parseAwsIni('[profile dev]\nregion = eu-west-1\n', '/home/me/.aws/config'); // { 'profile dev': { region: 'eu-west-1' } }
 * ```
 */
export function parseAwsIni(text: string, source = 'the AWS shared file'): Record<string, ConfigSection> {
  return readAwsIni(
    text,
    source,
    (file, line, problem) => new AwsError('SHARED_FILE_INVALID', `Unable to parse ${file}, line ${line}: ${problem}.`),
  );
}
export type { ConfigSection } from './shared-file-syntax.ts';

/** The profile a resolution uses. */
export interface SelectedProfile {
  /** The profile name. */
  readonly name: string;
  /** Whether the caller named it (option), which disables environment keys as `aws --profile` does. */
  readonly explicit: boolean;
  /** Where the name came from: `option`, `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`, or `default`. */
  readonly from: string;
}

/** One parsed file. */
export interface SharedFile {
  /** The path read (after `~` expansion). */
  readonly path: string;
  /** Whether it existed. A missing file is the same as an empty one. */
  readonly exists: boolean;
  /** Profiles by name. */
  readonly profiles: Readonly<Record<string, ConfigSection>>;
}

/** The paths of the two shared files. */
export interface SharedFilePaths {
  /** `AWS_CONFIG_FILE`, else `~/.aws/config`. */
  configFile: string;
  /** `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`. */
  credentialsFile: string;
}

/** The config file: profiles, plus its other section kinds. */
export interface SharedConfigFile extends SharedFile {
  /** `[services name]` sections by name: per-service settings such as `endpoint_url`. */
  readonly services: Readonly<Record<string, ConfigSection>>;
  /** `[sso-session name]` sections by name: an IAM Identity Center start URL and region that profiles share. */
  readonly ssoSessions: Readonly<Record<string, ConfigSection>>;
}

/** Both files, parsed. */
export interface SharedConfig {
  /** The config file: profiles, plus `[services x]` and `[sso-session x]` sections. */
  readonly configFile: SharedConfigFile;
  /** The credentials file. */
  readonly credentialsFile: SharedFile;
}

/** A profile: its name, its merged keys, and each file's own keys (for "which file said so" traces). */
export interface Profile {
  /** The profile name (without the config file's `profile ` prefix). */
  readonly name: string;
  /** Both files merged, the credentials file winning per key. */
  readonly values: ConfigSection;
  /** The section in the credentials file, if any. */
  readonly credentialsFile?: ConfigSection | undefined;
  /** The section in the config file, if any. */
  readonly configFile?: ConfigSection | undefined;
}

/** Where to find the files: the environment (for the `AWS_*` variables) and the home directory. */
export interface SharedFileOptions {
  /** Default: `process.env`. */
  env?: Environment | undefined;
  /** Default: `HOME` from `env`, else `os.homedir()`. */
  homedir?: string | undefined;
}

function expandHome(path: string, homedir: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir, path.slice(1)) : path;
}

/**
 * The two file paths, from `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` or the defaults under
 * `~/.aws`, with a leading `~` expanded.
 *
 * @example
 * ```ts
 * sharedFilePaths({}, '/home/me'); // { configFile: '/home/me/.aws/config', credentialsFile: '/home/me/.aws/credentials' }
 * ```
 */
export function sharedFilePaths(env: Environment, homedir: string): SharedFilePaths {
  return {
    configFile: expandHome(readVariable(env, 'AWS_CONFIG_FILE') ?? '~/.aws/config', homedir),
    credentialsFile: expandHome(readVariable(env, 'AWS_SHARED_CREDENTIALS_FILE') ?? '~/.aws/credentials', homedir),
  };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new AwsError(
      'PROFILE_INVALID',
      `Could not read ${path} (${code ?? 'error'}): fix its permissions or point the variable elsewhere.`,
      { cause: error },
    );
  }
}

/**
 * Reads and parses both shared files. Missing files count as empty.
 *
 * @example
 * ```ts
 * const config = await loadSharedConfig({ env: { AWS_CONFIG_FILE: '/tmp/aws-config' }, homedir: '/home/me' });
 * Object.keys(config.configFile.profiles); // ['default', 'dev']
 * ```
 */
export async function loadSharedConfig(options: SharedFileOptions = {}): Promise<SharedConfig> {
  const env = options.env ?? process.env;
  const homedir = options.homedir ?? defaultHomedir(env);
  const paths = sharedFilePaths(env, homedir);
  const [configText, credentialsText] = await Promise.all([readOptional(paths.configFile), readOptional(paths.credentialsFile)]);

  const { profiles, services, ssoSessions } = splitConfigSections(
    configText === undefined ? {} : parseAwsIni(configText, paths.configFile),
  );
  return {
    configFile: { path: paths.configFile, exists: configText !== undefined, profiles, services, ssoSessions },
    credentialsFile: {
      path: paths.credentialsFile,
      exists: credentialsText !== undefined,
      profiles: credentialsText === undefined ? {} : parseAwsIni(credentialsText, paths.credentialsFile),
    },
  };
}

/**
 * One profile from both files, merged with the credentials file winning; undefined if neither has it.
 *
 * @example
 * ```ts
 * getProfile(config, 'dev')?.values.region; // 'eu-west-1'
 * ```
 */
export function getProfile(config: SharedConfig, name: string): Profile | undefined {
  const fromConfig = config.configFile.profiles[name];
  const fromCredentials = config.credentialsFile.profiles[name];
  if (fromConfig === undefined && fromCredentials === undefined) return undefined;
  return {
    name,
    values: { ...fromConfig, ...fromCredentials },
    ...(fromCredentials === undefined ? {} : { credentialsFile: fromCredentials }),
    ...(fromConfig === undefined ? {} : { configFile: fromConfig }),
  };
}

/**
 * Which profile to use: the explicit one, else `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE` (botocore's
 * order, `botocore/configprovider.py`), else `default`.
 *
 * @example
 * ```ts
 * selectProfile({ AWS_PROFILE: 'dev' }); // { name: 'dev', explicit: false, from: 'AWS_PROFILE' }
 * ```
 */
export function selectProfile(env: Environment, explicit?: string): SelectedProfile {
  if (explicit !== undefined && explicit.trim() !== '') return { name: explicit.trim(), explicit: true, from: 'option' };
  for (const variable of ['AWS_DEFAULT_PROFILE', 'AWS_PROFILE']) {
    const value = readVariable(env, variable);
    if (value !== undefined) return { name: value, explicit: false, from: variable };
  }
  return { name: 'default', explicit: false, from: 'default' };
}

/**
 * A key's string value in a profile or section (nested keys are not strings and read as undefined;
 * blank is unset).
 *
 * @example
 * ```ts
 * profileString(profile.values, 'region'); // 'eu-west-1'
 * ```
 */
export function profileString(section: ConfigSection | undefined, key: string): string | undefined {
  const value = section?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * A boolean profile key: `true`/`false` in any case; anything else is an error naming the file to fix.
 *
 * @example
 * ```ts
 * profileBoolean(profile, 'use_fips_endpoint'); // true | false | undefined
 * ```
 */
export function profileBoolean(profile: Profile | undefined, key: string): boolean | undefined {
  const value = profileString(profile?.values, key);
  if (value === undefined) return undefined;
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  throw new AwsError('PROFILE_INVALID', `In profile "${profile?.name}", ${key} must be "true" or "false", not "${value}".`);
}

/**
 * The `[services x]` section key for a service: its id in lower case with `-` and spaces as `_`
 * (`ecr-public` → `ecr_public`), as the AWS "service-specific endpoints" feature defines it.
 */
function servicesKey(service: string): string {
  return service.toLowerCase().replace(/[-\s]+/g, '_');
}

/**
 * The endpoint-related settings of a profile, for `resolveEndpoint` (and the STS call here): `region`,
 * `use_fips_endpoint`, `use_dualstack_endpoint`, `endpoint_url`, `ignore_configured_endpoint_urls`, and
 * the `endpoint_url` of `service` in the `[services x]` section the profile's `services` key names.
 *
 * @example
 * ```ts
 * resolveProfileSettings(config, 'dev', 'ecr'); // { name: 'dev', region: 'eu-west-1', serviceEndpointUrl: 'http://127.0.0.1:9000', ... }
 * ```
 */
export function resolveProfileSettings(config: SharedConfig, profileName: string, service?: string): ProfileEndpointSettings {
  const profile = getProfile(config, profileName);
  const settings: ProfileEndpointSettings = { name: profileName };
  if (profile === undefined) return settings;
  const region = profileString(profile.values, 'region');
  if (region !== undefined) settings.region = region;
  const fips = profileBoolean(profile, 'use_fips_endpoint');
  if (fips !== undefined) settings.useFipsEndpoint = fips;
  const dualStack = profileBoolean(profile, 'use_dualstack_endpoint');
  if (dualStack !== undefined) settings.useDualstackEndpoint = dualStack;
  const ignore = profileBoolean(profile, 'ignore_configured_endpoint_urls');
  if (ignore !== undefined) settings.ignoreConfiguredEndpointUrls = ignore;
  const endpointUrl = profileString(profile.values, 'endpoint_url');
  if (endpointUrl !== undefined) settings.endpointUrl = endpointUrl;
  const servicesName = profileString(profile.values, 'services');
  if (service !== undefined && servicesName !== undefined) {
    const section = config.configFile.services[servicesName];
    if (section === undefined) {
      throw new AwsError(
        'PROFILE_INVALID',
        `Profile "${profileName}" names services "${servicesName}", but ${config.configFile.path} has no [services ${servicesName}] section.`,
      );
    }
    const entry = section[servicesKey(service)];
    const url = typeof entry === 'object' ? entry['endpoint_url'] : undefined;
    if (url !== undefined && url.trim() !== '') settings.serviceEndpointUrl = url.trim();
  }
  return settings;
}

/** Options of {@link loadProfile}. */
export interface LoadProfileOptions extends SharedFileOptions {
  /** The profile; default `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`, else `default`. */
  profile?: string | undefined;
  /** The service whose `[services x]` endpoint to read, e.g. `ecr`, `ecr-public`, `sts`. */
  service?: string | undefined;
}

/**
 * Reads the files and returns the selected profile's endpoint settings in one call. A profile named
 * explicitly (option or variable) that exists in neither file is an error; `default` may be absent.
 *
 * @example
 * ```ts
 * const profile = await loadProfile({ service: 'ecr' });
 * resolveEndpoint({ env: process.env, profile });
 * ```
 */
export async function loadProfile(options: LoadProfileOptions = {}): Promise<ProfileEndpointSettings> {
  const env = options.env ?? process.env;
  const homedir = options.homedir ?? defaultHomedir(env);
  const config = await loadSharedConfig({ env, homedir });
  const selected = selectProfile(env, options.profile);
  if (selected.name !== 'default' && getProfile(config, selected.name) === undefined) throw profileNotFound(config, selected);
  return resolveProfileSettings(config, selected.name, options.service);
}

/**
 * The error for a named profile that neither file defines.
 *
 * @example
 * ```ts
 * throw profileNotFound(config, { name: 'dev', from: 'AWS_PROFILE' });
 * ```
 */
export function profileNotFound(config: SharedConfig, selected: Pick<SelectedProfile, 'name' | 'from'>): AwsError {
  return new AwsError(
    'PROFILE_NOT_FOUND',
    `The profile "${selected.name}" (from ${selected.from}) is in neither ${config.configFile.path} ([profile ${selected.name}]) nor ${config.credentialsFile.path} ([${selected.name}]).`,
  );
}

/**
 * The home directory when none is given: `HOME` (or `USERPROFILE`) from the environment, as botocore
 * expands `~`, else the operating system's answer.
 *
 * @example
 * ```ts
 * defaultHomedir({ HOME: '/home/me' }); // '/home/me'
 * ```
 */
export function defaultHomedir(env: Environment): string {
  return readVariable(env, 'HOME') ?? readVariable(env, 'USERPROFILE') ?? osHomedir();
}
