import { SigV4Error } from './errors.ts';
import { adapterFor } from './fast-paths.ts';
import type { Sha256 } from './hash.ts';
import { sha256FromConstructor, type Sha256Constructor } from './hash-js.ts';
// `node:crypto` on Node, the pure-JS SHA-256 under the `browser` condition (package.json `imports`).
import { defaultSha256 } from '#default-hash';
import type { Credentials, CredentialsInput } from './types.ts';

// Boundary checks for the public entry points: each names the option and the expected shape,
// never the received value when it could be a secret.

const REGION = /^[A-Za-z0-9-]+$/;
const SERVICE = /^[A-Za-z0-9._-]+$/;
const ACCESS_KEY_ID = /^[\x21-\x7e]+$/;

/** Checks a region for the credential scope. */
export function assertRegion(region: unknown, label = 'region'): asserts region is string {
  if (typeof region !== 'string' || !REGION.test(region)) {
    throw new SigV4Error('INVALID_REGION', `${label}: expected a region name like 'us-east-1' (letters, digits and '-')`);
  }
}

/** Checks a service signing name for the credential scope. */
export function assertService(service: unknown, label = 'service'): asserts service is string {
  if (typeof service !== 'string' || !SERVICE.test(service)) {
    throw new SigV4Error('INVALID_SERVICE', `${label}: expected a signing name like 'ecr', 's3' or 'execute-api'`);
  }
}

/** Resolves static credentials or a provider, and checks what comes back. */
export async function resolveCredentials(input: CredentialsInput | undefined): Promise<Credentials> {
  let credentials: unknown = input;
  if (typeof input === 'function') {
    try {
      credentials = await input();
    } catch (cause) {
      throw new SigV4Error('MISSING_CREDENTIALS', 'credentials: the credentials provider failed', { cause });
    }
  }
  assertCredentials(credentials);
  return credentials;
}

/** Checks the shape of credentials; the message never repeats a value. */
export function assertCredentials(credentials: unknown): asserts credentials is Credentials {
  const c = credentials as Partial<Credentials> | null | undefined;
  if (typeof c !== 'object' || c === null) {
    throw new SigV4Error(
      'MISSING_CREDENTIALS',
      'credentials: expected { accessKeyId, secretAccessKey, sessionToken? } or a function returning it',
    );
  }
  if (
    typeof c.accessKeyId !== 'string' ||
    !ACCESS_KEY_ID.test(c.accessKeyId) ||
    c.accessKeyId.includes('/') ||
    c.accessKeyId.includes(',')
  ) {
    throw new SigV4Error('MISSING_CREDENTIALS', 'credentials.accessKeyId: expected a non-empty access key ID without spaces, "/" or ","');
  }
  if (typeof c.secretAccessKey !== 'string' || c.secretAccessKey === '') {
    throw new SigV4Error('MISSING_CREDENTIALS', 'credentials.secretAccessKey: expected a non-empty string');
  }
  if (c.sessionToken !== undefined && (typeof c.sessionToken !== 'string' || /[\0\r\n]/.test(c.sessionToken))) {
    throw new SigV4Error('MISSING_CREDENTIALS', 'credentials.sessionToken: expected a string without NUL, CR or LF');
  }
}

/** The hash to use: the runtime's default (`node:crypto` on Node) unless an `@aws-crypto/sha256-js`-style constructor or a {@link Sha256} is given. */
export function hashFrom(option: Sha256Constructor | Sha256 | undefined): Sha256 {
  if (option === undefined) return defaultSha256;
  if (typeof option === 'function') {
    return adapterFor(option, sha256FromConstructor);
  }
  if (typeof option === 'object' && option !== null && typeof option.hex === 'function' && typeof option.hmac === 'function') return option;
  throw new SigV4Error('INVALID_OPTION', 'sha256: expected a hash constructor such as Sha256 from @aws-crypto/sha256-js');
}

/** Checks an optional boolean switch. */
export function assertOptionalBoolean(value: unknown, label: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new SigV4Error('INVALID_OPTION', `${label}: expected true or false`);
  }
}
