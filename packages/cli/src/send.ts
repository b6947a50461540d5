import type { Client } from 'undici';
import { CliError, usageError } from './cli-error.ts';
import type { CommandContext } from './command-context.ts';
import { isNetworkError } from './error-report.ts';
import { ExitCode } from './exit-codes.ts';
import { diagnose } from '@glassbox/sigv4';
import { printDiagnosis, SIGNATURE_ERROR_CODES } from './diagnosis-report.ts';
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
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends a signed request with undici and prints the response like awscurl: status line, headers and
 * body on stdout. A signature error runs the diff against what the service says it computed and
 * exits 1; any other HTTP error exits 3; a network failure exits 4.
 */
export async function sendSigned(ctx: CommandContext, input: SendInput): Promise<number> {
  const target = targetUrl(input);
  const progress = ctx.output.progress(`${input.method} ${target.origin}…`);
  let status: number;
  let headers: Record<string, string | string[] | undefined>;
  let body: string;
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
    body = await response.body.text();
  } catch (error) {
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
  if (input.json) {
    out.json({ status, headers, body, signature: input.view });
  } else {
    const lines = [`HTTP ${status}`];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value ?? '']) lines.push(`${name}: ${v}`);
    }
    out.out(`${lines.join('\n')}\n\n${body}${body.endsWith('\n') || body === '' ? '' : '\n'}`);
  }
  if (status < 400) return ExitCode.OK;
  const diagnosis = diagnose(input.ours, body);
  const code = diagnosis.server.code;
  if (code !== undefined && SIGNATURE_ERROR_CODES.has(code)) {
    out.err(`\n${out.errColor.red(`The service rejected the signature (${code}).`)} Comparing with what it computed:\n\n`);
    printDiagnosis(ctx, diagnosis, 'err');
    return ExitCode.SIGNATURE_MISMATCH;
  }
  out.err(`${out.errColor.red('error:')} HTTP ${status}${code ? ` ${code}` : ''}${diagnosis.server.message ? `: ${diagnosis.server.message}` : ''}\n`);
  return ExitCode.AWS_ERROR;
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
