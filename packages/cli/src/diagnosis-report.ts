import type { Diagnosis } from '@glassbox/sigv4';
import type { CommandContext } from './command-context.ts';

/** The error codes that mean "the signature does not check out" (S3 and Query protocols, JSON protocols). */
export const SIGNATURE_ERROR_CODES: ReadonlySet<string> = new Set(['SignatureDoesNotMatch', 'InvalidSignatureException']);

/**
 * Prints a @glassbox/sigv4 diagnosis: the likely cause and its fix, any other causes, then the line
 * diff of our canonical request and string to sign against the service's.
 *
 * @example
 * ```ts
 * printDiagnosis(ctx, diagnose(ours, body), 'err');
 * ```
 */
export function printDiagnosis(ctx: CommandContext, diagnosis: Diagnosis, stream: 'out' | 'err'): void {
  const c = stream === 'out' ? ctx.output.color : ctx.output.errColor;
  const lines: string[] = [];
  if (diagnosis.matched) lines.push(c.green('The canonical request and string to sign match what the service computed.'));
  const [likely, ...others] = diagnosis.causes;
  if (likely) {
    lines.push(`${c.bold('Likely cause')} (${likely.code}${likely.step ? `, step ${likely.step}` : ''}): ${likely.message}`, `  ${c.bold('fix:')} ${likely.fix}`);
  }
  if (others.length > 0) {
    lines.push('', c.bold('Also:'));
    for (const cause of others) lines.push(`  - (${cause.code}) ${cause.message}`);
  }
  if (diagnosis.lineDiff.trim() !== '') {
    lines.push('');
    for (const line of diagnosis.lineDiff.replace(/\n$/, '').split('\n')) {
      if (line.startsWith('---') || line.startsWith('+++')) lines.push(c.dim(line));
      else if (line.startsWith('-')) lines.push(c.red(line));
      else if (line.startsWith('+')) lines.push(c.green(line));
      else lines.push(line);
    }
  }
  if (diagnosis.server.requestId) lines.push('', c.dim(`request id: ${diagnosis.server.requestId}`));
  (stream === 'out' ? ctx.output.out.bind(ctx.output) : ctx.output.err.bind(ctx.output))(`${lines.join('\n')}\n`);
}
