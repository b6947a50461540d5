/**
 * The region rules every AWS caller shares: the partitions and their DNS suffixes, what a region name
 * looks like, and how the SDKs read an endpoint setting's boolean. A service's own endpoint rules (ECR's
 * are in `@glassbox/ecr`) build on these. No imports but the error class: the CLI loads this on its
 * `sign` path to read a hostname.
 */
import { AwsError } from './errors.ts';

/** An AWS partition: a set of regions sharing DNS suffixes. */
export interface Partition {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  readonly id: string;
  /** The IPv4 DNS suffix, e.g. `amazonaws.com`. */
  readonly dnsSuffix: string;
  /** The dual-stack DNS suffix, e.g. `api.aws`. */
  readonly dualStackDnsSuffix: string;
  /** Regions not named in `regions` belong here when they match this. */
  readonly regionRegex: RegExp;
  /** The regions listed by name (matched before any regex). */
  readonly regions: readonly string[];
}

/**
 * The partitions, restated from `partitions.json` as shipped in `@aws-sdk/core` 3.981
 * (`util-endpoints/lib/aws/partitions.js`) and botocore 1.43 `data/partitions.json`. Order matters for
 * the regex pass: it is the file's order.
 *
 * @example
 * ```ts
 * PARTITIONS.map((partition) => partition.id); // ['aws', 'aws-cn', 'aws-eusc', …, 'aws-us-gov']
 * PARTITIONS.find((partition) => partition.id === 'aws-cn')?.dnsSuffix; // 'amazonaws.com.cn'
 * ```
 */
export const PARTITIONS: readonly Partition[] = [
  {
    id: 'aws',
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    regions: ['aws-global'],
  },
  {
    id: 'aws-cn',
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
    regionRegex: /^cn-\w+-\d+$/,
    regions: ['aws-cn-global', 'cn-north-1', 'cn-northwest-1'],
  },
  {
    id: 'aws-eusc',
    dnsSuffix: 'amazonaws.eu',
    dualStackDnsSuffix: 'api.amazonwebservices.eu',
    regionRegex: /^eusc-(de)-\w+-\d+$/,
    regions: ['eusc-de-east-1'],
  },
  {
    id: 'aws-iso',
    dnsSuffix: 'c2s.ic.gov',
    dualStackDnsSuffix: 'api.aws.ic.gov',
    regionRegex: /^us-iso-\w+-\d+$/,
    regions: ['aws-iso-global', 'us-iso-east-1', 'us-iso-west-1'],
  },
  {
    id: 'aws-iso-b',
    dnsSuffix: 'sc2s.sgov.gov',
    dualStackDnsSuffix: 'api.aws.scloud',
    regionRegex: /^us-isob-\w+-\d+$/,
    regions: ['aws-iso-b-global', 'us-isob-east-1', 'us-isob-west-1'],
  },
  {
    id: 'aws-iso-e',
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk',
    regionRegex: /^eu-isoe-\w+-\d+$/,
    regions: ['aws-iso-e-global', 'eu-isoe-west-1'],
  },
  {
    id: 'aws-iso-f',
    dnsSuffix: 'csp.hci.ic.gov',
    dualStackDnsSuffix: 'api.aws.hci.ic.gov',
    regionRegex: /^us-isof-\w+-\d+$/,
    regions: ['aws-iso-f-global', 'us-isof-east-1', 'us-isof-south-1'],
  },
  {
    id: 'aws-us-gov',
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    regionRegex: /^us-gov-\w+-\d+$/,
    regions: ['aws-us-gov-global', 'us-gov-east-1', 'us-gov-west-1'],
  },
];

/**
 * The partition a region belongs to, the way the rule engine's `aws.partition` decides: a region
 * listed by name first, then the first regex that matches, and `aws` for anything else.
 *
 * @example
 * ```ts
 * partitionOf('cn-north-1').dnsSuffix; // 'amazonaws.com.cn'
 * partitionOf('us-gov-west-1').id;     // 'aws-us-gov'
 * ```
 */
export function partitionOf(region: string): Partition {
  const byName = PARTITIONS.find((partition) => partition.regions.includes(region));
  if (byName) return byName;
  const byRegex = PARTITIONS.find((partition) => partition.regionRegex.test(region));
  if (byRegex) return byRegex;
  return PARTITIONS[0] as Partition;
}

/**
 * Whether a text has the shape of a region of one of the {@link PARTITIONS} (`us-east-1`, `us-gov-west-1`,
 * `cn-north-1`, `eusc-de-east-1`): the partitions' own region patterns, so a new partition added there is
 * recognised everywhere. Used to find the region label in an AWS hostname.
 *
 * @example
 * ```ts
 * isRegionName('eusc-de-east-1'); // true
 * isRegionName('my-bucket');      // false
 * ```
 */
export function isRegionName(text: string): boolean {
  return PARTITIONS.some((partition) => partition.regionRegex.test(text));
}

/**
 * The endpoint-related settings of a shared-config profile (`~/.aws/config`). The credential chain's
 * profile reader produces these; they are plain data here so endpoint resolution stays pure.
 */
export interface ProfileEndpointSettings {
  /** The profile's name, for messages. */
  name?: string | undefined;
  /** `region`. */
  region?: string | undefined;
  /** `use_fips_endpoint`. */
  useFipsEndpoint?: boolean | undefined;
  /** `use_dualstack_endpoint`. */
  useDualstackEndpoint?: boolean | undefined;
  /** `endpoint_url`: the profile's endpoint for every service. */
  endpointUrl?: string | undefined;
  /** `endpoint_url` under this service's key (`ecr` / `ecr_public`) in the profile's `[services ...]` section. */
  serviceEndpointUrl?: string | undefined;
  /** `ignore_configured_endpoint_urls`. */
  ignoreConfiguredEndpointUrls?: boolean | undefined;
}

/** The environment, as a plain object (defaults to `process.env` where a caller chooses to pass it). */
export type Environment = Readonly<Record<string, string | undefined>>;

const REGION_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks a configured region: it becomes part of a hostname, so it must be one lower-case DNS label (no
 * dots, no URL tricks). Unknown regions are allowed (they fall in the `aws` partition, as the SDKs do).
 *
 * @param source - where the region came from, for the message.
 * @throws `AwsError` `INVALID_REGION`.
 * @example
 * ```ts
 * checkRegion('eu-west-1', 'AWS_REGION'); // 'eu-west-1'
 * ```
 */
export function checkRegion(region: string, source: string): string {
  if (!REGION_LABEL.test(region)) {
    throw new AwsError(
      'INVALID_REGION',
      `The region "${region}" (from ${source}) is not a valid region name: expected something like "us-east-1".`,
    );
  }
  return region;
}

/**
 * Reads an `AWS_USE_*_ENDPOINT`-style boolean: `true`/`false` in any case, anything else an error (as the
 * SDKs do), unset or empty as undefined.
 *
 * @param name - the setting's name, for the message.
 * @throws `AwsError` `INVALID_CONFIGURATION`.
 * @example
 * ```ts
 * readBooleanSetting('TRUE', 'AWS_USE_FIPS_ENDPOINT'); // true
 * ```
 */
export function readBooleanSetting(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new AwsError('INVALID_CONFIGURATION', `${name} must be "true" or "false", not "${value}".`);
}
