/**
 * Guesses the SigV4 signing name and region from an AWS hostname, so `glassbox sign URL` works
 * without `--service` and `--region` for the common endpoint shapes:
 * `<service>.<region>.amazonaws.com`, `api.ecr.<region>.amazonaws.com`, the S3 forms (path-style,
 * virtual-hosted, `s3-<region>`, dual-stack), global endpoints (`iam.amazonaws.com` → us-east-1),
 * and the `.amazonaws.com.cn` partition.
 */

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

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/** Whether a text has the shape of an AWS region name (`us-east-1`, `us-gov-west-1`, `cn-north-1`). */
export function isRegionName(text: string): boolean {
  return REGION.test(text);
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
  const suffix = /\.(amazonaws\.com(\.cn)?|api\.aws)$/.exec(host);
  if (!suffix) return undefined;
  const labels = host.slice(0, suffix.index).split('.');
  const china = suffix[1] === 'amazonaws.com.cn';

  // S3: any label that is s3, s3-<region>, s3-fips, s3-external-1, with optional dualstack/region after it.
  const s3Index = labels.findIndex((label) => /^s3(-fips|-external-1|-[a-z]{2}(-gov)?-[a-z]+-\d+)?$/.test(label));
  if (s3Index !== -1) {
    const label = labels[s3Index]!;
    const dashRegion = /^s3-([a-z]{2}(-gov)?-[a-z]+-\d+)$/.exec(label)?.[1];
    const after = labels.slice(s3Index + 1).filter((l) => l !== 'dualstack');
    const region = dashRegion ?? after.find((l) => isRegionName(l)) ?? (china ? undefined : 'us-east-1');
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
    if (GLOBAL_SERVICES.has(service)) return china ? { service, region: 'cn-north-1' } : { service, region: 'us-east-1' };
    return { service };
  }
  return undefined;
}
