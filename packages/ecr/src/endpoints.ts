/**
 * Where to send `GetAuthorizationToken`: the region, the partition it belongs to, and the API host the
 * AWS rule set gives for it — or the endpoint the user configured instead. Every decision is recorded in
 * `why`, so a trace can say not only which host was chosen but how. The partitions and the region
 * grammar are the shared ones of `@glassbox/aws/regions`.
 */
import {
  checkRegion,
  partitionOf,
  readBooleanSetting as readBoolean,
  type Environment,
  type ProfileEndpointSettings,
} from '@glassbox/aws/regions';
import { EcrError } from './errors.ts';
import { parseRegistryHost } from './registry-host.ts';

/** The two services this package calls, by SigV4 signing name. */
export type EcrService = 'ecr' | 'ecr-public';

/**
 * The API endpoint the AWS rule set gives for a region, with FIPS and dual-stack as asked.
 *
 * Rules: the newest ECR rule set (aws-sdk-js-v3 `clients/client-ecr/src/endpoint/bdd.ts` as shipped in
 * `@aws-sdk/client-ecr` 3.1169, equal to botocore 1.43 `data/ecr/2015-09-21/endpoint-rule-set-1.json`) and
 * the ECR Public one (`clients/client-ecr-public/src/endpoint/bdd.ts`). Older models put FIPS for `aws` and
 * `aws-us-gov` on `ecr-fips.{region}.amazonaws.com`; the newest say `api.ecr-fips.{region}.{dnsSuffix}`,
 * which is what we follow (an `endpoint` override is the escape hatch). Every partition we list supports
 * FIPS and dual-stack, so the rule sets' "partition does not support" branches cannot be reached here.
 *
 * @example
 * ```ts
 * endpointFromRules({ service: 'ecr', region: 'us-east-1', fips: true, dualStack: false });
 * // 'https://api.ecr-fips.us-east-1.amazonaws.com'
 * ```
 */
export function endpointFromRules(input: { service: EcrService; region: string; fips: boolean; dualStack: boolean }): string {
  const { region, fips, dualStack } = input;
  const partition = partitionOf(region);
  if (input.service === 'ecr') {
    if (fips && dualStack) return `https://ecr-fips.${region}.${partition.dualStackDnsSuffix}`;
    if (fips) return `https://api.ecr-fips.${region}.${partition.dnsSuffix}`;
    if (dualStack) return `https://ecr.${region}.${partition.dualStackDnsSuffix}`;
    return `https://api.ecr.${region}.${partition.dnsSuffix}`;
  }
  if (fips && dualStack) return `https://api.ecr-public-fips.${region}.${partition.dualStackDnsSuffix}`;
  if (fips) return `https://api.ecr-public-fips.${region}.${partition.dnsSuffix}`;
  // ECR Public's rule set special-cases the commercial partition's dual-stack host.
  if (dualStack && partition.id === 'aws') return `https://ecr-public.${region}.api.aws`;
  if (dualStack) return `https://api.ecr-public.${region}.${partition.dualStackDnsSuffix}`;
  return `https://api.ecr-public.${region}.${partition.dnsSuffix}`;
}

/** Inputs of {@link resolveRegion} and {@link resolveEndpoint}. */
export interface ResolveEndpointOptions {
  /** The region, winning over every other source. */
  region?: string | undefined;
  /** Call ECR Public (`ecr-public`) instead of ECR. A public registry host implies it. */
  public?: boolean | undefined;
  /** An endpoint URL, winning over every configured one. */
  endpoint?: string | undefined;
  /** Use the FIPS endpoint (default: `AWS_USE_FIPS_ENDPOINT`, the profile, a FIPS registry host, else false). */
  useFipsEndpoint?: boolean | undefined;
  /** Use the dual-stack endpoint (default: `AWS_USE_DUALSTACK_ENDPOINT`, the profile, else false). */
  useDualstackEndpoint?: boolean | undefined;
  /** A registry host or image reference; its region is the last resort, and a FIPS/public host implies FIPS/public. */
  registry?: string | undefined;
  /** The environment to read `AWS_*` variables from. Default: none (pass `process.env` to use it). */
  env?: Environment | undefined;
  /** The profile's endpoint settings. */
  profile?: ProfileEndpointSettings | undefined;
}

/** Where the region came from. */
export type RegionSource = 'option' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'registry' | 'ecr-public';

/** A region and where it came from. */
export interface ResolvedRegion {
  /** The region, e.g. `eu-west-1`. */
  region: string;
  /** Where it came from. */
  source: RegionSource;
}

/** Where the endpoint came from: a configured override, or the rule set. */
export type EndpointSource =
  | 'option'
  | 'AWS_ENDPOINT_URL_ECR'
  | 'AWS_ENDPOINT_URL_ECR_PUBLIC'
  | 'AWS_ENDPOINT_URL'
  | 'profile services'
  | 'profile endpoint_url'
  | 'rules';

/** The endpoint to call and how it was chosen. */
export interface ResolvedEndpoint {
  /** The URL to POST to (with `/` as its path unless the override gave one). */
  url: string;
  /** Its host (and port, if not the scheme's default): what the `Host` header carries. */
  host: string;
  /** The SigV4 signing name: `ecr`, or `ecr-public`. */
  service: EcrService;
  /** The region in the credential scope. */
  region: string;
  /** Where the region came from. */
  regionSource: RegionSource;
  /** The region's partition. */
  partition: string;
  /** Whether the FIPS endpoint was asked for. */
  fips: boolean;
  /** Whether the dual-stack endpoint was asked for. */
  dualStack: boolean;
  /** Where the endpoint came from. */
  source: EndpointSource;
  /** One line per decision, in the order they were taken. */
  why: string[];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Picks the region: the option, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, and finally
 * the region in a registry hostname — the AWS CLI's order plus the credential helper's last resort.
 * ECR Public's API lives in us-east-1 only, so a public call ignores the environment and the profile
 * (a developer's `AWS_REGION=eu-west-1` must not break it) and uses the option or us-east-1.
 *
 * @example
 * ```ts
 * resolveRegion({ env: { AWS_DEFAULT_REGION: 'eu-west-1' } }); // { region: 'eu-west-1', source: 'AWS_DEFAULT_REGION' }
 * ```
 */
export function resolveRegion(options: ResolveEndpointOptions): ResolvedRegion {
  const env = options.env ?? {};
  const registry = options.registry === undefined ? undefined : parseRegistryHost(options.registry);
  const isPublic = options.public ?? registry?.public ?? false;
  const explicit = nonEmpty(options.region);
  if (explicit !== undefined) return { region: checkRegion(explicit, 'option'), source: 'option' };
  if (isPublic) return { region: 'us-east-1', source: 'ecr-public' };
  const candidates: Array<[string | undefined, RegionSource]> = [
    [env['AWS_REGION'], 'AWS_REGION'],
    [env['AWS_DEFAULT_REGION'], 'AWS_DEFAULT_REGION'],
    [options.profile?.region, 'profile'],
    [registry?.region, 'registry'],
  ];
  for (const [value, source] of candidates) {
    const region = nonEmpty(value);
    if (region !== undefined) return { region: checkRegion(region, source), source };
  }
  throw new EcrError(
    'MISSING_REGION',
    'Invalid Configuration: Missing Region. Pass `region`, set AWS_REGION (or AWS_DEFAULT_REGION), set `region` in ' +
      'your AWS profile, or give a registry host that names one (<account>.dkr.ecr.<region>.amazonaws.com).',
  );
}

/** Parses an endpoint override; only http(s) URLs without credentials, query or fragment make sense. */
function parseEndpoint(value: string, source: EndpointSource): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new EcrError('INVALID_ENDPOINT', `The endpoint "${value}" (from ${source}) is not a URL: write it as https://host[:port].`, {
      cause,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EcrError('INVALID_ENDPOINT', `The endpoint "${value}" (from ${source}) must use http:// or https://.`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new EcrError(
      'INVALID_ENDPOINT',
      `The endpoint "${url.origin}" (from ${source}) must not carry user info, a query or a fragment.`,
    );
  }
  return url;
}

/**
 * Chooses the API endpoint for `GetAuthorizationToken`, explaining each decision in `why`.
 *
 * Overrides, first match wins (AWS SDKs "service-specific endpoints"): the `endpoint` option;
 * `AWS_ENDPOINT_URL_ECR` (or `AWS_ENDPOINT_URL_ECR_PUBLIC`); `AWS_ENDPOINT_URL`; the profile's
 * `[services]` entry; the profile's `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the
 * profile's `ignore_configured_endpoint_urls`) disables all but the option. Otherwise the rule set
 * ({@link endpointFromRules}) decides. As in the rule set, a custom endpoint with FIPS or dual-stack is an
 * error rather than silently ignoring one of them.
 *
 * @example
 * ```ts
 * resolveEndpoint({ region: 'us-west-2', env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' } }).url;
 * // 'https://ecr.us-west-2.api.aws/'
 * ```
 */
export function resolveEndpoint(options: ResolveEndpointOptions): ResolvedEndpoint {
  const env = options.env ?? {};
  const profile = options.profile;
  const why: string[] = [];
  const registry = options.registry === undefined ? undefined : parseRegistryHost(options.registry);
  if (options.registry !== undefined && registry === undefined) {
    why.push(`"${options.registry}" is not an ECR registry host, so it says nothing about the endpoint`);
  }
  const isPublic = options.public ?? registry?.public ?? false;
  const service: EcrService = isPublic ? 'ecr-public' : 'ecr';
  if (options.public !== undefined) why.push(`service ${service}: from the \`public\` option`);
  else if (registry?.public) why.push(`service ecr-public: ${registry.host} is an ECR Public registry`);
  else why.push('service ecr: the default');

  const { region, source: regionSource } = resolveRegion(options);
  why.push(
    regionSource === 'ecr-public'
      ? 'region us-east-1: ECR Public’s API lives only there'
      : `region ${region}: from ${regionSource === 'option' ? 'the `region` option' : regionSource === 'profile' ? `profile${profile?.name ? ` "${profile.name}"` : ''}` : regionSource === 'registry' ? `the registry host` : regionSource}`,
  );
  if (registry !== undefined && !registry.public && registry.region !== region) {
    // Tokens are regional: one from another region will not log in to this registry.
    why.push(
      `warning: the registry ${registry.host} is in ${registry.region}, but the region ${region} came from ${regionSource}; pass \`region\` to choose`,
    );
  }
  const partition = partitionOf(region);
  why.push(
    `partition ${partition.id}: ${partition.regions.includes(region) ? 'region listed by name' : partition.regionRegex.test(region) ? `region matches ${partition.regionRegex.source}` : 'no partition matches, so the default'}`,
  );

  const fipsChoice = pickFlag([
    [options.useFipsEndpoint, 'the `useFipsEndpoint` option'],
    [readBoolean(env['AWS_USE_FIPS_ENDPOINT'], 'AWS_USE_FIPS_ENDPOINT'), 'AWS_USE_FIPS_ENDPOINT'],
    [profile?.useFipsEndpoint, 'the profile’s use_fips_endpoint'],
    [registry?.fips === true && !registry.public ? true : undefined, `the FIPS registry host ${registry?.host ?? ''}`],
  ]);
  const dualStackChoice = pickFlag([
    [options.useDualstackEndpoint, 'the `useDualstackEndpoint` option'],
    [readBoolean(env['AWS_USE_DUALSTACK_ENDPOINT'], 'AWS_USE_DUALSTACK_ENDPOINT'), 'AWS_USE_DUALSTACK_ENDPOINT'],
    [profile?.useDualstackEndpoint, 'the profile’s use_dualstack_endpoint'],
  ]);
  const fips = fipsChoice.value;
  const dualStack = dualStackChoice.value;
  if (fips) why.push(`FIPS: from ${fipsChoice.source}`);
  if (dualStack) why.push(`dual-stack: from ${dualStackChoice.source}`);

  const custom = configuredEndpoint(options, service, env, why);
  if (custom) {
    if (fips) {
      throw new EcrError(
        'INVALID_CONFIGURATION',
        `Invalid Configuration: FIPS and custom endpoint are not supported. The endpoint comes from ${custom.source} and ` +
          `FIPS from ${fipsChoice.source}: drop one of them.`,
      );
    }
    if (dualStack) {
      throw new EcrError(
        'INVALID_CONFIGURATION',
        `Invalid Configuration: Dualstack and custom endpoint are not supported. The endpoint comes from ${custom.source} ` +
          `and dual-stack from ${dualStackChoice.source}: drop one of them.`,
      );
    }
    const url = parseEndpoint(custom.value, custom.source);
    why.push(`endpoint ${url.href}: from ${custom.source}`);
    return {
      url: url.href,
      host: url.host,
      service,
      region,
      regionSource,
      partition: partition.id,
      fips,
      dualStack,
      source: custom.source,
      why,
    };
  }

  const url = new URL(endpointFromRules({ service, region, fips, dualStack }));
  why.push(
    `endpoint ${url.href}: the ${service === 'ecr' ? 'ECR' : 'ECR Public'} endpoint rule set` +
      (fips && service === 'ecr' && !dualStack && (partition.id === 'aws' || partition.id === 'aws-us-gov')
        ? ` (newest rules; older SDKs used ecr-fips.${region}.amazonaws.com — pass \`endpoint\` to use that instead)`
        : ''),
  );
  return { url: url.href, host: url.host, service, region, regionSource, partition: partition.id, fips, dualStack, source: 'rules', why };
}

function pickFlag(candidates: Array<[boolean | undefined, string]>): { value: boolean; source: string } {
  for (const [value, source] of candidates) {
    if (value !== undefined) return { value, source };
  }
  return { value: false, source: 'the default' };
}

/** The configured endpoint override, if any, in the SDKs' order of precedence. */
function configuredEndpoint(
  options: ResolveEndpointOptions,
  service: EcrService,
  env: Environment,
  why: string[],
): { value: string; source: EndpointSource } | undefined {
  const explicit = nonEmpty(options.endpoint);
  if (explicit !== undefined) return { value: explicit, source: 'option' };

  const profile = options.profile;
  const ignoreEnv = readBoolean(env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'], 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
  const ignore = ignoreEnv ?? profile?.ignoreConfiguredEndpointUrls ?? false;
  const serviceVariable = service === 'ecr' ? 'AWS_ENDPOINT_URL_ECR' : 'AWS_ENDPOINT_URL_ECR_PUBLIC';
  const candidates: Array<[string | undefined, EndpointSource]> = [
    [env[serviceVariable], serviceVariable],
    [env['AWS_ENDPOINT_URL'], 'AWS_ENDPOINT_URL'],
    [profile?.serviceEndpointUrl, 'profile services'],
    [profile?.endpointUrl, 'profile endpoint_url'],
  ];
  const found = candidates.find(([value]) => nonEmpty(value) !== undefined);
  if (!found) return undefined;
  if (ignore) {
    const by = ignoreEnv !== undefined ? 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS' : 'the profile’s ignore_configured_endpoint_urls';
    why.push(`configured endpoint from ${found[1]} ignored: ${by} is true`);
    return undefined;
  }
  return { value: nonEmpty(found[0]) as string, source: found[1] };
}

// The shared region rules, re-exported for the modules (and callers) that found them here.
export { partitionOf, PARTITIONS } from '@glassbox/aws/regions';
export type { Environment, Partition, ProfileEndpointSettings } from '@glassbox/aws/regions';
