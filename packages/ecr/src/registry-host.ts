/**
 * Registry hostnames: the Docker side of ECR. `docker pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app`
 * names a registry host; this file says whether a host is ECR's and, if so, which account, region and
 * partition it belongs to — everything needed to ask `GetAuthorizationToken` for its password.
 *
 * No imports, so that `@glassbox/ecr/registry-host` is cheap enough for the credential helper's warm path:
 * it parses every host Docker asks about, and this is the one parser (keep it import-free).
 */

/** What a registry hostname says about the ECR registry behind it. */
export interface RegistryHost {
  /** The hostname, lower-cased, without scheme, port or path (Docker keys credentials on it). */
  host: string;
  /** The 12-digit registry (account) ID; absent for ECR Public. */
  account?: string;
  /** The region in the hostname; `us-east-1` for ECR Public, whose API lives only there. */
  region: string;
  /** The AWS partition (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, ...). */
  partition: string;
  /** A FIPS registry host (`dkr.ecr-fips` / `dkr-ecr-fips`). */
  fips: boolean;
  /** A dual-stack (IPv4 + IPv6) registry host (`dkr-ecr.<region>.on.aws`, `ecr-public.aws.com`). */
  dualStack: boolean;
  /** ECR Public (`public.ecr.aws`, `ecr-public.aws.com`). */
  public: boolean;
  /**
   * For an interface VPC endpoint name (`vpce-<id>.dkr.ecr.<region>.vpce.amazonaws.com`), its first label.
   * Such names carry no account: it comes from an alias or from the token's `proxyEndpoint`.
   */
  vpcEndpoint?: string;
}

/**
 * Registry DNS suffixes and the partition each belongs to. Restated from amazon-ecr-credential-helper
 * `ecr-login/api/client.go` (ecrPattern, v0.12.0); the dual-stack ones are the `on.*` suffixes.
 */
const SUFFIXES: ReadonlyArray<{ suffix: string; partition: string; dualStack: boolean }> = [
  { suffix: 'amazonaws.com', partition: 'aws', dualStack: false },
  { suffix: 'amazonaws.com.cn', partition: 'aws-cn', dualStack: false },
  { suffix: 'amazonaws.eu', partition: 'aws-eusc', dualStack: false },
  { suffix: 'on.aws', partition: 'aws', dualStack: true },
  { suffix: 'on.amazonwebservices.com.cn', partition: 'aws-cn', dualStack: true },
  { suffix: 'c2s.ic.gov', partition: 'aws-iso', dualStack: false },
  { suffix: 'sc2s.sgov.gov', partition: 'aws-iso-b', dualStack: false },
  { suffix: 'cloud.adc-e.uk', partition: 'aws-iso-e', dualStack: false },
  { suffix: 'csp.hci.ic.gov', partition: 'aws-iso-f', dualStack: false },
];

/**
 * `<12 digits>.dkr(.|-)ecr[-fips].<region>.<suffix>` (ecr-login/api/client.go, ecrPattern), matched end to end so that look-alikes such as
 * `1.dkr.ecr.us-east-1.amazonaws.com.example.com` are not ECR. The region is one DNS label.
 */
const PRIVATE_HOST = /^(\d{12})\.dkr([.-])ecr(-fips)?\.([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.(.+)$/;

/**
 * An interface VPC endpoint's own DNS names for the Docker registry service (`com.amazonaws.<region>.ecr.dkr`),
 * used when private DNS is off. AWS PrivateLink generates a Regional name, `vpce-<id>-<suffix>.<service>.<region>.vpce.amazonaws.com`,
 * and one zonal name per zone, `vpce-<id>-<suffix>-<zone>.<service>...` (PrivateLink guide, "endpoint-specific
 * DNS names"); the service part for ECR's registry is `dkr.ecr`. China's names end in `vpce.amazonaws.com.cn`.
 */
const VPC_ENDPOINT_HOST = /^(vpce-[0-9a-z]+(?:-[0-9a-z]+)*)\.dkr\.ecr\.([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.vpce\.(amazonaws\.com(?:\.cn)?)$/;

/** ECR Public's registry hosts: `public.ecr.aws`, and its dual-stack twin `ecr-public.aws.com`. */
const PUBLIC_HOSTS: Readonly<Record<string, { dualStack: boolean }>> = {
  'public.ecr.aws': { dualStack: false },
  'ecr-public.aws.com': { dualStack: true },
};

/**
 * Reduces what a user may type for a registry (`https://host:443/v2/repo`, `host/repo:tag`, `host`) to
 * its hostname — scheme, path, port and a final dot dropped, lower-cased — or undefined when there is none.
 * A user-info part (`user@host`) is not a registry.
 *
 * @example
 * ```ts
 * registryHostname('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com:443/v2/app'); // '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
 * registryHostname('user@registry.example'); // undefined
 * ```
 */
export function registryHostname(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  let rest = input.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  if (authority.includes('@')) return undefined;
  const port = /:(\d{1,5})$/.exec(authority);
  const host = port ? authority.slice(0, port.index) : authority;
  if (host.length === 0 || host.includes(':')) return undefined;
  // A fully qualified name may end with a dot; DNS treats `host.` and `host` alike.
  return (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
}

/**
 * The `host[:port]` of a registry endpoint URL as ECR returns it (`proxyEndpoint`): `https://`, a DNS name,
 * an optional port, at most a `/` — lower-cased; undefined for anything else (another scheme, a path, user
 * info, a quote, a newline, a NUL), since the result becomes a config.json key holding a password.
 *
 * @example
 * ```ts
 * registryEndpointAuthority('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'); // '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
 * registryEndpointAuthority('https://127.0.0.1:5000/'); // '127.0.0.1:5000'
 * registryEndpointAuthority('https://host.example/v2/'); // undefined
 * ```
 */
export function registryEndpointAuthority(url: string): string | undefined {
  if (typeof url !== 'string') return undefined;
  return /^https:\/\/([A-Za-z0-9.-]+(?::\d{1,5})?)\/?$/.exec(url)?.[1]?.toLowerCase();
}

/**
 * Says whether `input` names an Amazon ECR registry and, if so, which one.
 *
 * Accepts a bare host, a host with a port, or a URL with scheme and path (what Docker passes to a
 * credential helper varies). Private registries follow `<account>.dkr.ecr[-fips].<region>.<suffix>`
 * (and the dual-stack `dkr-ecr` forms on `on.aws`); ECR Public is `public.ecr.aws` or `ecr-public.aws.com`.
 * Interface VPC endpoint names (`vpce-<id>.dkr.ecr.<region>.vpce.amazonaws.com`, Regional or zonal) are ECR too,
 * without an account. Anything else — including hosts that merely contain an ECR name — is `undefined`.
 *
 * @example
 * ```ts
 * parseRegistryHost('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/app');
 * // { host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', account: '123456789012', region: 'eu-west-1',
 * //   partition: 'aws', fips: false, dualStack: false, public: false }
 * parseRegistryHost('123456789012.dkr.ecr.us-east-1.amazonaws.com.example.com'); // undefined
 * ```
 */
export function parseRegistryHost(input: string): RegistryHost | undefined {
  if (typeof input !== 'string') return undefined;
  const host = registryHostname(input);
  if (host === undefined) return undefined;

  const publicHost = PUBLIC_HOSTS[host];
  if (publicHost) {
    return { host, region: 'us-east-1', partition: 'aws', fips: false, dualStack: publicHost.dualStack, public: true };
  }

  const endpoint = VPC_ENDPOINT_HOST.exec(host);
  if (endpoint) {
    const [, vpcEndpoint, region, suffix] = endpoint;
    if (vpcEndpoint === undefined || region === undefined) return undefined;
    const partition = suffix === 'amazonaws.com.cn' ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    return { host, region, partition, fips: false, dualStack: false, public: false, vpcEndpoint };
  }

  const match = PRIVATE_HOST.exec(host);
  if (!match) return undefined;
  // AWS writes `dkr-ecr` on the dual-stack suffixes and `dkr.ecr` elsewhere; like the credential helper we accept
  // either separator anywhere, and let the suffix say whether the host is dual-stack.
  const [, account, , fipsPart, region, suffix] = match;
  if (account === undefined || region === undefined || suffix === undefined) return undefined;
  const known = SUFFIXES.find((entry) => entry.suffix === suffix);
  if (!known) return undefined;
  // GovCloud shares the commercial suffixes; the region says which partition it is.
  const partition = known.partition === 'aws' && region.startsWith('us-gov-') ? 'aws-us-gov' : known.partition;
  return { host, account, region, partition, fips: fipsPart !== undefined, dualStack: known.dualStack, public: false };
}
