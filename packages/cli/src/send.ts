import type { Client } from 'undici';
import { CliError, usageError } from './cli-error.ts';
import type { CommandContext } from './command-context.ts';
import { isNetworkError } from './error-report.ts';
import { ExitCode } from './exit-codes.ts';
import { diagnose } from '@glassbox/sigv4';
import { printDiagnosis, SIGNATURE_ERROR_CODES } from './diagnosis-report.ts';
import { prepareOutputFile } from './output-file.ts';
import type { SignedView } from './signed-view.ts';

/** A signed request to send, and what we computed for it (to diff against a signature error). */
export interface SendInput {
  method: string;
  url: string;
  scheme: 'http:' | 'https:';
  host: string;
  headers: Record<string, string | string[]>;
  body: string | Uint8Array | undefined;
  endpointUrl: string | undefined;
  ours: { canonicalRequest: string; stringToSign: string; signature: string };
  json: boolean;
  view: SignedView;
  /** `-o, --output-file FILE`: where the response body goes instead of stdout (`-` is stdout). */
  outputFile?: string | undefined;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends a signed request with undici and prints the response like awscurl: status line, headers and
 * body on stdout — the body as the bytes received, or into `-o FILE`. A signature error runs the
 * diff against what the service says it computed and exits 1; any other HTTP error exits 3; a
 * network failure exits 4.
 */
export async function sendSigned(ctx: CommandContext, input: SendInput): Promise<number> {
  const target = targetUrl(input);
  // Before sending: a folder that cannot take the file is the user's to fix, and nothing went out yet.
  const file = input.outputFile === undefined || input.outputFile === '-' ? undefined : await prepareOutputFile(input.outputFile, ctx.io.cwd);
  const progress = ctx.output.progress(`${input.method} ${target.origin}…`);
  let status: number;
  let headers: Record<string, string | string[] | undefined>;
  let body: Uint8Array;
  let client: Client | undefined;
  try {
    // Dispatcher.request takes the path as a string and sends it verbatim: the bytes that were signed.
    // A client of our own, closed afterwards, so no keep-alive socket holds the process open.
    const { Client: UndiciClient } = await import('undici');
    client = new UndiciClient(target.origin, { connectTimeout: REQUEST_TIMEOUT_MS });
    const response = await client.request({
      path: target.path,
      method: input.method as 'GET',
      headers: input.headers,
      ...(input.body === undefined ? {} : { body: input.body }),
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    status = response.statusCode;
    headers = response.headers;
    body = new Uint8Array(await response.body.arrayBuffer());
  } catch (error) {
    await file?.discard();
    if (isNetworkError(error)) {
      const code = (error as { code?: string }).code ?? '';
      throw new CliError(ExitCode.NETWORK, `network error: ${input.method} ${target.origin} failed: ${(error as Error).message}${code ? ` (${code})` : ''}`, { cause: error });
    }
    throw error;
  } finally {
    progress.stop();
    await client?.close().catch(() => undefined);
  }

  const out = ctx.output;
  const text = utf8Text(body);
  if (file !== undefined) {
    await file.commit(body);
    if (!input.json) out.err(`wrote ${body.length} bytes to ${file.shown}\n`);
  }
  if (input.json) {
    // JSON holds text: the body as text when it is UTF-8, as base64 when it is not.
    const bodyField = file !== undefined ? { outputFile: file.shown } : text !== undefined ? { body: text } : { bodyBase64: Buffer.from(body).toString('base64') };
    out.json({ status, headers, ...bodyField, signature: input.view });
  } else {
    const lines = [`HTTP ${status}`];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value ?? '']) lines.push(`${name}: ${v}`);
    }
    out.out(`${lines.join('\n')}\n\n`);
    if (file === undefined) printBody(ctx, status, body, text);
  }
  if (status < 400) return ExitCode.OK;
  const diagnosis = diagnose(input.ours, text ?? new TextDecoder().decode(body));
  const code = diagnosis.server.code;
  if (code !== undefined && SIGNATURE_ERROR_CODES.has(code)) {
    out.err(`\n${out.errColor.red(`The service rejected the signature (${code}).`)} Comparing with what it computed:\n\n`);
    printDiagnosis(ctx, diagnosis, 'err');
    return ExitCode.SIGNATURE_MISMATCH;
  }
  out.err(`${out.errColor.red('error:')} HTTP ${status}${code ? ` ${code}` : ''}${diagnosis.server.message ? `: ${diagnosis.server.message}` : ''}\n`);
  return ExitCode.AWS_ERROR;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text when it is valid UTF-8, else undefined. */
function utf8Text(body: Uint8Array): string | undefined {
  try {
    return STRICT_UTF8.decode(body);
  } catch {
    return undefined;
  }
}

/**
 * A body on stdout. A download (status below 400) is written as the bytes received, so
 * `> file` and `| sha256sum` see exactly what the server sent. An error body is the service's
 * message, which can quote the request (S3 echoes the canonical request, session token included):
 * it goes through the scrubber. A newline is added only on a terminal, for the prompt's sake.
 */
function printBody(ctx: CommandContext, status: number, body: Uint8Array, text: string | undefined): void {
  const out = ctx.output;
  if (status >= 400 && text !== undefined) out.out(text);
  else out.outBytes(body);
  if (ctx.io.stdout.isTTY === true && body.length > 0 && body[body.length - 1] !== 0x0a) out.out('\n');
}

function targetUrl(input: SendInput): { origin: string; path: string } {
  const authority = /^https?:\/\/[^/?#]*/i.exec(input.url)?.[0];
  const pathAndQuery = authority === undefined ? input.url : input.url.slice(authority.length) || '/';
  const origin = input.endpointUrl ?? authority ?? `${input.scheme}//${input.host}`;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw usageError(`--endpoint-url '${origin}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--endpoint-url '${origin}' must be http:// or https://`);
  // Keep the path and query exactly as signed: URL would re-encode them.
  return { origin: url.origin, path: pathAndQuery };
}
