import { SigV4Error } from '../errors.ts';

const REGION_PATTERN = /^[a-z0-9*-]+$/i;

/**
 * Reads a SigV4a region set — one region, `*`, a wildcard such as `us-*`, or several of them — and
 * writes it as the `X-Amz-Region-Set` value: comma-separated, in the order given. A SigV4a
 * signature is not bound to one region, so the set is signed instead of sitting in the scope.
 *
 * @example
 * ```ts
 * regionSetValue(['us-east-1', 'eu-*']); // 'us-east-1,eu-*'
 * ```
 */
export function regionSetValue(regionSet: unknown): string {
  const list = typeof regionSet === 'string' ? regionSet.split(',') : Array.isArray(regionSet) ? regionSet : undefined;
  if (list === undefined || list.length === 0) {
    throw new SigV4Error('INVALID_REGION', "regionSet: expected a region, '*', a wildcard like 'us-*', or a list of them");
  }
  const regions = list.map((r: unknown) => (typeof r === 'string' ? r.trim() : ''));
  for (const region of regions) {
    if (!REGION_PATTERN.test(region)) {
      throw new SigV4Error(
        'INVALID_REGION',
        `regionSet: '${region.slice(0, 40)}' is not a region name or wildcard (letters, digits, '-' and '*')`,
      );
    }
  }
  return regions.join(',');
}

/**
 * True when `region` is in the signed region set: `*` matches any run of characters, so `*`
 * matches every region and `us-*` every US region. A service checks its own region this way.
 *
 * @example
 * ```ts
 * regionSetIncludes('us-*,eu-west-1', 'us-west-2'); // true
 * ```
 */
export function regionSetIncludes(regionSet: string, region: string): boolean {
  return regionSet.split(',').some((entry) => {
    const pattern = entry
      .trim()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`, 'i').test(region);
  });
}
