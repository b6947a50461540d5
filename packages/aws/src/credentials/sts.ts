/**
 * The two STS calls the chain makes, `AssumeRole` (SigV4-signed with the source credentials) and
 * `AssumeRoleWithWebIdentity` (unsigned: the web identity token is the proof), in STS's Query protocol:
 * `POST /` with a form body `Action=…&Version=2011-06-15&…`, answered in XML. Model:
 * botocore `botocore/data/sts/2011-06-15/service-2.json`.
 *
 * The endpoint: `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's `[services x]` `sts`
 * `endpoint_url`, the profile's `endpoint_url` (none of them when `ignore_configured_endpoint_urls` /
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true), else the regional `https://sts.<region>.<dnsSuffix>`
 * (the SDKs' default since 2024), or the global `https://sts.amazonaws.com` signed for us-east-1 when no
 * region is configured.
 */
import { sign } from '@glassbox/sigv4/sign';
import { partitionOf, type ProfileEndpointSettings } from '../regions.ts';
import { AwsError, type AwsErrorCode } from '../errors.ts';
import { proxyFor } from '../http.ts';
import { readVariable, type ProviderContext } from './context.ts';
import { createCredentials, type Credentials } from './credentials.ts';
import { headerValue } from './http-client.ts';
import { xmlElementText } from '../xml.ts';

/**
 * The STS API version every request names.
 *
 * @example
 * ```ts
 * const body = new URLSearchParams({ Action: 'GetCallerIdentity', Version: STS_API_VERSION }).toString();
 * // 'Action=GetCallerIdentity&Version=2011-06-15'
 * ```
 */
export const STS_API_VERSION = '2011-06-15';

/** Where STS calls go, the region they are signed for, and why. */
export interface StsEndpoint {
  /** The URL to POST to. */
  url: string;
  /** The region in the SigV4 scope. */
  region: string;
  /** Which setting chose the URL, for the trace. */
  source: string;
}

/**
 * Picks the STS endpoint and signing region for a profile.
 *
 * @example
 * ```ts
 * stsEndpoint({ env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4000' } }, { region: 'eu-west-1' });
 * // { url: 'http://127.0.0.1:4000', region: 'eu-west-1', source: 'AWS_ENDPOINT_URL_STS' }
 * ```
 */
export function stsEndpoint(context: Pick<ProviderContext, 'env'>, profile: ProfileEndpointSettings): StsEndpoint {
  const region = readVariable(context.env, 'AWS_REGION') ?? readVariable(context.env, 'AWS_DEFAULT_REGION') ?? profile.region;
  const configured = configuredEndpoint(context, profile, 'sts');
  if (configured !== undefined) return { ...configured, region: region ?? 'us-east-1' };
  if (region === undefined)
    return { url: 'https://sts.amazonaws.com', region: 'us-east-1', source: 'global STS endpoint (no region configured)' };
  return { url: `https://sts.${region}.${partitionOf(region).dnsSuffix}`, region, source: `regional STS endpoint for ${region}` };
}

/**
 * An endpoint the user configured for a service the credential chain calls (STS, the SSO portal): the
 * service's own variable, `AWS_ENDPOINT_URL`, the profile's `[services]` entry, the profile's
 * `endpoint_url` — none of them when `ignore_configured_endpoint_urls` says so.
 *
 * @example
 * ```ts
 * configuredEndpoint({ env: { AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:4001' } }, {}, 'sso');
 * // { url: 'http://127.0.0.1:4001', source: 'AWS_ENDPOINT_URL_SSO' }
 * ```
 */
export function configuredEndpoint(
  context: Pick<ProviderContext, 'env'>,
  profile: ProfileEndpointSettings,
  service: 'sts' | 'sso',
): Pick<StsEndpoint, 'url' | 'source'> | undefined {
  const env = context.env;
  const serviceVariable = `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
  const ignoreVariable = readVariable(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')?.toLowerCase();
  const ignore = ignoreVariable === undefined ? profile.ignoreConfiguredEndpointUrls === true : ignoreVariable === 'true';
  if (ignore) return undefined;
  const configured: [string, string | undefined][] = [
    [serviceVariable, readVariable(env, serviceVariable)],
    ['AWS_ENDPOINT_URL', readVariable(env, 'AWS_ENDPOINT_URL')],
    [`profile services ${service} endpoint_url`, profile.serviceEndpointUrl],
    ['profile endpoint_url', profile.endpointUrl],
  ];
  for (const [source, url] of configured) {
    if (url === undefined) continue;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
    } catch (error) {
      throw new AwsError('INVALID_ENDPOINT', `${source} is "${url}", which is not an http(s) URL.`, { cause: error });
    }
    return { url, source };
  }
  return undefined;
}

/** The trimmed text of the first `<name>…</name>` element in `xml`, by the package's one XML reader. */
function element(xml: string, name: string): string | undefined {
  return xmlElementText(xml, name)?.trim();
}

/** What an STS call gave back: the credentials and the identity they belong to. */
export interface StsCredentials {
  /** The temporary credentials STS issued. */
  credentials: Credentials;
  /** `AssumedRoleUser.Arn`, e.g. `arn:aws:sts::123456789012:assumed-role/deploy/session`. */
  assumedRoleArn?: string | undefined;
}

/** One STS call: which action, its parameters, and (for AssumeRole) the credentials that sign it. */
export interface StsCall {
  /** The STS action. */
  action: 'AssumeRole' | 'AssumeRoleWithWebIdentity';
  /** The action's parameters (`RoleArn`, `RoleSessionName`, …), form-encoded after `Action` and `Version`. */
  parameters: Record<string, string>;
  /** Where to send it. */
  endpoint: StsEndpoint;
  /** Sign with these; absent means send unsigned. */
  signWith?: Credentials | undefined;
  /** The label for the returned credentials' `source`. */
  source: string;
  /** The error code to fail with. */
  errorCode: AwsErrorCode;
}

/**
 * Makes an STS call and reads `<Credentials>` from its XML answer; an STS error becomes an
 * `AwsError` carrying STS's code and message.
 *
 * @example
 * ```ts
 * const { credentials } = await callSts(context, {
 *   action: 'AssumeRole', parameters: { RoleArn, RoleSessionName }, endpoint, signWith: source,
 *   source: 'assume-role', errorCode: 'ASSUME_ROLE_FAILED',
 * });
 * ```
 */
export async function callSts(
  context: Pick<ProviderContext, 'http' | 'signal' | 'timeoutMs' | 'now' | 'env' | 'proxy'>,
  call: StsCall,
): Promise<StsCredentials> {
  const body = new URLSearchParams({ Action: call.action, Version: STS_API_VERSION, ...call.parameters }).toString();
  let headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  if (call.signWith !== undefined) {
    const signed = await sign(
      { method: 'POST', url: call.endpoint.url, headers, body },
      { credentials: call.signWith, region: call.endpoint.region, service: 'sts', date: new Date(context.now()) },
    );
    headers = {};
    for (const [name, value] of Object.entries(signed.request.headers)) {
      if (name.toLowerCase() !== 'host') headers[name] = Array.isArray(value) ? value.join(',') : (value as string);
    }
  }
  const proxy = proxyFor(new URL(call.endpoint.url), { env: context.env, proxy: context.proxy });
  const response = await context.http(call.endpoint.url, {
    method: 'POST',
    headers,
    body,
    timeoutMs: context.timeoutMs,
    signal: context.signal,
    proxy,
    retry: true,
  });
  const requestId = headerValue(response.headers, 'x-amzn-requestid');
  if (response.status !== 200) {
    const code = element(response.body, 'Code') ?? `HTTP ${response.status}`;
    const message = element(response.body, 'Message') ?? 'no message';
    throw new AwsError(
      call.errorCode,
      `STS ${call.action} at ${call.endpoint.url} failed: ${code}: ${message}${requestId ? ` (request id ${requestId})` : ''}.`,
    );
  }
  const block = element(response.body, 'Credentials');
  const accessKeyId = block === undefined ? undefined : element(block, 'AccessKeyId');
  const secretAccessKey = block === undefined ? undefined : element(block, 'SecretAccessKey');
  const sessionToken = block === undefined ? undefined : element(block, 'SessionToken');
  const expirationText = block === undefined ? undefined : element(block, 'Expiration');
  const expiration = expirationText === undefined ? undefined : new Date(expirationText);
  if (!accessKeyId || !secretAccessKey || !sessionToken || expiration === undefined || Number.isNaN(expiration.getTime())) {
    throw new AwsError(
      'INVALID_RESPONSE',
      `STS ${call.action} at ${call.endpoint.url} answered 200 without a complete <Credentials> element (AccessKeyId, SecretAccessKey, SessionToken, Expiration).`,
    );
  }
  return {
    credentials: createCredentials({ accessKeyId, secretAccessKey, sessionToken, expiration, source: call.source }),
    assumedRoleArn: element(response.body, 'Arn'),
  };
}
