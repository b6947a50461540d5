/** The names of the steps a trace can hold, in the order they happen. */
export type TraceStepId =
  | 'credentials'
  | 'signing-time'
  | 'headers-to-sign'
  | 'canonical-uri'
  | 'canonical-query'
  | 'canonical-headers'
  | 'signed-headers'
  | 'payload-hash'
  | 'canonical-request'
  | 'canonical-request-hash'
  | 'credential-scope'
  | 'string-to-sign'
  | 'signing-key'
  | 'signature'
  | 'authorization'
  | 'presigned-url'
  | 'signed-request'
  | 'region-set'
  | 'ecdsa-key'
  | 'chunk-signatures'
  | 'trailer-signature';

/**
 * One step of a signature, as `sign(..., { trace: true })` records it: the same values the signer
 * computed (not a second code path), with a sentence saying what the step does. Secrets never
 * appear: the session token is replaced by `[redacted: session token, N chars]`, and the signing
 * key is shown only with `revealSigningKey: true`.
 */
export interface TraceStep {
  /** A stable name for the step. */
  readonly id: TraceStepId;
  /** A short heading, e.g. `Canonical request (step 1)`. */
  readonly title: string;
  /** One sentence on what the step does and why. */
  readonly explanation: string;
  /** The values that fed the step, by name. */
  readonly inputs: Readonly<Record<string, string>>;
  /** What the step produced. */
  readonly output: string;
}

/** Options of {@link formatTrace}. */
export interface FormatTraceOptions {
  /** ANSI colour. Default false; the CLI turns it on for a TTY unless `NO_COLOR` is set. */
  color?: boolean | undefined;
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', cyan: '\x1b[36m', green: '\x1b[32m', reset: '\x1b[0m' };

/**
 * Formats a trace as the step-by-step text people debug with: each step's title, one sentence on
 * what it does, its inputs and its output (multi-line outputs framed so white space is visible).
 *
 * @example
 * ```ts
 * const result = await sign(request, { ...options, trace: true });
 * console.log(formatTrace(result.trace!, { color: process.stdout.isTTY }));
 * ```
 */
export function formatTrace(trace: readonly TraceStep[], options: FormatTraceOptions = {}): string {
  const paint = (code: keyof typeof ANSI, text: string): string => (options.color ? `${ANSI[code]}${text}${ANSI.reset}` : text);
  const blocks = trace.map((step, index) => {
    const lines = [paint('bold', `${String(index + 1).padStart(2)}. ${step.title}`), paint('dim', `    ${step.explanation}`)];
    const names = Object.keys(step.inputs);
    const width = Math.max(0, ...names.map((n) => n.length));
    for (const name of names) {
      const [first = '', ...rest] = step.inputs[name]!.split('\n');
      lines.push(`    ${paint('cyan', name.padEnd(width))}  ${first}`);
      for (const line of rest) lines.push(`    ${' '.repeat(width)}  ${line}`);
    }
    const output = step.output.split('\n');
    if (output.length === 1) lines.push(`    ${paint('green', '→')} ${output[0]}`);
    else {
      lines.push(`    ${paint('green', '┌')}`);
      for (const line of output) lines.push(`    ${paint('green', '│')} ${line}`);
      lines.push(`    ${paint('green', '└')}`);
    }
    return lines.join('\n');
  });
  return blocks.join('\n\n') + '\n';
}

/** Moved to `redaction.ts`, the one owner of redaction; re-exported here for the files that import it from the trace. */
export { redact } from './redaction.ts';
