/**
 * The network settings an AWS user already has, read as the AWS CLI reads them (botocore
 * `configprovider.py`): an explicit option first, then the environment variable, then the profile's key,
 * then the default. Every value is checked here, once, and a bad one is an `INVALID_CONFIGURATION` error
 * whose `setting` names the variable or key to fix.
 *
 * | setting | option | variable | profile key | default |
 * |---|---|---|---|---|
 * | attempts in all | `maxAttempts` | `AWS_MAX_ATTEMPTS` | `max_attempts` | 3 (`legacy`: 5) |
 * | retry mode | `retryMode` | `AWS_RETRY_MODE` | `retry_mode` | `standard` |
 * | CA bundle (PEM) | `caBundle` | `AWS_CA_BUNDLE` | `ca_bundle` | Node's roots (+ `NODE_EXTRA_CA_CERTS`) |
 * | connect timeout | `connectTimeoutMs` | — (`--cli-connect-timeout`) | — | 10 s |
 * | read timeout | `readTimeoutMs` | — (`--cli-read-timeout`) | — | 30 s |
 * | proxy | `proxy` | `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` | — | none |
 *
 * `adaptive` is accepted and behaves as `standard` (its client-side rate limiter is not implemented); the
 * settings carry a note saying so. `legacy` differs from `standard` in its default of 5 attempts only.
 */
import type { LookupFunction } from 'node:net';
import { readFile } from 'node:fs/promises';
import { invalidSetting } from './errors.ts';
import type { Environment } from './proxy.ts';

/** The AWS retry modes. */
export type RetryMode = 'standard' | 'legacy' | 'adaptive';

const RETRY_MODES: readonly RetryMode[] = ['standard', 'legacy', 'adaptive'];

/**
 * The defaults, where they differ from the AWS CLI's (60 s each): a credential helper that Docker waits on
 * should give up sooner.
 *
 * @example
 * ```ts
 * TRANSPORT_DEFAULTS.connectTimeoutMs; // 10000
 * ```
 */
export const TRANSPORT_DEFAULTS = {
  /** Milliseconds to establish the TCP (and TLS, and proxy tunnel) connection. */
  connectTimeoutMs: 10_000,
  /** Milliseconds to wait for the response to start, and then between two pieces of the body. */
  readTimeoutMs: 30_000,
  /** Attempts in all in `standard` (and `adaptive`) mode, as every SDK. */
  maxAttempts: 3,
  /** Attempts in all in `legacy` mode (botocore's `_retry.json`: 4 retries). */
  legacyMaxAttempts: 5,
  /** More attempts than this is a typo, not a policy. */
  maxAttemptsLimit: 100,
} as const;

/** A CA bundle, read: the PEM text and where its path came from. */
export interface CaBundle {
  /** The PEM text (one or more certificates). */
  readonly pem: string;
  /** The file. */
  readonly path: string;
  /** `AWS_CA_BUNDLE`, `ca_bundle in profile "dev"`, or `the caBundle option`. */
  readonly from: string;
}

/** Everything the transport needs to know, resolved. */
export interface TransportSettings {
  /** The environment holding `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`. */
  readonly env: Environment;
  /** A proxy URL instead of the environment's, `false` for none, undefined for the environment's. */
  readonly proxy: string | false | undefined;
  /** Trusted CAs instead of Node's roots, or undefined. */
  readonly ca: CaBundle | undefined;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Where `maxAttempts` came from (`AWS_MAX_ATTEMPTS`, `max_attempts in profile "dev"`, `default`…). */
  readonly maxAttemptsFrom: string;
  /** The retry mode. */
  readonly retryMode: RetryMode;
  /** Where `retryMode` came from. */
  readonly retryModeFrom: string;
  /** Connect timeout in ms; 0 waits for ever. */
  readonly connectTimeoutMs: number;
  /** Read timeout in ms; 0 waits for ever. */
  readonly readTimeoutMs: number;
  /** Things the user should know about these settings (e.g. that `adaptive` behaves as `standard`). */
  readonly notes: readonly string[];
  /** Name resolution, for tests (never resolve a real name in a test). Default: the system's. */
  readonly lookup?: LookupFunction | undefined;
}

/** A profile's keys, as the shared config reader returns them (only string values are read). */
export interface ProfileKeys {
  /** The profile name, for messages. */
  readonly name: string;
  /** Its keys. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** Inputs of {@link resolveTransportSettings}: explicit options win over `env`, which wins over `profile`. */
export interface TransportSettingsInput {
  /** Default: `process.env`. */
  env?: Environment | undefined;
  /** The selected profile's keys (`ca_bundle`, `max_attempts`, `retry_mode`). */
  profile?: ProfileKeys | undefined;
  /** Attempts in all. */
  maxAttempts?: number | undefined;
  /** The retry mode. */
  retryMode?: RetryMode | undefined;
  /** A CA bundle path. */
  caBundle?: string | undefined;
  /** Connect timeout in ms (0: none). */
  connectTimeoutMs?: number | undefined;
  /** Read timeout in ms (0: none). */
  readTimeoutMs?: number | undefined;
  /** A proxy URL, or `false` for none. */
  proxy?: string | false | undefined;
  /** Name resolution (tests). */
  lookup?: LookupFunction | undefined;
}

interface Found {
  text: string;
  from: string;
  setting: string;
}

/** The first of option, variable, profile key that is set (blank counts as unset, as botocore reads it). */
function pick(input: TransportSettingsInput, option: string, value: unknown, variable: string, key: string): Found | undefined {
  if (value !== undefined) return { text: String(value), from: `the ${option} option`, setting: option };
  const fromEnv = (input.env ?? process.env)[variable];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { text: fromEnv.trim(), from: variable, setting: variable };
  const fromProfile = input.profile?.values[key];
  if (typeof fromProfile === 'string' && fromProfile.trim() !== '') {
    return { text: fromProfile.trim(), from: `${key} in profile "${input.profile?.name}"`, setting: key };
  }
  return undefined;
}

function retryMode(input: TransportSettingsInput): { mode: RetryMode; from: string } {
  const found = pick(input, 'retryMode', input.retryMode, 'AWS_RETRY_MODE', 'retry_mode');
  if (found === undefined) return { mode: 'standard', from: 'default' };
  const mode = RETRY_MODES.find((m) => m === found.text.toLowerCase());
  if (mode === undefined) throw invalidSetting(found.setting, `${found.from} is "${found.text}": use standard, legacy or adaptive.`);
  return { mode, from: found.from };
}

function maxAttempts(input: TransportSettingsInput, mode: RetryMode): { attempts: number; from: string } {
  const found = pick(input, 'maxAttempts', input.maxAttempts, 'AWS_MAX_ATTEMPTS', 'max_attempts');
  if (found === undefined)
    return {
      attempts: mode === 'legacy' ? TRANSPORT_DEFAULTS.legacyMaxAttempts : TRANSPORT_DEFAULTS.maxAttempts,
      from: `default for retry mode ${mode}`,
    };
  const attempts = Number(found.text);
  if (!/^\d+$/.test(found.text) || attempts < 1 || attempts > TRANSPORT_DEFAULTS.maxAttemptsLimit) {
    throw invalidSetting(
      found.setting,
      `${found.from} is "${found.text}": it counts attempts in all, the first included, so use a whole number from 1 (no retries) to ${TRANSPORT_DEFAULTS.maxAttemptsLimit}.`,
    );
  }
  return { attempts, from: found.from };
}

function timeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidSetting(name, `${name} is ${String(value)}: use milliseconds, 0 or more (0 waits for ever).`);
  }
  return Math.round(value);
}

/** `~/x` as botocore expands it, from `HOME`. */
function expandHome(path: string, env: Environment): string {
  const home = env['HOME'] ?? env['USERPROFILE'];
  return path.startsWith('~/') && home !== undefined ? `${home}${path.slice(1)}` : path;
}

async function caBundle(input: TransportSettingsInput): Promise<CaBundle | undefined> {
  const found = pick(input, 'caBundle', input.caBundle, 'AWS_CA_BUNDLE', 'ca_bundle');
  if (found === undefined) return undefined;
  const path = expandHome(found.text, input.env ?? process.env);
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw invalidSetting(
      found.setting,
      `${found.from} is "${found.text}", which cannot be read (${code}): point it at a PEM file of the CA certificates to trust.`,
      cause,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw invalidSetting(
      found.setting,
      `${found.from} is "${found.text}", which holds no PEM certificate (-----BEGIN CERTIFICATE-----): point it at a PEM file of the CA certificates to trust.`,
    );
  }
  return { pem, path, from: found.from };
}

function settings(input: TransportSettingsInput, ca: CaBundle | undefined): TransportSettings {
  const mode = retryMode(input);
  const attempts = maxAttempts(input, mode.mode);
  const notes: string[] = [];
  if (mode.mode === 'adaptive') {
    notes.push(`retry mode adaptive (from ${mode.from}) behaves as standard here: Glassbox has no client-side rate limiter.`);
  }
  return {
    env: input.env ?? process.env,
    proxy: input.proxy,
    ca,
    maxAttempts: attempts.attempts,
    maxAttemptsFrom: attempts.from,
    retryMode: mode.mode,
    retryModeFrom: mode.from,
    connectTimeoutMs: timeout('connectTimeoutMs', input.connectTimeoutMs, TRANSPORT_DEFAULTS.connectTimeoutMs),
    readTimeoutMs: timeout('readTimeoutMs', input.readTimeoutMs, TRANSPORT_DEFAULTS.readTimeoutMs),
    notes,
    ...(input.lookup === undefined ? {} : { lookup: input.lookup }),
  };
}

/**
 * Resolves and checks every setting, reading the CA bundle file if one is named.
 *
 * @example
 * ```ts
 * const settings = await resolveTransportSettings({ env: process.env, profile: { name: 'dev', values: { max_attempts: '5' } } });
 * settings.maxAttempts; // 5, unless AWS_MAX_ATTEMPTS says otherwise
 * ```
 */
export async function resolveTransportSettings(input: TransportSettingsInput = {}): Promise<TransportSettings> {
  return settings(input, await caBundle(input));
}

/**
 * The same without a CA bundle (no file to read), for callers that cannot wait: the variables and profile
 * keys still apply, `AWS_CA_BUNDLE` / `ca_bundle` do not.
 *
 * @example
 * ```ts
 * transportSettingsSync({ env: {}, maxAttempts: 1 }).maxAttempts; // 1
 * ```
 */
export function transportSettingsSync(input: TransportSettingsInput = {}): TransportSettings {
  return settings(input, undefined);
}
