import type { Command } from 'commander';
import {
  canonicalByRules,
  checkServerText,
  diagnose,
  expectedSignature,
  nodeSha256,
  readAuthorizationHeader,
  readServerError,
  sign,
  SigV4Error,
  type Credentials,
  type DiagnoseInput,
  type SignOptions,
} from '@glassbox/sigv4';
import { usageError } from '../cli-error.ts';
import { collect, type CommandContext } from '../command-context.ts';
import { findCredentials } from '../credentials.ts';
import { printDiagnosis, printServerCheck } from '../diagnosis-report.ts';
import { ExitCode } from '../exit-codes.ts';
import { headerOf, readRequestInput, readTextArgument, type RequestInputOptions } from '../request-input.ts';
import { resolveScope } from '../signing-scope.ts';

interface DiffFlags extends RequestInputOptions {
  serverError: string;
  region?: string;
  service?: string;
  date?: string;
  normalizePath: boolean;
  doubleEncode: boolean;
  profile?: string;
  credentials: boolean;
  json?: boolean;
}

/**
 * `glassbox diff`: compares a service's signature error with what we compute for the request.
 *
 * @example
 * ```sh
 * glassbox diff --server-error error.xml --request-file request.http
 * ```
 */
export function registerDiff(program: Command, ctx: CommandContext): Command {
  return program
    .command('diff')
    .summary('compare an AWS signature error with what we compute, and name the likely cause')
    .description(
      'Read the body of an AWS signature error (S3 XML with <CanonicalRequest>, or a JSON-protocol message ' +
        'such as ECR\'s "The Canonical String for this request should have been ...") and compare it, part by ' +
        'part, with the canonical request and string to sign we compute for the request. With credentials from ' +
        'the credential chain (never flags) and a signed request, it reconstructs what the client actually ' +
        'signed: which signer behaviour reproduces the signature the request carries. Exits 1 when they ' +
        'differ, 0 when they match.',
    )
    .requiredOption('--server-error <file>', "the service's error body (- reads stdin)")
    .argument('[url]', 'the request URL, curl-like')
    .option('--request-file <file>', 'the request that was sent, raw HTTP/1.1 (signed or not)')
    .option('-X, --request <method>', 'HTTP method')
    .option('-H, --header <header>', "a request header 'Name: value' (repeatable)", collect)
    .option('-d, --data <data>', 'request body: text, @file, or @- for stdin')
    .option('--region <region>', 'region (default: from the request, the hostname, then AWS_REGION)')
    .option('--service <name>', 'signing name (default: from the request or the hostname)')
    .option('--date <time>', "signing time (default: the request's X-Amz-Date)")
    .option('--no-normalize-path', 'do not remove . and .. segments (the default for s3)')
    .option('--no-double-encode', 'encode the path once (the default for s3)')
    .option('--profile <name>', 'AWS profile whose credentials reconstruct what the client signed')
    .option('--no-credentials', 'do not look for credentials: compare without reconstructing')
    .option('--json', 'print the comparison as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ glassbox diff --server-error error.xml --request-file request.http
  $ aws s3api get-object ... 2>&1 | glassbox diff --server-error - --request-file request.http
  $ glassbox diff --server-error err.xml -X PUT -H 'Content-Type: image/png' 'https://…?X-Amz-Signature=…'

Credentials: the credential chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, --profile, …), never flags.
The secret is only an HMAC key: it never appears in the output.`,
    )
    .action(async (url: string | undefined, flags: DiffFlags, cmd: Command) => {
      if (flags.serverError === '-' && (flags.requestFile === '-' || flags.data === '@-')) {
        throw usageError('only one of --server-error and the request can come from stdin');
      }
      const text = await readTextArgument(flags.serverError, ctx.io, '--server-error');
      const reading = readServerError(text);
      if (reading.format === 'unknown')
        throw usageError(
          `--server-error '${flags.serverError}' is not an AWS error body (S3 XML, JSON, Query XML, or an SDK's exception text)`,
        );
      const server = reading.server;
      const out = ctx.output;
      const c = out.color;
      const credentials = async (): Promise<{ credentials: Credentials; source: string } | undefined> => {
        if (!flags.credentials) return undefined;
        try {
          return await findCredentials(out, { profile: flags.profile });
        } catch (error) {
          const message =
            error instanceof Error ? error.message.split('\n')[0]!.replace(/[.:]\s*(Tried, in order:?)?$/, '') : String(error);
          const why = /^No AWS credentials found/i.test(message)
            ? 'no credentials in the credential chain'
            : `no credentials from the credential chain (${message})`;
          out.warn(
            `${why}: comparing without reconstructing what the client signed (--profile picks a profile, --no-credentials skips this)`,
          );
          return undefined;
        }
      };
      if (flags.requestFile === undefined && url === undefined) {
        // No request: explain what the service computed, check it against itself and, with credentials,
        // compute the signature it expected.
        const found = await credentials();
        const check = {
          text: checkServerText(server, nodeSha256),
          expected: found === undefined ? undefined : expectedSignature(server, found.credentials.secretAccessKey, nodeSha256),
          credentialsSource: found?.source,
        };
        if (flags.json) {
          out.json({ ...server, serverCheck: check });
          return;
        }
        out.out(`${c.bold('Error:')} ${server.code ?? '(no code)'}${server.message ? `: ${server.message.split('\n')[0]}` : ''}\n`);
        if (server.canonicalRequest !== undefined)
          out.out(`\n${c.bold('The service computed this canonical request:')}\n${server.canonicalRequest}\n`);
        if (server.stringToSign !== undefined) out.out(`\n${c.bold('and this string to sign:')}\n${server.stringToSign}\n`);
        printServerCheck(ctx, check, 'out');
        out.out('\nGive the request you sent with --request-file (or curl-like) to compare it with ours.\n');
        return;
      }
      const input = await readRequestInput(flags, url, ctx.io);
      // A token in the request is as secret as one in the environment.
      out.addSecret(headerOf(input.headers, 'x-amz-security-token'));
      out.addSecret(new URLSearchParams(input.url.split('?')[1] ?? '').get('X-Amz-Security-Token') ?? undefined);
      const claim = claimedScope(input.headers, input.url);
      const scope = resolveScope(input.host, { region: flags.region ?? claim?.region, service: flags.service ?? claim?.service }, ctx.io);
      const s3 = scope.service === 's3';
      const explicit = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      const signedRequest = {
        method: input.method,
        url: input.url,
        headers: input.headers,
        ...(input.body === undefined ? {} : { body: input.body }),
      };
      let ours: DiagnoseInput | undefined;
      let signedClaim = claim;
      const byFlags = ['region', 'service', 'date', 'normalizePath', 'doubleEncode'].some(explicit);
      if (claim !== undefined && !byFlags) {
        // A signed request: what the service's rules give for it, from its own Credential and SignedHeaders.
        try {
          ours = canonicalByRules(signedRequest, { sha256: nodeSha256 });
        } catch (error) {
          if (!(error instanceof SigV4Error)) throw error;
          out.warn(
            `the request's signature cannot be read (${error.message.replace(/^reconstruct: /, '')}): comparing it as if unsigned, without reconstructing`,
          );
          signedClaim = undefined;
        }
      }
      if (ours === undefined) {
        // An unsigned request (or rules overridden by flags): sign it with Glassbox's rules. The canonical
        // request and string to sign do not depend on the secret: a placeholder will do.
        const options: SignOptions = {
          credentials: { accessKeyId: claim?.accessKeyId ?? 'AKIDPLACEHOLDER', secretAccessKey: 'not-needed-for-the-canonical-request' },
          region: scope.region,
          service: scope.service,
          normalizePath: explicit('normalizePath') ? flags.normalizePath : !s3,
          doubleEncode: explicit('doubleEncode') ? flags.doubleEncode : !s3,
          signingKeyCache: false,
          ...(flags.date === undefined ? {} : { date: flags.date }),
          // Sign exactly the headers the original signer listed.
          ...(claim?.signedHeaders === undefined
            ? {}
            : {
                unsignableHeaders: Object.keys(input.headers).filter((name) => !claim.signedHeaders!.includes(name.toLowerCase())),
                signableHeaders: claim.signedHeaders,
              }),
        };
        const unsignedHeaders = Object.fromEntries(
          Object.entries(input.headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
        );
        const payloadHash = headerOf(input.headers, 'x-amz-content-sha256');
        const result = await sign(
          { method: input.method, url: input.url, headers: unsignedHeaders, ...(input.body === undefined ? {} : { body: input.body }) },
          { ...options, ...(payloadHash === undefined ? {} : { payloadHash }) },
        );
        ours = { canonicalRequest: result.canonicalRequest, stringToSign: result.stringToSign };
      }
      const found = signedClaim === undefined ? undefined : await credentials();
      const diagnosis = diagnose(ours, text, {
        sha256: nodeSha256,
        ...(found === undefined ? {} : { request: signedRequest, credentials: found.credentials, credentialsSource: found.source }),
      });
      if (flags.json)
        out.json({
          ...diagnosis,
          ours: { canonicalRequest: ours.canonicalRequest, stringToSign: ours.stringToSign },
          credentialsSource: found?.source,
        });
      else printDiagnosis(ctx, diagnosis, 'out');
      // 0 only when nothing differs: ours equals the server's, and a reconstruction (if any) found the client by the rules.
      const r = diagnosis.reconstruction;
      const differs = r !== undefined && (r.code !== 'REPRODUCED' || (r.candidate?.behaviours.length ?? 0) > 0);
      ctx.setExitCode(diagnosis.matched && !differs ? ExitCode.OK : ExitCode.SIGNATURE_MISMATCH);
    });
}

/** What an already signed request claims: access key, scope and signed headers. */
export function claimedScope(
  headers: Record<string, string | string[]>,
  url: string,
): { accessKeyId: string; region: string; service: string; signedHeaders?: string[] } | undefined {
  const authorization = headerOf(headers, 'authorization');
  let credential: string | undefined;
  let signed: string | undefined;
  if (authorization !== undefined) {
    const header = readAuthorizationHeader(authorization);
    credential = header?.credential;
    signed = header?.signedHeaders;
  } else {
    const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    const params = new URLSearchParams(query);
    credential = params.get('X-Amz-Credential') ?? undefined;
    signed = params.get('X-Amz-SignedHeaders') ?? undefined;
  }
  const parts = credential?.split('/');
  if (parts?.length !== 5) return undefined;
  return {
    accessKeyId: parts[0]!,
    region: parts[2]!,
    service: parts[3]!,
    ...(signed === undefined ? {} : { signedHeaders: signed.split(';') }),
  };
}
