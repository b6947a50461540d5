import { diffLines, type Change } from 'diff';

/** `diff`'s line diff for the browser build, bundled with the page (see `line-diff.ts`). */
export function lineChanges(ours: string, theirs: string): Change[] {
  return diffLines(ours, theirs);
}
