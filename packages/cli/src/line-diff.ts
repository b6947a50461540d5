/**
 * A positional line diff (`-` expected, `+` actual, two spaces when equal), for values that line up
 * by position — the expected and actual outputs of one signing step.
 *
 * @example
 * ```ts
 * diffLines('a\nb', 'a\nc'); // '  a\n- b\n+ c'
 * ```
 */
export function diffLines(expected: string, actual: string): string {
  const x = expected.split('\n');
  const y = actual.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const a = x[i];
    const b = y[i];
    if (a === b) out.push(`  ${a}`);
    else {
      if (a !== undefined) out.push(`- ${a}`);
      if (b !== undefined) out.push(`+ ${b}`);
    }
  }
  return out.join('\n');
}
