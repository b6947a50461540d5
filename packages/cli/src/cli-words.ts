/**
 * The CLI's words for the libraries' words. A library message names what a library caller passes
 * (`revealSigningKey`, `trace: true`, the `region` option); in the CLI the same advice must name the flag a
 * person types. One table, applied where library text reaches the terminal: errors (`error-report.ts`),
 * traces and diagnoses. `test/cli-flags.test.ts` checks that every flag the CLI prints exists and that none of
 * the library words below leaks through unmapped.
 */
const LIBRARY_TO_CLI: ReadonlyArray<readonly [RegExp, string]> = [
  [/pass revealSigningKey to show it/g, 'pass --show-signing-key to show it'],
  [/Sign with trace: true and (compare|check)/g, 'Run glassbox sign on the same request (it prints every step) and $1'],
  [/Pass `region`/g, 'Pass --region'],
  [/the `region` option/g, '--region'],
  [/\(from option\)/g, '(from --profile)'],
  [/" from option\)/g, '" from --profile)'],
  [/\(--trace shows the source\)/g, '(--debug shows the source)'],
];

/** The library words that must never reach the terminal as they are (the test's list). */
export const LIBRARY_WORDS: readonly RegExp[] = [
  /revealSigningKey/,
  /trace: true/,
  /Pass `region`/,
  /`region` option/,
  /from option\b/,
  /--trace\b/,
];

/**
 * Rewrites library advice into the CLI's flags.
 *
 * @example
 * ```ts
 * inCliWords('[hidden: pass revealSigningKey to show it]'); // '[hidden: pass --show-signing-key to show it]'
 * ```
 */
export function inCliWords(text: string): string {
  let result = text;
  for (const [pattern, replacement] of LIBRARY_TO_CLI) result = result.replace(pattern, replacement);
  return result;
}
