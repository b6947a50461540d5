import { type Command, InvalidArgumentError } from 'commander';
import { formatTrace, MAX_PRESIGN_SECONDS, presign, sign, type PresignOptions, type SignOptions } from '@glassbox/sigv4';
import { usageError } from '../cli-error.ts';
import { inCliWords } from '../cli-words.ts';
import { collect, type CommandContext } from '../command-context.ts';
import { findCredentials } from '../credentials.ts';
import { readRequestInput, unsendableTargetCharacter, type RequestInputOptions } from '../request-input.ts';
import { connectTimeoutOption, readTimeoutOption, timeoutOptions, type TimeoutFlags } from '../network-options.ts';
import { checkSendableHeaders } from '../sendable-headers.ts';
import { sendSigned } from '../send.ts';
import { signedView } from '../signed-view.ts';
import { resolveScope } from '../signing-scope.ts';

interface SignFlags extends RequestInputOptions, TimeoutFlags {
  region?: string;
  service?: string;
  date?: string;
  profile?: string;
  unsignedPayload?: boolean;
  normalizePath: boolean;
  doubleEncode: boolean;
  contentSha256?: boolean;
  unsignedSessionToken?: boolean;
  presign?: boolean;
  urlOnly?: boolean;
  quiet?: boolean;
  expires: number;
  showSigningKey?: boolean;
  send?: boolean;
  endpointUrl?: string;
  outputFile?: string;
  json?: boolean;
}

/** Parses `--expires`: whole seconds, 1 to 604800 (7 days), as SigV4 query authentication allows. */
function parseExpires(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw new InvalidArgumentError(`expected whole seconds from 1 to ${MAX_PRESIGN_SECONDS} (7 days)`);
  }
  return seconds;
}

/**
 * `glassbox sign`: signs (or presigns) a request and shows every step; `--send` sends it.
 *
 * @example
 * ```sh
 * glassbox sign -X POST -H 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken' \
 *   -H 'Content-Type: application/x-amz-json-1.1' -d '{}' https://api.ecr.us-east-1.amazonaws.com/
 * ```
 */
export function registerSign(program: Command, ctx: CommandContext): Command {
  const command = program
    .command('sign')
    .summary('sign or presign a request and show every step (--send to send it)')
    .description(
      'Sign an HTTP request with AWS Signature Version 4 and print each step: canonical request, string to sign, ' +
        'signing key derivation, signature. The request comes from --request-file (raw HTTP/1.1, as the AWS test ' +
        'suite writes it; - for stdin) or curl-like from -X/-H/-d and a URL. Credentials come from the environment.',
    )
    .argument('[url]', 'the request URL, curl-like (https://host/path?query)')
    .option('--request-file <file>', 'a raw HTTP/1.1 request to sign (- reads stdin)')
    .option('-X, --request <method>', 'HTTP method (default GET, or POST with -d)')
    .option(
      '-H, --header <header>',
      "a request header 'Name: value' (repeatable; with --send, values are ASCII: visible characters, spaces, tabs)",
      collect,
    )
    .option('-d, --data <data>', 'request body: text (sent as UTF-8), or @file / @- (stdin) sent as the bytes read')
    .option('--region <region>', 'region to sign for (default: from the hostname, then AWS_REGION)')
    .option('--service <name>', 'signing name, e.g. ecr, s3, execute-api (default: from the hostname)')
    .option('--date <time>', 'signing time: 20150830T123600Z or ISO 8601 (default: X-Amz-Date, else now)')
    .option('--profile <name>', 'AWS profile for credentials')
    .option('--unsigned-payload', 'sign UNSIGNED-PAYLOAD instead of the body hash')
    .option('--no-normalize-path', 'do not remove . and .. segments (the default for s3)')
    .option('--no-double-encode', 'encode the path once (the default for s3)')
    .option('--content-sha256', 'add and sign x-amz-content-sha256 (the default for s3 header signing)')
    .option('--unsigned-session-token', 'add X-Amz-Security-Token after signing instead of signing it (IoT)')
    .option('--presign', 'presign: put the signature in the query string (a shareable URL)')
    .option('--url-only', 'with --presign: print only the presigned URL, for U=$(glassbox sign --presign --url-only URL)')
    .option('-q, --quiet', 'the same as --url-only')
    .option('--expires <seconds>', 'presigned URL lifetime in seconds, 1 to 604800', parseExpires, 3600)
    .option('--show-signing-key', 'show the derived signing key (it can sign anything for this day, region and service)')
    .option('--send', 'send the signed request and print status, headers and body (trace on stderr)')
    .option('--endpoint-url <url>', 'with --send: send to this origin instead (e.g. http://127.0.0.1:8080), keeping the signed Host')
    .option(
      '-o, --output-file <file>',
      'with --send: write the response body to FILE, as curl -o (status and headers stay on stdout; - is stdout)',
    )
    .option('--json', 'print one JSON object instead of the trace (with --send: the body as "body" when it is UTF-8, else "bodyBase64")')
    .addOption(connectTimeoutOption())
    .addOption(readTimeoutOption())
    .addHelpText(
      'after',
      `
Examples:
  $ glassbox sign --request-file get-vanilla.req --region us-east-1 --service service --date 20150830T123600Z
  $ glassbox sign -X POST -H 'Content-Type: application/x-amz-json-1.1' \\
      -H 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken' -d '{}' \\
      https://api.ecr.us-east-1.amazonaws.com/ --send
  $ glassbox sign --send --region eu-west-1 -o report.pdf https://my-bucket.s3.eu-west-1.amazonaws.com/report.pdf
  $ glassbox sign --send -X PUT -d @photo.jpg https://my-bucket.s3.eu-west-1.amazonaws.com/photo.jpg
  $ glassbox sign --presign --expires 600 https://my-bucket.s3.eu-west-1.amazonaws.com/report.pdf
  $ url=$(glassbox sign --presign --url-only https://my-bucket.s3.eu-west-1.amazonaws.com/report.pdf)
  $ glassbox sign --json 'https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15'

Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (never flags). The session token
is shown as [redacted: …] in every output.`,
    )
    .action(async (url: string | undefined, flags: SignFlags, cmd: Command) => {
      const input = await readRequestInput(flags, url, ctx.io);
      const scope = resolveScope(input.host, flags, ctx.io);
      const s3 = scope.service === 's3';
      const explicit = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      if (explicit('expires') && !flags.presign) throw usageError('--expires only applies with --presign');
      const urlOnly = flags.urlOnly === true || flags.quiet === true;
      if (urlOnly && !flags.presign) throw usageError(`${flags.urlOnly ? '--url-only' : '-q, --quiet'} only applies with --presign`);
      if (urlOnly && (flags.json || flags.send))
        throw usageError(`${flags.urlOnly ? '--url-only' : '-q, --quiet'} cannot be combined with ${flags.json ? '--json' : '--send'}`);
      if (flags.endpointUrl !== undefined && !flags.send) throw usageError('--endpoint-url only applies with --send');
      if ((flags.cliConnectTimeout !== undefined || flags.cliReadTimeout !== undefined) && !flags.send) {
        throw usageError('--cli-connect-timeout and --cli-read-timeout only apply with --send');
      }
      if (flags.outputFile !== undefined && !flags.send) throw usageError('-o, --output-file only applies with --send');
      // Before signing: a header that cannot go out as signed is the user's to fix, not a crash later.
      const raw = flags.send && flags.requestFile !== undefined ? unsendableTargetCharacter(input.url) : undefined;
      if (raw !== undefined) {
        const shown = `U+${raw.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
        throw usageError(
          `--request-file '${flags.requestFile}': the request target holds a raw ${raw === ' ' ? 'space' : shown}, which HTTP cannot send; percent-encode it (${encodeURIComponent(raw)}) in the file`,
        );
      }
      if (flags.send)
        checkSendableHeaders(
          input.headers,
          input.body,
          flags.requestFile === undefined ? { kind: 'flag' } : { kind: 'file', path: flags.requestFile },
        );
      const found = await findCredentials(ctx.output, { profile: flags.profile });
      const options: SignOptions = {
        credentials: found.credentials,
        region: scope.region,
        service: scope.service,
        // S3 signs the path as sent: encoded once, not normalised (SigV4 docs, "Create a canonical request").
        normalizePath: explicit('normalizePath') ? flags.normalizePath : !s3,
        doubleEncode: explicit('doubleEncode') ? flags.doubleEncode : !s3,
        contentSha256Header: flags.contentSha256 ?? (s3 && !flags.presign),
        unsignedPayload: flags.unsignedPayload ?? (s3 && flags.presign === true),
        signSessionToken: !flags.unsignedSessionToken,
        trace: true,
        revealSigningKey: flags.showSigningKey ?? false,
        ...(flags.date === undefined ? {} : { date: flags.date }),
      };
      const request = {
        method: input.method,
        url: input.url,
        headers: input.headers,
        ...(input.body === undefined ? {} : { body: input.body }),
      };
      const result = flags.presign
        ? await presign(request, { ...options, expiresIn: flags.expires } satisfies PresignOptions)
        : await sign(request, options);
      const view = signedView(result, {
        region: scope.region,
        service: scope.service,
        credentialsSource: found.source,
        sessionToken: found.credentials.sessionToken,
      });
      const out = ctx.output;
      const header = `Signing for ${scope.service} in ${scope.region} (service from ${scope.serviceFrom}, region from ${scope.regionFrom}); credentials from ${found.source}.\n\n`;
      if (flags.send) {
        if (!flags.json) out.err(header + inCliWords(formatTrace(result.trace ?? [], { color: out.errColor.isColorSupported })));
        const target = 'url' in result ? result.url : result.request.url;
        const code = await sendSigned(ctx, {
          method: result.request.method,
          url: target,
          scheme: input.scheme,
          host: input.host,
          headers: result.request.headers,
          body: input.body,
          endpointUrl: flags.endpointUrl,
          ours: { canonicalRequest: result.canonicalRequest, stringToSign: result.stringToSign, signature: result.signature },
          json: flags.json ?? false,
          view,
          network: { profile: flags.profile, ...timeoutOptions(flags) },
          outputFile: flags.outputFile,
        });
        ctx.setExitCode(code);
        return;
      }
      if (flags.json) out.json(view);
      else if (urlOnly) out.out(`${view.url}\n`);
      else {
        out.out(header + inCliWords(formatTrace(result.trace ?? [], { color: out.color.isColorSupported })));
        if ('url' in result) out.out(`\n${view.url}\n`);
      }
    });
  return command;
}
