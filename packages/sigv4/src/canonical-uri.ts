import { uriEncode, uriEncodeOnce } from './uri-encode.ts';

/** How the path becomes the canonical URI: the two switches where S3 differs from every other service. */
export interface CanonicalUriOptions {
  /** Remove `.` and `..` segments and repeated `/` first. Default true; S3 signs the path as sent. */
  normalizePath?: boolean | undefined;
  /** Encode the path as written (so `%20` becomes `%2520`). Default true; S3 encodes once. */
  doubleEncode?: boolean | undefined;
}

/**
 * Step 1a — the canonical URI: the absolute path of the request, normalised and URI-encoded.
 *
 * Every service but S3 normalises the path (RFC 3986 §5.2.4 dot-segment removal, plus collapsing
 * `//`) and then URI-encodes the path *as it was written*, so an already-encoded path is encoded a
 * second time (`/a%20b` → `/a%2520b`). S3 object keys may legitimately contain `//`, `.` and `%`,
 * so S3 signs the path as sent, encoded exactly once. Getting this wrong is the most common cause
 * of SignatureDoesNotMatch for paths with spaces, `*`, `:` or `@`.
 *
 * @example
 * ```ts
 * canonicalUri('/example space/'); // '/example%20space/'
 * canonicalUri('//a/./b/../c');    // '/a/c'
 * canonicalUri('/my key%2B.txt', { normalizePath: false, doubleEncode: false }); // '/my%20key%2B.txt'
 * ```
 */
export function canonicalUri(path: string, options: CanonicalUriOptions = {}): string {
  const { normalizePath = true, doubleEncode = true } = options;
  if (path === '/' || ALREADY_CANONICAL.test(path)) return path; // nothing to resolve or encode
  const source = normalizePath ? removeDotSegments(path) : path;
  if (source === '' || source === '/') return '/';
  const encodeSegment = doubleEncode ? uriEncode : uriEncodeOnce;
  return source.split('/').map(encodeSegment).join('/');
}

// Unreserved characters and single slashes only, no `.`/`..` segment: canonical under every rule.
const ALREADY_CANONICAL = /^(\/(?!\.\.?(\/|$))[A-Za-z0-9\-_.~]+)+\/?$/;

/**
 * Resolves `.` and `..`, drops empty segments (so `//` collapses), and keeps a trailing slash —
 * the path normalisation the AWS SDKs apply before signing (smithy-typescript `getCanonicalPath`).
 *
 * @example
 * ```ts
 * removeDotSegments('/a/./b/../c//d/'); // '/a/c/d/'
 * ```
 */
export function removeDotSegments(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailingSlash}`;
}
