/**
 * How the credential chain reads an environment variable. Its own module because both the provider
 * context and the shared-file reader need it, and neither may import the other.
 */
import type { Environment } from '../regions.ts';

/**
 * Reads a variable, treating empty or blank as unset (as botocore does: `if access_key:`).
 *
 * @example
 * ```ts
 * readVariable({ AWS_REGION: ' ' }, 'AWS_REGION'); // undefined
 * ```
 */
export function readVariable(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
