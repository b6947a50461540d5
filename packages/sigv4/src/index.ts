/**
 * @glassbox/sigv4 — AWS Signature Version 4 you can read, step by step.
 *
 * Read the source top to bottom: `sign.ts` composes the steps, and each step has its own file:
 * canonical URI, query, headers, payload hash → canonical request → string to sign → signing key →
 * signature → Authorization header.
 *
 * @example
 * ```ts
 * import { sign, formatTrace } from '@glassbox/sigv4';
 * const result = await sign(request, { credentials, region: 'us-east-1', service: 'ecr', trace: true });
 * console.log(formatTrace(result.trace!));
 * ```
 * @packageDocumentation
 */
export * from './portable.ts';
export { nodeSha256 } from './hash-node.ts';

// Node only (node:crypto, node:zlib), so not in the browser build of the root. Their own entry points
// are `@glassbox/sigv4/sigv4a` and `@glassbox/sigv4/chunked`; the root keeps re-exporting them for the
// imports written before those existed.
/** @deprecated Import SigV4a from `@glassbox/sigv4/sigv4a`; the root re-export stays for existing imports. */
export * from './sigv4a/index.ts';
/** @deprecated Import aws-chunked from `@glassbox/sigv4/chunked`; the root re-export stays for existing imports. */
export * from './chunked/index.ts';
