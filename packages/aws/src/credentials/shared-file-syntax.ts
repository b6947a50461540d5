/**
 * The syntax of AWS's ini dialect, as the AWS CLI's parser (Python's `configparser`, through botocore's
 * `RawConfigParser`) reads `~/.aws/config` and `~/.aws/credentials`: sections, `key = value` (or
 * `key: value`), values taken literally (no inline comments, no quote removal), and indented sub-keys
 * under a key with an empty value. One reader, synchronous and import-light: the credential chain reads
 * the files through it, and so does the credential helper's {@link profileIdentity} on every `docker pull`.
 */

/** A section's keys: plain values, or (for keys such as `ecr` in `[services x]`) nested sub-keys. */
export type ConfigSection = Readonly<Record<string, string | Readonly<Record<string, string>>>>;

/**
 * Makes the error for a file the AWS CLI cannot parse either, from what its parser (Python's `configparser`)
 * knows and it does not print: the line and the problem. Values are never quoted: the line may hold a secret
 * key. Passed in by the caller, so that this file imports nothing (the helper's warm path reads it).
 */
export type Unparsable = (source: string, line: number, problem: string) => Error;

/** Where a line's key ends: the first `=` or `:` (configparser's delimiters, both accepted by the AWS CLI), or -1. */
function delimiterIndex(text: string): number {
  const equals = text.indexOf('=');
  const colon = text.indexOf(':');
  if (equals === -1) return colon;
  if (colon === -1) return equals;
  return Math.min(equals, colon);
}

// A name that would reach Object.prototype in a plain object; skipped as the `ini` package (used before) did.
const UNSAFE_NAME = '__proto__';

/**
 * Parses a shared config or credentials file into sections, values taken literally. A file the AWS CLI
 * cannot parse is a `SHARED_FILE_INVALID` error naming `source` (the path), the line and the problem.
 *
 * What configparser refuses is refused here too: a byte order mark, a key before any section, a section
 * header without its `]`, an unindented line without `=`. Lines end at LF, CRLF or a lone CR, as Python's
 * universal newlines read them (the AWS CLI accepts CR-only files). A repeated section adds to the first,
 * a repeated key replaces the earlier value, and `a.b = v` (or an indented `b = v` under `a =`) is the
 * sub-key `b` of `a`.
 *
 * @example
 * ```ts
 * readAwsIni('[profile dev]\nregion = eu-west-1\n[services s]\necr =\n  endpoint_url = http://127.0.0.1:9000\n', 'config', (source, line, problem) => new Error(`${source}:${line}: ${problem}`));
 * // { 'profile dev': { region: 'eu-west-1' }, 'services s': { ecr: { endpoint_url: 'http://127.0.0.1:9000' } } }
 * readAwsIni('[default\nregion = eu-west-1\n', '/home/me/.aws/config', unparsable); // throws unparsable(…, 1, …)
 * // throws: Unable to parse /home/me/.aws/config, line 1: the section header "[default" has no closing "]"; …
 * ```
 */
export function readAwsIni(text: string, source: string, unparsable: Unparsable): Record<string, ConfigSection> {
  // Pass 1, the tokenizer: each section's keys in order (`parent.sub` for an indented sub-key), last value winning.
  const flat = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let parentKey: string | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const number = index + 1;
    const rawLine = lines[index] as string;
    if (index === 0 && rawLine.startsWith('\uFEFF')) {
      throw unparsable(
        source,
        1,
        'the file starts with a UTF-8 byte order mark (BOM), which the AWS CLI cannot read either; save it as UTF-8 without a BOM',
      );
    }
    const line = rawLine.replace(/\s+$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const indented = /^\s/.test(line);
    const inSection = current !== undefined;
    if (trimmed.startsWith('[') && !(indented && inSection)) {
      const section = /^\[\s*([^\]]*?)\s*\]/.exec(trimmed);
      if (!section) {
        const name = trimmed.slice(1, 60).trim();
        throw unparsable(
          source,
          number,
          `the section header "${trimmed.slice(0, 60)}" has no closing "]"; write it as [${name || 'default'}]`,
        );
      }
      const name = section[1] as string;
      if (name === '') throw unparsable(source, number, 'the section header "[]" has no name; write [default] or [profile name]');
      current = flat.get(name) ?? new Map<string, string>();
      if (name !== UNSAFE_NAME) flat.set(name, current);
      parentKey = undefined;
      continue;
    }
    const delimiter = delimiterIndex(trimmed);
    // An indented line without a key continues the previous value in configparser: nothing to read here.
    if (indented && inSection && delimiter <= 0) continue;
    if (current === undefined) {
      const what = delimiter > 0 ? `the key "${trimmed.slice(0, delimiter).trim().slice(0, 60)}"` : 'a line';
      throw unparsable(source, number, `${what} comes before any [section] header; put it under [default] or [profile name]`);
    }
    if (delimiter <= 0) {
      throw unparsable(
        source,
        number,
        'the line has no "=" (its text is not shown, as it may hold a secret); each line must be key = value, or a [section] header',
      );
    }
    const key = trimmed.slice(0, delimiter).trim().toLowerCase();
    const value = trimmed.slice(delimiter + 1).trim();
    if (indented && parentKey !== undefined) {
      current.set(`${parentKey}.${key}`, value);
      continue;
    }
    parentKey = value === '' ? key : undefined;
    current.set(key, value);
  }

  // Pass 2: `parent.sub` keys become nested sections; an empty `parent =` does not hide its sub-keys.
  const sections: Record<string, ConfigSection> = Object.create(null);
  for (const [name, keys] of flat) {
    const section: Record<string, string | Record<string, string>> = Object.create(null);
    for (const [key, value] of keys) {
      if (key === UNSAFE_NAME) continue;
      const dot = key.indexOf('.');
      if (dot > 0) {
        const parent = key.slice(0, dot);
        const existing = section[parent];
        const nested = typeof existing === 'object' ? existing : (section[parent] = Object.create(null) as Record<string, string>);
        nested[key.slice(dot + 1)] = value;
      } else if (typeof section[key] !== 'object' || value !== '') {
        section[key] = value;
      }
    }
    sections[name] = section;
  }
  return sections;
}

/** The config file's sections by kind: profiles, `[services x]` and `[sso-session x]`. */
export interface ConfigFileSections {
  /** Profiles by name: `[default]`, `[profile name]` (`[profile default]` wins over `[default]` per key). */
  readonly profiles: Record<string, ConfigSection>;
  /** `[services name]` sections by name. */
  readonly services: Record<string, ConfigSection>;
  /** `[sso-session name]` sections by name. */
  readonly ssoSessions: Record<string, ConfigSection>;
}

/**
 * Sorts the config file's sections by kind, as botocore's `build_profile_map` does: in the config file a
 * profile is `[default]` or `[profile name]`; a bare `[name]` is not a profile there and is ignored.
 *
 * @example
 * ```ts
 * splitConfigSections(readAwsIni('[profile dev]\nregion = eu-west-1\n', 'config', unparsable)).profiles; // { dev: { region: 'eu-west-1' } }
 * ```
 */
export function splitConfigSections(configSections: Record<string, ConfigSection>): ConfigFileSections {
  const profiles: Record<string, ConfigSection> = Object.create(null);
  const services: Record<string, ConfigSection> = Object.create(null);
  const ssoSessions: Record<string, ConfigSection> = Object.create(null);
  for (const [name, section] of Object.entries(configSections)) {
    const [kind, ...rest] = name.split(/\s+/);
    const rest_ = rest.join(' ');
    if (name === 'default') profiles['default'] = { ...section, ...profiles['default'] };
    else if (kind === 'profile' && rest_ !== '') profiles[rest_] = rest_ === 'default' ? { ...profiles['default'], ...section } : section;
    else if (kind === 'services' && rest_ !== '') services[rest_] = section;
    else if (kind === 'sso-session' && rest_ !== '') ssoSessions[rest_] = section;
    // Any other bare section is not a profile in the config file (botocore ignores it).
  }
  return { profiles, services, ssoSessions };
}
