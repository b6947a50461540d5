/**
 * IAM Identity Center (formerly AWS SSO): the access token that `aws sso login` leaves in
 * `~/.aws/sso/cache`, exchanged at the SSO portal's `GetRoleCredentials` for the profile's role. The
 * call is unsigned: the bearer token is the proof, and a secret like any other (never printed).
 * Glassbox reads the token; it does not sign in or refresh it — that is `aws sso login` — so a missing
 * or expired token is an error that says which command fixes it.
 *
 * Profile keys as botocore's `SSOProvider` reads them: `sso_session` naming an `[sso-session x]` section
 * that holds `sso_start_url` and `sso_region`, or (the legacy form) `sso_start_url` and `sso_region` in
 * the profile itself; either way `sso_account_id` and `sso_role_name`. The token file is
 * `~/.aws/sso/cache/<sha1 of the session name — or of the start URL in the legacy form>.json`
 * (botocore `SSOTokenLoader`). The API (model `sso-2019-06-10`): `GET /federation/credentials?account_id=…&role_name=…`
 * with `x-amz-sso_bearer_token`, at `https://portal.sso.<sso_region>.<dnsSuffix>` unless an endpoint is
 * configured (`AWS_ENDPOINT_URL_SSO`, …), answered with `roleCredentials` whose `expiration` is epoch milliseconds.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { partitionOf } from '../regions.ts';
import { AwsError } from '../errors.ts';
import { rememberSecret } from '@glassbox/sigv4/redaction';
import { proxyFor } from '../http.ts';
import type { ProviderContext, SourceResult } from './context.ts';
import { createCredentials, type Credentials } from './credentials.ts';
import { headerValue } from './http-client.ts';
import { getProfile, profileString, resolveProfileSettings } from './shared-files.ts';
import { configuredEndpoint } from './sts.ts';

/** What a profile says about its IAM Identity Center sign-in and role. */
export interface SsoSettings {
  /** The `[sso-session x]` name, or undefined for the legacy form (start URL in the profile). */
  sessionName: string | undefined;
  /** The IAM Identity Center start URL (`https://my-org.awsapps.com/start`). */
  startUrl: string;
  /** The region of the IAM Identity Center instance (where the portal API is). */
  ssoRegion: string;
  /** The account whose role to take. */
  accountId: string;
  /** The permission set's role name in that account. */
  roleName: string;
}

/**
 * The profile's SSO settings, undefined when it has no `sso_*` keys, or `PROFILE_INVALID` naming what is missing.
 *
 * @example
 * ```ts
 * ssoSettings(context); // { sessionName: 'corp', startUrl: 'https://corp.awsapps.com/start', ssoRegion: 'eu-west-1', accountId: '123456789012', roleName: 'Developer' }
 * ```
 */
export function ssoSettings(context: Pick<ProviderContext, 'config' | 'profile'>): SsoSettings | undefined {
  const name = context.profile.name;
  const profile = getProfile(context.config, name);
  if (!Object.keys(profile?.values ?? {}).some((key) => key.startsWith('sso_'))) return undefined;
  const sessionName = profileString(profile?.values, 'sso_session');
  const session = sessionName === undefined ? profile?.values : context.config.configFile.ssoSessions[sessionName];
  if (session === undefined) {
    throw new AwsError(
      'PROFILE_INVALID',
      `Profile "${name}" names sso_session "${sessionName}", but ${context.config.configFile.path} has no [sso-session ${sessionName}] section.`,
    );
  }
  const where = sessionName === undefined ? `profile "${name}"` : `[sso-session ${sessionName}]`;
  const settings = {
    startUrl: [profileString(session, 'sso_start_url'), `sso_start_url in ${where}`],
    ssoRegion: [profileString(session, 'sso_region'), `sso_region in ${where}`],
    accountId: [profileString(profile?.values, 'sso_account_id'), `sso_account_id in profile "${name}"`],
    roleName: [profileString(profile?.values, 'sso_role_name'), `sso_role_name in profile "${name}"`],
  } as const;
  const missing = Object.values(settings)
    .filter(([value]) => value === undefined)
    .map(([, label]) => label);
  if (missing.length > 0) {
    throw new AwsError('PROFILE_INVALID', `Profile "${name}" uses IAM Identity Center but lacks ${missing.join(', ')}.`);
  }
  return {
    sessionName,
    startUrl: settings.startUrl[0]!,
    ssoRegion: settings.ssoRegion[0]!,
    accountId: settings.accountId[0]!,
    roleName: settings.roleName[0]!,
  };
}

/**
 * Where `aws sso login` caches the access token for these settings.
 *
 * @example
 * ```ts
 * ssoTokenFile('/home/me', settings); // '/home/me/.aws/sso/cache/<sha1("corp")>.json'
 * ```
 */
export function ssoTokenFile(homedir: string, settings: Pick<SsoSettings, 'sessionName' | 'startUrl'>): string {
  const key = createHash('sha1')
    .update(settings.sessionName ?? settings.startUrl, 'utf8')
    .digest('hex');
  return join(homedir, '.aws', 'sso', 'cache', `${key}.json`);
}

/** The access token, read and checked; errors say to sign in again and never show the file's content. */
async function readAccessToken(context: Pick<ProviderContext, 'homedir' | 'profile' | 'now'>, settings: SsoSettings): Promise<string> {
  const file = ssoTokenFile(context.homedir, settings);
  const signIn = `run: aws sso login --profile ${context.profile.name}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'ENOENT' ? `no IAM Identity Center sign-in is cached (${file} does not exist)` : `${file} cannot be read (${code})`;
    throw new AwsError('SSO_FAILED', `Profile "${context.profile.name}": ${why}; ${signIn}.`, { cause: error });
  }
  let token: unknown;
  try {
    token = JSON.parse(text);
  } catch {
    throw new AwsError('SSO_FAILED', `Profile "${context.profile.name}": ${file} is not JSON (${text.length} bytes); ${signIn}.`);
  }
  const { accessToken, expiresAt } = (token ?? {}) as { accessToken?: unknown; expiresAt?: unknown };
  if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresAt !== 'string') {
    throw new AwsError('SSO_FAILED', `Profile "${context.profile.name}": ${file} has no accessToken and expiresAt; ${signIn}.`);
  }
  // The AWS CLI v1 wrote "2019-11-14T04:05:45UTC"; v2 writes "…Z".
  const expires = Date.parse(expiresAt.replace(/UTC$/, 'Z'));
  if (Number.isNaN(expires))
    throw new AwsError('SSO_FAILED', `Profile "${context.profile.name}": ${file} has an unreadable expiresAt; ${signIn}.`);
  if (expires <= context.now()) {
    throw new AwsError(
      'SSO_FAILED',
      `Profile "${context.profile.name}": the IAM Identity Center sign-in expired at ${new Date(expires).toISOString()}; ${signIn}.`,
    );
  }
  rememberSecret(accessToken, 'IAM Identity Center access token');
  return accessToken;
}

/**
 * Exchanges the cached access token for the profile's role credentials.
 *
 * @example
 * ```ts
 * const credentials = await ssoRoleCredentials(context, ssoSettings(context)!);
 * ```
 */
export async function ssoRoleCredentials(context: ProviderContext, settings: SsoSettings): Promise<Credentials> {
  const accessToken = await readAccessToken(context, settings);
  const base =
    configuredEndpoint(context, resolveProfileSettings(context.config, context.profile.name, 'sso'), 'sso')?.url ??
    `https://portal.sso.${settings.ssoRegion}.${partitionOf(settings.ssoRegion).dnsSuffix}`;
  const query = new URLSearchParams({ account_id: settings.accountId, role_name: settings.roleName });
  const url = `${base.replace(/\/+$/, '')}/federation/credentials?${query}`;
  const response = await context.http(url, {
    method: 'GET',
    headers: { 'x-amz-sso_bearer_token': accessToken, accept: 'application/json' },
    timeoutMs: context.timeoutMs,
    signal: context.signal,
    proxy: proxyFor(new URL(url), { env: context.env, proxy: context.proxy }),
    retry: true,
  });
  const what = `IAM Identity Center GetRoleCredentials for role ${settings.roleName} in account ${settings.accountId}`;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    // An error page that is not JSON: the status says enough.
  }
  if (response.status !== 200) {
    const type = String(headerValue(response.headers, 'x-amzn-errortype') ?? body['__type'] ?? `HTTP ${response.status}`)
      .split(':')[0]!
      .replace(/^.*#/, '');
    const message =
      typeof body['message'] === 'string' ? body['message'] : typeof body['Message'] === 'string' ? body['Message'] : 'no message';
    const hint = response.status === 401 ? `; the sign-in is no longer valid: run: aws sso login --profile ${context.profile.name}` : '';
    throw new AwsError('SSO_FAILED', `${what} failed: ${type}: ${message}${hint}.`);
  }
  const role = (body['roleCredentials'] ?? {}) as Record<string, unknown>;
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = role;
  if (
    typeof accessKeyId !== 'string' ||
    typeof secretAccessKey !== 'string' ||
    typeof sessionToken !== 'string' ||
    typeof expiration !== 'number'
  ) {
    throw new AwsError('SSO_FAILED', `${what} answered without accessKeyId, secretAccessKey, sessionToken and expiration.`);
  }
  return createCredentials({
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration: new Date(expiration),
    source: `sso (${settings.roleName} in ${settings.accountId})`,
  });
}

/**
 * IAM Identity Center for the selected profile, or why it does not apply.
 *
 * @example
 * ```ts
 * await fromSso(context); // { credentials, reason: 'profile dev: sso_session corp, role Developer in 123456789012' }
 * ```
 */
export async function fromSso(context: ProviderContext): Promise<SourceResult> {
  const settings = ssoSettings(context);
  if (settings === undefined) return { skipped: `profile ${context.profile.name} has no sso_* keys` };
  const credentials = await ssoRoleCredentials(context, settings);
  const sign = settings.sessionName === undefined ? `sso_start_url ${settings.startUrl}` : `sso_session ${settings.sessionName}`;
  return {
    credentials,
    reason: `profile ${context.profile.name}: ${sign}; GetRoleCredentials answered for role ${settings.roleName} in ${settings.accountId}`,
  };
}
