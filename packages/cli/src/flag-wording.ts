/**
 * The libraries' messages name their own options (`region`, `trace: true`, `revealSigningKey`), which
 * is right for a program calling them and wrong for a person at a shell. This table is the one place
 * that says which glassbox flag (or command) stands for each: the CLI applies it to everything it
 * prints on stderr, and to the trace and diagnosis it prints on stdout. A test checks that every flag
 * named here exists and that no library option name is left unmapped.
 */
export const OPTION_TO_FLAG: readonly (readonly [library: RegExp, cli: string])[] = [
  // @glassbox/ecr endpoints.ts (MISSING_REGION)
  [/\bthe `region` option\b/g, '--region'],
  // @glassbox/ecr aws-service-error.ts hints: the credentials' source is in `--debug`'s output.
  [/\bthe `trace` option\b/g, '--debug'],
  [/\bits `diagnosis` shows the first difference\b/g, 'the diagnosis above names the likely cause'],
  // @glassbox/sigv4 sign-trace.ts (the hidden signing key)
  [/\bpass `revealSigningKey` to show it\b/g, 'add --show-signing-key to show it'],
  // @glassbox/sigv4 sign-trace.ts (where the signing time came from)
  [/\bthe date option\b/g, '--date'],
  // @glassbox/sigv4 diagnose.ts causes: the CLI always traces (`glassbox sign` prints every step).
  [/\bSign with `trace: true` and\b/g, 'Run glassbox sign (it prints every step) and'],
  [/\bSign with `normalizePath: true`/g, 'Sign without --no-normalize-path'],
  // @glassbox/ecr shared-files.ts / endpoints.ts: a source named "option" is the flag.
  [/(\bprofile "[^"\n]*" \(?from) option\b/g, '$1 --profile'],
  [/(\bregion "[^"\n]*" \(from) option\b/g, '$1 --region'],
];

/**
 * A library's message in the CLI's words: each option it names becomes the flag that sets it.
 *
 * @example
 * ```ts
 * cliWording('Missing Region. Pass the `region` option'); // 'Missing Region. Pass --region'
 * ```
 */
export function cliWording(text: string): string {
  let worded = text;
  for (const [library, cli] of OPTION_TO_FLAG) worded = worded.replace(library, cli);
  return worded;
}
