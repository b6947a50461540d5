import { usageError } from './cli-error.ts';
import type { CommandContext } from './command-context.ts';
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
  /** The network settings from the command line; the rest come from the environment and the profile. */
  network?: NetworkFlags | undefined;
}

/** `--profile`, `--cli-connect-timeout`, `--cli-read-timeout` (already in milliseconds). */
export interface NetworkFlags {
  profile?: string | undefined;
  connectTimeoutMs?: number | undefined;
  readTimeoutMs?: number | undefined;
}

/** What came back: the status, the headers, and the body as bytes (an error body possibly cut at 1 MiB). */
export interface SignedExchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  truncated: { kept: number; totalBytes: number | undefined } | undefined;
}

/**
 * Sends the signed request through the shared transport of @glassbox/aws — the AWS CLI's proxy
 * (`HTTPS_PROXY`, `NO_PROXY`), CA bundle (`AWS_CA_BUNDLE`, `ca_bundle`), attempts (`AWS_MAX_ATTEMPTS`,
 * `max_attempts`, `AWS_RETRY_MODE`) and timeouts — with the path and body exactly as signed. A retry
 * re-sends the same signed bytes (the signature stays valid for minutes). Network failures throw the
 * transport's error, which the CLI reports with exit 4 and its hint.
 */
async function exchangeSigned(ctx: CommandContext, input: SendInput, target: { origin: string; path: string }): Promise<SignedExchange> {
  const [{ loadTransportSettings, closeConnections }, transport] = await Promise.all([
    import('@glassbox/aws'),
    import('@glassbox/aws/transport'),
  ]);
  const network = input.network ?? {};
  try {
    const settings = await loadTransportSettings({
      env: ctx.io.env,
      profile: network.profile,
      connectTimeoutMs: network.connectTimeoutMs,
      readTimeoutMs: network.readTimeoutMs,
    });
    const url = target.origin + target.path;
    const request = { method: input.method, url, headers: input.headers, ...(input.body === undefined ? {} : { body: input.body }) };
    const { response } = await transport.sendWithRetries(url, async () => request, {
      settings,
      resignOnClockSkew: false,
      onAttempt: (record) => {
        if (record.outcome === 'retry' && !input.json) {
          ctx.output.err(
            `attempt ${record.attempt}: ${record.status === undefined ? record.errorCode : `HTTP ${record.status}`}; retrying in ${record.delayMs} ms (attempt ${record.attempt + 1} of ${settings.maxAttempts}, ${settings.maxAttemptsFrom})\n`,
          );
        }
      },
    });
    return { status: response.status, headers: response.headers, body: response.body, truncated: response.truncated };
  } finally {
    // The process ends after one exchange: no kept-alive socket may hold it open.
    await closeConnections();
  }
}

/**
 * Sends a signed request through the shared transport and prints the response like awscurl: status
 * line, headers and body on stdout — the body as the bytes received, or into `-o FILE`. A signature error runs the
 * diff against what the service says it computed and exits 1; any other HTTP error exits 3; a
 * network failure exits 4.
 */
export async function sendSigned(ctx: CommandContext, input: SendInput): Promise<number> {
  const target = targetUrl(input);
  // Before sending: a folder that cannot take the file is the user's to fix, and nothing went out yet.
  const file =
    input.outputFile === undefined || input.outputFile === '-' ? undefined : await prepareOutputFile(input.outputFile, ctx.io.cwd);
  const progress = ctx.output.progress(`${input.method} ${target.origin}…`);
  let exchanged: SignedExchange;
  try {
    exchanged = await exchangeSigned(ctx, input, target);
  } catch (error) {
    await file?.discard();
    throw error;
  } finally {
    progress.stop();
  }
  const { status, headers, body } = exchanged;
  if (exchanged.truncated !== undefined) {
    const { kept, totalBytes } = exchanged.truncated;
    ctx.output.err(
      `note: the HTTP ${status} body is ${totalBytes === undefined ? `more than ${kept} bytes (no Content-Length)` : `${totalBytes} bytes`}; showing its first ${kept} bytes only.\n`,
    );
  }

  const out = ctx.output;
  const text = utf8Text(body);
  if (file !== undefined) {
    await file.commit(body);
    if (!input.json) out.err(`wrote ${body.length} bytes to ${file.shown}\n`);
  }
  if (input.json) {
    // JSON holds text: the body as text when it is UTF-8, as base64 when it is not.
    const bodyField =
      file !== undefined
        ? { outputFile: file.shown }
        : text !== undefined
          ? { body: text }
          : { bodyBase64: Buffer.from(body).toString('base64') };
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
  out.err(
    `${out.errColor.red('error:')} HTTP ${status}${code ? ` ${code}` : ''}${diagnosis.server.message ? `: ${diagnosis.server.message}` : ''}\n`,
  );
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
