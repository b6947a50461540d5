import { inCliWords } from './cli-words.ts';
import type { Diagnosis, ExpectedSignatureCheck, ServerTextCheck } from '@glassbox/sigv4';
import type { CommandContext } from './command-context.ts';

/** The error codes that mean "the signature does not check out" (S3 and Query protocols, JSON protocols, API Gateway). */
export const SIGNATURE_ERROR_CODES: ReadonlySet<string> = new Set([
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'InvalidSignature',
]);

/** The checks of the server's text and expected signature, as `glassbox diff --server-error` alone shows them. */
export interface ServerCheckReport {
  text: ServerTextCheck;
  expected: ExpectedSignatureCheck | undefined;
  credentialsSource?: string | undefined;
}

/**
 * Prints what Glassbox checked of the server's own text: that its canonical request hashes to its
 * string to sign and, with credentials, the signature the server expected against the one it received.
 *
 * @example
 * ```ts
 * printServerCheck(ctx, { text: checkServerText(server, nodeSha256), expected: undefined }, 'out');
 * ```
 */
export function printServerCheck(ctx: CommandContext, check: ServerCheckReport, stream: 'out' | 'err'): void {
  const c = stream === 'out' ? ctx.output.color : ctx.output.errColor;
  const lines: string[] = [''];
  if (check.text.consistent === true)
    lines.push(c.green('The canonical request the server quotes hashes to the last line of its string to sign.'));
  else if (check.text.consistent === false) {
    lines.push(
      c.red('The canonical request the server quotes does not hash to its string to sign: the body was pasted, re-wrapped or trimmed.'),
    );
  }
  const expected = check.expected;
  if (expected !== undefined) {
    const from = check.credentialsSource === undefined ? '' : ` (credentials from ${check.credentialsSource})`;
    lines.push(`${c.bold('Expected signature')} for the server's string to sign with this secret${from}: ${expected.expectedSignature}`);
    if (expected.signatureProvided !== undefined) {
      lines.push(`${c.bold('The request carried:')} ${expected.signatureProvided}`);
      lines.push(
        expected.requestCarriesExpected
          ? "They are equal: client and server agree on everything but the key, so the server's copy of the secret for this access key ID differs (rotated, or another key pair)."
          : 'They differ: the client signed something else than the server computed (give the request to find what), or with another secret.',
      );
    }
  } else if (check.text.consistent !== undefined) {
    lines.push(c.dim('Give credentials (the credential chain) to compute the signature the server expected.'));
  }
  if (lines.length > 1) (stream === 'out' ? ctx.output.out.bind(ctx.output) : ctx.output.err.bind(ctx.output))(`${lines.join('\n')}\n`);
}

/**
 * Prints a @glassbox/sigv4 diagnosis: what the client signed (when reconstructed), the likely cause and
 * its fix, any other causes, then the line diff of the client's (or our) canonical request and string to
 * sign against the service's.
 *
 * @example
 * ```ts
 * printDiagnosis(ctx, diagnose(ours, body), 'err');
 * ```
 */
export function printDiagnosis(ctx: CommandContext, diagnosis: Diagnosis, stream: 'out' | 'err'): void {
  const c = stream === 'out' ? ctx.output.color : ctx.output.errColor;
  const lines: string[] = [];
  const reconstruction = diagnosis.reconstruction;
  if (reconstruction !== undefined) {
    const budget = `${reconstruction.tried} of ${reconstruction.space} candidates tried${reconstruction.exhausted ? ', stopped at the budget' : ''}`;
    if (reconstruction.code === 'REPRODUCED') {
      lines.push(`${c.bold('Reconstructed')} what the client signed (${budget}):`, `  ${reconstruction.explanation}`, '');
    } else {
      lines.push(`${c.bold('Not reconstructed')} (${reconstruction.code}, ${budget}).`);
      if (reconstruction.ruledOut.length > 0) {
        lines.push(c.bold('Ruled out, each on its own:'));
        for (const ruled of reconstruction.ruledOut) lines.push(`  ${ruled.label}: ${ruled.tried.join('; ')}`);
      }
      lines.push('');
    }
  }
  const deviated = (reconstruction?.candidate?.behaviours.length ?? 0) > 0;
  if (diagnosis.matched && deviated)
    lines.push("The service's rules give exactly what the server computed: the difference is in what the client signed.");
  else if (diagnosis.matched) lines.push(c.green('The canonical request and string to sign match what the service computed.'));
  const [likely, ...others] = diagnosis.causes;
  if (likely) {
    lines.push(
      `${c.bold('Likely cause')} (${likely.code}${likely.step ? `, step ${likely.step}` : ''}): ${inCliWords(likely.message)}`,
      `  ${c.bold('fix:')} ${inCliWords(likely.fix)}`,
    );
  }
  if (others.length > 0) {
    lines.push('', c.bold('Also:'));
    for (const cause of others) lines.push(`  - (${cause.code}) ${inCliWords(cause.message)}`);
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
  const check = diagnosis.serverCheck;
  if (check?.expected !== undefined) printServerCheck(ctx, { text: { consistent: undefined }, expected: check.expected }, stream);
}
