import { type Command, InvalidArgumentError } from 'commander';
import { verify } from '@glassbox/sigv4';
import { usageError } from '../cli-error.ts';
import { collect, type CommandContext } from '../command-context.ts';
import { findCredentials } from '../credentials.ts';
import { ExitCode } from '../exit-codes.ts';
import { headerOf, readRequestInput, type RequestInputOptions } from '../request-input.ts';
import { diffLines } from '../line-diff.ts';
import { claimedScope } from './diff.ts';

interface VerifyFlags extends RequestInputOptions {
  region?: string;
  service?: string;
  now?: string;
  maxSkew: number;
  profile?: string;
  normalizePath: boolean;
  doubleEncode: boolean;
  json?: boolean;
}

/**
 * `glassbox verify`: recomputes a signed request's signature as AWS would.
 *
 * @example
 * ```sh
 * glassbox verify --request-file signed.http --now 20150830T123600Z
 * ```
 */
/** Parses `--max-skew`: whole seconds (commander reports the flag and the value). */
function parseSkew(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected whole seconds');
  return Number(value);
}

export function registerVerify(program: Command, ctx: CommandContext): Command {
  return program
    .command('verify')
    .summary('check an already signed request (or presigned URL) with the credentials from the environment')
    .description(
      'Recompute the signature of a signed request the way an AWS service does (Authorization header or ' +
        'presigned URL) with the secret key from the environment. Prints "signature OK" and exits 0, or exits 1 ' +
        'naming the first step that differs, with a line diff.',
    )
    .argument('[url]', 'a presigned URL, or the request URL (curl-like)')
    .option('--request-file <file>', 'the signed request, raw HTTP/1.1 (- reads stdin)')
    .option('-X, --request <method>', 'HTTP method')
    .option('-H, --header <header>', "a request header 'Name: value' (repeatable)", collect)
    .option('-d, --data <data>', 'request body: text (as UTF-8), or @file / @- (stdin) as the bytes read')
    .option('--region <region>', 'only accept this region in the credential scope')
    .option('--service <name>', 'only accept this service in the credential scope')
    .option('--now <time>', 'the clock to check the signing time against (default: now)')
    .option('--max-skew <seconds>', 'allowed clock difference for header signatures, in whole seconds', parseSkew, 300)
    .option('--profile <name>', 'AWS profile for credentials')
    .option('--no-normalize-path', 'do not remove . and .. segments (the default for s3)')
    .option('--no-double-encode', 'encode the path once (the default for s3)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ glassbox verify --request-file signed.http
  $ glassbox verify --request-file get-vanilla.sreq --now 20150830T123600Z
  $ glassbox verify 'https://my-bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&...'`,
    )
    .action(async (url: string | undefined, flags: VerifyFlags, cmd: Command) => {
      const input = await readRequestInput(flags, url, ctx.io);
      const maxSkewSeconds = flags.maxSkew;
      let now: Date | undefined;
      if (flags.now !== undefined) {
        const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(flags.now);
        now = new Date(basic ? `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6]}Z` : flags.now);
        if (Number.isNaN(now.getTime())) throw usageError(`--now '${flags.now}': expected 20150830T123600Z or an ISO 8601 time`);
      }
      const found = await findCredentials(ctx.output, { profile: flags.profile });
      ctx.output.addSecret(headerOf(input.headers, 'x-amz-security-token'));
      const s3 = (flags.service ?? claimedScope(input.headers, input.url)?.service) === 's3';
      const explicit = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      // A server always sees a Host header; a URL typed on the command line carries it in the authority.
      const headers = headerOf(input.headers, 'host') === undefined ? { Host: input.host, ...input.headers } : input.headers;
      const result = await verify(
        { method: input.method, url: input.url, headers, ...(input.body === undefined ? {} : { body: input.body }) },
        {
          credentials: (accessKeyId) => (accessKeyId === found.credentials.accessKeyId ? found.credentials.secretAccessKey : undefined),
          maxSkewSeconds,
          normalizePath: explicit('normalizePath') ? flags.normalizePath : !s3,
          doubleEncode: explicit('doubleEncode') ? flags.doubleEncode : !s3,
          ...(now === undefined ? {} : { now }),
          ...(flags.region === undefined ? {} : { region: flags.region }),
          ...(flags.service === undefined ? {} : { service: flags.service }),
        },
      );
      const out = ctx.output;
      const c = out.color;
      if (flags.json) {
        out.json(result);
        ctx.setExitCode(result.ok ? ExitCode.OK : ExitCode.SIGNATURE_MISMATCH);
        return;
      }
      if (result.ok) {
        out.out(`${c.green('signature OK')} (${result.accessKeyId}, ${result.credentialScope}, signed ${result.amzDate})\n`);
        return;
      }
      const lines = [
        `${c.red('signature MISMATCH')}: ${result.reason}`,
        result.message,
        `first differing step: ${c.bold(result.firstDifferentStep)}`,
      ];
      if (result.expected !== undefined || result.actual !== undefined) {
        lines.push('', c.dim('--- expected (recomputed)'), c.dim('+++ actual (in the request)'));
        for (const line of diffLines(result.expected ?? '', result.actual ?? '').split('\n')) {
          lines.push(line.startsWith('- ') ? c.red(line) : line.startsWith('+ ') ? c.green(line) : line);
        }
      }
      if (result.canonicalRequest !== undefined) {
        lines.push(
          '',
          c.bold('The canonical request we computed:'),
          result.canonicalRequest,
          '',
          c.bold('and the string to sign:'),
          result.stringToSign ?? '',
        );
        lines.push('', 'If the signer computed something else, compare with: glassbox sign --request-file … (same date, region, service).');
      }
      out.out(`${lines.join('\n')}\n`);
      ctx.setExitCode(ExitCode.SIGNATURE_MISMATCH);
    });
}
