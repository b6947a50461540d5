/**
 * The one redaction, owned by @glassbox/sigv4 (`redaction.ts`), re-exported as a small entry point of its
 * own (`@glassbox/ecr/redaction`) so that @glassbox/docker-config and the credential helper can scrub
 * their output without loading the signer, the credential chain or undici.
 *
 * @example
 * ```ts
 * import { redactSecrets } from '@glassbox/ecr/redaction';
 * stderr.write(redactSecrets(`glassbox: get failed: ${error.message}\n`));
 * ```
 */
export { REDACTED, redactSecrets, redactDeep, redactHeaderValue, rememberSecret, MIN_SECRET_LENGTH } from '@glassbox/sigv4/redaction';
export type { RedactOptions } from '@glassbox/sigv4/redaction';
