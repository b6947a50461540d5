/**
 * Guesses the SigV4 signing name and region from an AWS hostname, so `glassbox sign URL` works
 * without `--service` and `--region` for the common endpoint shapes:
 * `<service>.<region>.amazonaws.com`, `api.ecr.<region>.amazonaws.com`, the S3 forms (path-style,
 * virtual-hosted, `s3-<region>`, dual-stack), global endpoints (`iam.amazonaws.com` → us-east-1),
 * and the other partitions' DNS suffixes (`.amazonaws.com.cn`, `.amazonaws.eu`, …). What a region looks
 * like and which suffixes exist are the partition rules of `@glassbox/aws/regions`, not a copy here.
 */
import { isRegionName, PARTITIONS } from '@glassbox/aws/regions';

export { isRegionName };

/** What a hostname tells us. */
export interface InferredScope {
  /** The signing name, e.g. `ecr`, `s3`. */
  service: string;
  /** Absent when the hostname names no region and the service is not global. */
  region?: string;
}

// Endpoint prefixes whose signing name differs (from the services' endpoint rule sets / SDK models).
const SIGNING_NAMES: Readonly<Record<string, string>> = {
  'api.ecr': 'ecr',
  'api.ecr-public': 'ecr-public',
  'runtime.sagemaker': 'sagemaker',
  'streams.dynamodb': 'dynamodb',
  email: 'ses',
  'data.iot': 'iotdata',
  'runtime.lex': 'lex',
};

// Global services signed for us-east-1 (aws partition), per their endpoint rule sets.
const GLOBAL_SERVICES = new Set(['iam', 'sts', 'route53', 'cloudfront', 'organizations', 's3', 'waf', 'shield', 'globalaccelerator']);

// Every partition's DNS suffixes, longest first so `amazonaws.com.cn` is tried before `amazonaws.com`.
const SUFFIXES: ReadonlyArray<{ suffix: string; partition: string }> = PARTITIONS.flatMap((partition) => [
  { suffix: `.${partition.dnsSuffix}`, partition: partition.id },
  { suffix: `.${partition.dualStackDnsSuffix}`, partition: partition.id },
]).sort((a, b) => b.suffix.length - a.suffix.length);

// The region a global endpoint signs for, per partition (their endpoint rule sets); others name none.
const GLOBAL_REGION: Readonly<Record<string, string>> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1' };

/** `s3-<region>` (the legacy dash form): the region, if the label is one. */
function s3DashRegion(label: string): string | undefined {
  return label.startsWith('s3-') && isRegionName(label.slice(3)) ? label.slice(3) : undefined;
}

/**
 * Reads the signing name and region from a hostname, or returns undefined for a host that is not an
 * AWS endpoint (127.0.0.1, a custom domain): then `--service` and `--region` are required.
 *
 * @example
 * ```ts
 * inferScope('api.ecr.us-east-1.amazonaws.com'); // { service: 'ecr', region: 'us-east-1' }
 * inferScope('my-bucket.s3.eu-west-1.amazonaws.com'); // { service: 's3', region: 'eu-west-1' }
 * ```
 */
export function inferScope(hostname: string): InferredScope | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '').replace(/:\d+$/, '');
  const match = SUFFIXES.find(({ suffix }) => host.endsWith(suffix) && host.length > suffix.length);
  if (!match) return undefined;
  const labels = host.slice(0, host.length - match.suffix.length).split('.');
  const globalRegion = GLOBAL_REGION[match.partition];

  // S3: any label that is s3, s3-<region>, s3-fips, s3-external-1, with optional dualstack/region after it.
  const s3Index = labels.findIndex(
    (label) => label === 's3' || label === 's3-fips' || label === 's3-external-1' || s3DashRegion(label) !== undefined,
  );
  if (s3Index !== -1) {
    const label = labels[s3Index]!;
    const after = labels.slice(s3Index + 1).filter((l) => l !== 'dualstack');
    const region = s3DashRegion(label) ?? after.find((l) => isRegionName(l)) ?? (match.partition === 'aws' ? 'us-east-1' : undefined);
    return region === undefined ? { service: 's3' } : { service: 's3', region };
  }

  const regionIndex = labels.findIndex((label) => isRegionName(label));
  if (regionIndex > 0) {
    const prefix = labels.slice(0, regionIndex);
    // <id>.execute-api.<region>, <account>.dkr.ecr.<region>: the service is the label before the region.
    const joined = prefix.join('.');
    const mapped = SIGNING_NAMES[joined] ?? SIGNING_NAMES[prefix.slice(-2).join('.')];
    const service = mapped ?? prefix[prefix.length - 1]!.replace(/-fips$/, '');
    return { service, region: labels[regionIndex]! };
  }
  if (labels.length === 1) {
    const service = labels[0]!.replace(/-fips$/, '');
    if (GLOBAL_SERVICES.has(service) && globalRegion !== undefined) return { service, region: globalRegion };
    return { service };
  }
  return undefined;
}
