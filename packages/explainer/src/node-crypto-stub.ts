// Stands in for node:crypto in the browser bundle (esbuild alias in build.ts). @glassbox/sigv4's
// default hash imports node:crypto; the page always passes @aws-crypto/sha256-js, so reaching this
// is a bug, and it says so instead of failing somewhere obscure.
function unavailable(): never {
  throw new Error('node:crypto is not available in the browser: pass sha256 (Sha256 from @aws-crypto/sha256-js)');
}

/** Absent, so @glassbox/sigv4 falls back to createHash (which is never reached in the page). */
export const hash: undefined = undefined;
export const createHash: (...args: unknown[]) => never = unavailable;
export const createHmac: (...args: unknown[]) => never = unavailable;
