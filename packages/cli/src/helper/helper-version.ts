/** The helper's version: @glassbox/cli's, which ships the bin. */

// node:fs through getBuiltinModule, not `import`: the helper's warm path cannot afford the ESM facade.
const { readFileSync } = process.getBuiltinModule('node:fs');

/**
 * The `version` of packages/cli/package.json (two folders up from `src/helper/` and `dist/helper/`), or
 * `unknown` when it cannot be read.
 *
 * @example
 * ```ts
 * ownVersion(); // '0.1.0'
 * ```
 */
export function ownVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
