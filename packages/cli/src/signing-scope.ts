import { usageError } from './cli-error.ts';
import type { Io } from './output.ts';
import { inferScope, isRegionName } from './service-from-host.ts';

/** The region and service to sign for, and where each came from (for the trace). */
export interface SigningScope {
  region: string;
  service: string;
  regionFrom: string;
  serviceFrom: string;
}

/**
 * Picks the region and signing name: the flags first, then the hostname (`api.ecr.us-east-1.amazonaws.com`
 * → ecr, us-east-1), then `AWS_REGION` / `AWS_DEFAULT_REGION` for the region. A region that is not
 * shaped like one (`us-east-1`) is a usage error, since AWS would answer with a confusing signature
 * error instead.
 *
 * @example
 * ```ts
 * resolveScope('s3.amazonaws.com', {}, io); // { service: 's3', region: 'us-east-1', ... }
 * ```
 */
export function resolveScope(host: string, flags: { region?: string | undefined; service?: string | undefined }, io: Io): SigningScope {
  const hostname = host.replace(/^\[|\](:\d+)?$/g, '').replace(/:\d+$/, '');
  const inferred = inferScope(hostname);
  let service: string | undefined;
  let serviceFrom = '--service';
  if (flags.service !== undefined) service = flags.service;
  else if (inferred) {
    service = inferred.service;
    serviceFrom = `the hostname ${hostname}`;
  }
  if (service === undefined) {
    throw usageError(
      `cannot tell the AWS service from the host '${hostname}': add --service NAME (the signing name, e.g. ecr, s3, execute-api)`,
    );
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(service))
    throw usageError(`--service '${service}' is not a signing name: expected lower-case letters, digits and -, e.g. s3`);

  let region: string | undefined;
  let regionFrom = '--region';
  if (flags.region !== undefined) region = flags.region;
  else if (inferred?.region !== undefined) {
    region = inferred.region;
    regionFrom = `the hostname ${hostname}`;
  } else if (io.env.AWS_REGION) {
    region = io.env.AWS_REGION;
    regionFrom = 'AWS_REGION';
  } else if (io.env.AWS_DEFAULT_REGION) {
    region = io.env.AWS_DEFAULT_REGION;
    regionFrom = 'AWS_DEFAULT_REGION';
  }
  if (region === undefined)
    throw usageError(`cannot tell the region from the host '${hostname}': add --region NAME (e.g. us-east-1) or set AWS_REGION`);
  if (!isRegionName(region))
    throw usageError(`unknown region '${region}' (from ${regionFrom}): expected a region name such as us-east-1 or eu-west-2`);
  return { region, service, regionFrom, serviceFrom };
}
