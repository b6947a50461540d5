import type { Change } from 'diff';

/**
 * `diff`'s line diff, loaded on the first call rather than with the module: `import { sign }` must
 * load no third-party module, and a diagnosis — the only user — is synchronous, so `diff` is
 * required (it ships CommonJS) instead of imported. Node's `require` cache keeps it after the
 * first call. The browser build bundles it statically instead (`line-diff-browser.ts`, through the
 * `browser` condition of `#line-diff` in package.json), where there is no `require`.
 */
export function lineChanges(ours: string, theirs: string): Change[] {
  const { createRequire } = process.getBuiltinModule('node:module');
  const { diffLines } = createRequire(import.meta.url)('diff') as typeof import('diff');
  return diffLines(ours, theirs);
}
