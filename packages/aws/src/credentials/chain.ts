/**
 * The credential chain, in the AWS CLI's order (botocore `create_credential_resolver`,
 * `botocore/credentials.py`):
 *
 * | # | source | when it answers |
 * |---|---|---|
 * | 1 | `environment` | `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY`; **skipped when a profile is named explicitly** (`--profile` / the `profile` option) |
 * | 2 | `assume-role` | the profile has `role_arn` + `source_profile` / `credential_source` |
 * | 3 | `web-identity` | `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, or the profile's `web_identity_token_file` + `role_arn` |
 * | 4 | `sso` | the profile has `sso_*` keys (IAM Identity Center): the token `aws sso login` cached, exchanged at `GetRoleCredentials` |
 * | 5 | `shared-credentials-file` | the profile's keys in `~/.aws/credentials` |
 * | 6 | `credential-process` | the profile's `credential_process` |
 * | 7 | `shared-config-file` | the profile's keys in `~/.aws/config` |
 * | 8 | `container` | `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI` |
 * | 9 | `imds` | EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true` |
 *
 * A source that is not configured is skipped and the chain moves on; a source that is configured but
 * fails stops the chain with its error (botocore does the same: a broken `credential_process` must not
 * silently fall through to an instance role). IMDS is the exception: being last, unreachable is "skipped".
 * Note the difference from the JS SDK, which skips environment keys whenever `AWS_PROFILE` is set.
 */
import type { Environment } from '../regions.ts';
import { AwsError } from '../errors.ts';
import {
  type CredentialTraceEntry,
  ECS_CONTAINER_ENDPOINT,
  type ProviderContext,
  type SelectedProfile,
  type SourceResult,
} from './context.ts';
import type { Credentials } from './credentials.ts';
import { fromEnvironment } from './env.ts';
import { asEcrError } from '../http.ts';
import { resolveTransportSettings, type TransportSettings } from '../transport/index.ts';
import { createHttpClient, type HttpClient } from './http-client.ts';
import { fromConfigFileKeys, fromSharedCredentialsFile } from './profile-keys.ts';
import { defaultHomedir, getProfile, loadSharedConfig, profileNotFound, selectProfile } from './shared-files.ts';

/** Options of {@link resolveCredentials} and of `createCredentialProvider` (in `@glassbox/aws/credentials`). */
export interface ResolveCredentialsOptions {
  /** A profile named explicitly, like `aws --profile`: environment keys are then ignored. */
  profile?: string | undefined;
  /** The environment. Default: `process.env`, read once here. */
  env?: Environment | undefined;
  /** The home directory for `~/.aws`. Default: `HOME` from `env`, else `os.homedir()`. */
  homedir?: string | undefined;
  /** Include the per-source trace in the result. */
  trace?: boolean | undefined;
  /** Cancels network calls and `credential_process`. */
  signal?: AbortSignal | undefined;
  /** The HTTP client for STS, SSO, container and IMDS calls. Default: the shared transport, with `transport`'s settings. */
  http?: HttpClient | undefined;
  /** Transport settings (CA bundle, attempts for STS and SSO). Default: `AWS_CA_BUNDLE`, `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, then the profile's `ca_bundle`, `max_attempts`, `retry_mode`. */
  transport?: TransportSettings | undefined;
  /** The clock in epoch milliseconds (signing STS calls, expiry checks). Default: `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * The proxy for STS calls (AssumeRole, AssumeRoleWithWebIdentity): a URL, or `false` for none. Default:
   * `HTTPS_PROXY` / `HTTP_PROXY` from `env`, minding `NO_PROXY`. The container endpoint and IMDS never use one.
   */
  proxy?: string | false | undefined;
  /** Per-request timeout for STS, in milliseconds. Default 10 000. */
  timeoutMs?: number | undefined;
  /** Time limit for `credential_process`, in milliseconds. Default 60 000. */
  processTimeoutMs?: number | undefined;
  /** The base of `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`. Default `http://169.254.170.2`; tests point it at a local server. */
  containerEndpointBase?: string | undefined;
}

/** What {@link resolveCredentials} returns. */
export interface ResolvedCredentials {
  /** The credentials (secret and token hidden from every printout). */
  credentials: Credentials;
  /** The source that answered, e.g. `environment`, `assume-role`. */
  source: string;
  /** The profile in effect, and where its name came from. */
  profile: SelectedProfile;
  /** With `trace: true`: every source tried, in order, with what it did and why. */
  trace?: CredentialTraceEntry[];
}

/** One link of the chain. */
interface ChainLink {
  source: string;
  /** Whether it is one of the profile providers (which need the profile to exist). */
  profile: boolean;
  resolve: (context: ProviderContext) => Promise<SourceResult>;
}

/**
 * The chain, in order. The environment and the shared files' keys are read by every run; the other
 * providers (STS, SSO, `credential_process`, the metadata endpoints) are loaded when the chain reaches
 * them, so keys in the environment cost no module of theirs (child_process among them).
 */
const CHAIN: readonly ChainLink[] = [
  { source: 'environment', profile: false, resolve: fromEnvironment },
  { source: 'assume-role', profile: true, resolve: async (context) => (await import('./assume-role.ts')).fromAssumeRole(context) },
  { source: 'web-identity', profile: false, resolve: async (context) => (await import('./web-identity.ts')).fromWebIdentity(context) },
  { source: 'sso', profile: true, resolve: async (context) => (await import('./sso.ts')).fromSso(context) },
  { source: 'shared-credentials-file', profile: true, resolve: fromSharedCredentialsFile },
  {
    source: 'credential-process',
    profile: true,
    resolve: async (context) => (await import('./process.ts')).fromCredentialProcess(context),
  },
  { source: 'shared-config-file', profile: true, resolve: fromConfigFileKeys },
  { source: 'container', profile: false, resolve: async (context) => (await import('./container.ts')).fromContainer(context) },
  { source: 'imds', profile: false, resolve: async (context) => (await import('./imds.ts')).fromInstanceMetadata(context) },
];

/**
 * The sources in the order the chain tries them.
 *
 * @example
 * ```ts
 * CHAIN_ORDER[0]; // 'environment'
 * ```
 */
export const CHAIN_ORDER: readonly string[] = CHAIN.map((link) => link.source);

/**
 * Builds the context the providers run in: reads `process.env` (unless `env` is given), the home
 * directory and both shared files, once.
 *
 * @example
 * ```ts
 * const context = await createProviderContext({ env: { AWS_PROFILE: 'dev' } });
 * await fromSharedCredentialsFile(context);
 * ```
 */
export async function createProviderContext(options: ResolveCredentialsOptions = {}): Promise<ProviderContext> {
  const env = options.env ?? { ...process.env };
  const homedir = options.homedir ?? defaultHomedir(env);
  const config = await loadSharedConfig({ env, homedir });
  const profile = selectProfile(env, options.profile);
  let http = options.http;
  if (http === undefined) {
    // Resolved on the first call only: keys from the environment or a file need no network, and a bad
    // AWS_CA_BUNDLE must not stop `glassbox sign` from signing.
    const values = getProfile(config, profile.name)?.values;
    let client: Promise<HttpClient> | undefined;
    const resolveClient = async (): Promise<HttpClient> => {
      try {
        return createHttpClient(
          options.transport ??
            (await resolveTransportSettings({ env, ...(values === undefined ? {} : { profile: { name: profile.name, values } }) })),
        );
      } catch (error) {
        throw asEcrError(error);
      }
    };
    http = async (url, init) => (await (client ??= resolveClient()))(url, init);
  }
  return {
    env,
    homedir,
    profile,
    config,
    http,
    proxy: options.proxy,
    now: options.now ?? Date.now,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? 10_000,
    processTimeoutMs: options.processTimeoutMs ?? 60_000,
    containerEndpointBase: options.containerEndpointBase ?? ECS_CONTAINER_ENDPOINT,
  };
}

/**
 * Walks the chain and returns the first credentials found, with which source answered and (with
 * `trace: true`) why each earlier source was skipped. Throws `CREDENTIALS_NOT_FOUND` listing every
 * reason when nothing answers, or the failing source's error when a configured source is broken.
 *
 * @example
 * ```ts
 * const { credentials, source, trace } = await resolveCredentials({ profile: 'dev', trace: true });
 * for (const step of trace!) console.log(`${step.source}: ${step.outcome} (${step.reason})`);
 * ```
 */
export async function resolveCredentials(options: ResolveCredentialsOptions = {}): Promise<ResolvedCredentials> {
  const context = await createProviderContext(options);
  const trace: CredentialTraceEntry[] = [];
  let profileChecked = false;
  for (const link of CHAIN) {
    if (link.source === 'environment' && context.profile.explicit) {
      trace.push({
        source: link.source,
        outcome: 'skipped',
        reason: `the profile "${context.profile.name}" was named explicitly, which disables environment keys (as aws --profile does)`,
      });
      continue;
    }
    if (link.profile && !profileChecked) {
      profileChecked = true;
      if (context.profile.name !== 'default' && getProfile(context.config, context.profile.name) === undefined) {
        throw profileNotFound(context.config, context.profile);
      }
    }
    let result: SourceResult;
    try {
      result = await link.resolve(context);
    } catch (error) {
      trace.push({ source: link.source, outcome: 'failed', reason: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    if ('skipped' in result) {
      trace.push({ source: link.source, outcome: 'skipped', reason: result.skipped });
      continue;
    }
    trace.push({ source: link.source, outcome: 'used', reason: result.reason });
    return { credentials: result.credentials, source: link.source, profile: context.profile, ...(options.trace ? { trace } : {}) };
  }
  throw new AwsError(
    'CREDENTIALS_NOT_FOUND',
    `No AWS credentials found (profile "${context.profile.name}" from ${context.profile.from}). Tried, in order:\n${trace
      .map((entry) => `  - ${entry.source}: ${entry.reason}`)
      .join(
        '\n',
      )}\nSet AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add keys or a role to the profile (aws configure), or run where a container or instance role is available.`,
  );
}

/**
 * Formats a credential trace for people: one line per source. Never contains a secret (the trace never holds one).
 *
 * @example
 * ```ts
 * console.error(formatCredentialTrace(resolved.trace!));
 * // environment: skipped (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set)
 * // assume-role: used (profile deploy has role_arn and source_profile; STS AssumeRole answered)
 * ```
 */
export function formatCredentialTrace(trace: readonly CredentialTraceEntry[]): string {
  return trace.map((entry) => `${entry.source}: ${entry.outcome} (${entry.reason})`).join('\n');
}
