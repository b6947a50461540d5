import { InvalidArgumentError, type Command } from 'commander';
import type { EmulatorCall, EmulatorOptions } from '@glassbox/ecr/emulator';
import { usageError } from '../cli-error.ts';
import type { CommandContext } from '../command-context.ts';
import { EXAMPLE_CREDENTIALS } from '../example-credentials.ts';
import { isRegionName } from '../service-from-host.ts';

interface EmulatorFlags {
  port?: number;
  host?: string;
  password?: string;
  registryId?: string;
  region?: string;
  accessKeyId?: string;
  expiredToken?: boolean;
  accessDenied?: boolean;
  throttleFirst?: number;
  failFirst?: number;
  failStatus?: number;
  dropFirst?: number;
  delayMs?: number;
  clockSkewSeconds?: number;
  tokenLifetimeSeconds?: number;
  proxyEndpoint?: string;
  json?: boolean;
}

/**
 * The emulator's settings that are secrets, or stand in for them, read from the environment: secrets are never
 * flags (they would show in `ps` and shell history). The password may also be `--password`, because the issue
 * asked for that flag and it is the emulator's own made-up registry password, not anyone's credential.
 */
const ENV = {
  password: 'GLASSBOX_EMULATOR_PASSWORD',
  secretAccessKey: 'GLASSBOX_EMULATOR_SECRET_ACCESS_KEY',
  sessionToken: 'GLASSBOX_EMULATOR_SESSION_TOKEN',
} as const;

const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
const ECR_PUBLIC_TARGET = 'SpencerFrontendService.GetAuthorizationToken';
// Faults the emulator answers before it looks at the signature (emulator.ts: drop, fail, throttle).
const INJECTED = new Set(['ThrottlingException', 'ServerException', 'dropped', 'client-gone']);

function wholeNumber(min: number, max: number, what: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || number < min || number > max) throw new InvalidArgumentError(`expected ${what}`);
    return number;
  };
}

/**
 * `glassbox emulator`: the local ECR emulator (`@glassbox/ecr/emulator`) as a process, for a shell session, the
 * AWS CLI, Docker-flow experiments and scripts. It logs every call and runs until SIGINT or SIGTERM.
 *
 * @example
 * ```sh
 * glassbox emulator --port 5055 --region us-east-1
 * ```
 */
export function registerEmulator(program: Command, ctx: CommandContext): Command {
  return program
    .command('emulator')
    .summary('run the local ECR emulator (GetAuthorizationToken on 127.0.0.1) until Ctrl-C')
    .description(
      "Serves Amazon ECR GetAuthorizationToken on 127.0.0.1, checking every request's SigV4 signature as AWS does, and logs each call with its result on stderr. " +
        `It accepts the AWS documentation's example key pair (${EXAMPLE_CREDENTIALS.accessKeyId}, secret in docs/emulator.md), or --access-key-id with its secret in ${ENV.secretAccessKey}. ` +
        'Point a client at it with AWS_ENDPOINT_URL_ECR or --endpoint-url. Runs until SIGINT (Ctrl-C) or SIGTERM, then exits 0.',
    )
    .option('--port <port>', 'port on 127.0.0.1; 0 picks a free one (default: 0)', wholeNumber(0, 65_535, 'a port from 0 to 65535'))
    .option('--host <address>', 'address to listen on; only 127.0.0.1 is accepted (default: 127.0.0.1)')
    .option(
      '--password <password>',
      `the registry password every token carries (a made-up one; never printed; ${ENV.password} works too) (default: a fresh random one per call, as ECR)`,
    )
    .option('--registry-id <account>', 'the 12-digit account whose registry tokens are for (default: 123456789012)')
    .option('--region <region>', 'the only region it answers for (default: any region a request is scoped to)')
    .option(
      '--access-key-id <id>',
      `the access key ID it accepts, its secret in ${ENV.secretAccessKey} (default: ${EXAMPLE_CREDENTIALS.accessKeyId}, the AWS example key)`,
    )
    .option('--expired-token', 'answer ExpiredTokenException, as AWS does for expired temporary credentials')
    .option('--access-denied', 'answer AccessDeniedException, as AWS does when no policy allows ecr:GetAuthorizationToken')
    .option(
      '--throttle-first <n>',
      'answer the first N calls with ThrottlingException',
      wholeNumber(0, Number.MAX_SAFE_INTEGER, 'a whole number, 0 or more'),
    )
    .option(
      '--fail-first <n>',
      'answer the first N calls with ServerException',
      wholeNumber(0, Number.MAX_SAFE_INTEGER, 'a whole number, 0 or more'),
    )
    .option(
      '--fail-status <status>',
      'the HTTP status of those server errors, 500 to 599 (default: 500)',
      wholeNumber(500, 599, 'an HTTP status from 500 to 599'),
    )
    .option(
      '--drop-first <n>',
      'close the connection of the first N calls without an answer',
      wholeNumber(0, Number.MAX_SAFE_INTEGER, 'a whole number, 0 or more'),
    )
    .option('--delay-ms <ms>', 'wait this long before every answer', wholeNumber(0, 3_600_000, 'milliseconds from 0 to 3600000'))
    .option(
      '--clock-skew-seconds <s>',
      "run the server's clock this far ahead (negative: behind)",
      wholeNumber(-31_536_000, 31_536_000, 'whole seconds within a year either way'),
    )
    .option(
      '--token-lifetime-seconds <s>',
      'token lifetime; 0 or less issues tokens already expired (default: 43200, 12 hours)',
      wholeNumber(-31_536_000, 31_536_000, 'whole seconds within a year either way'),
    )
    .option('--proxy-endpoint <url>', 'name this proxyEndpoint in every token, verbatim (a hostile endpoint, which clients must refuse)')
    .option('--json', 'print { endpoint, port, region, registryId, accessKeyId } on one line of stdout instead of the text')
    .addHelpText(
      'after',
      `
Examples:
  $ glassbox emulator --port 5055 --region us-east-1
  $ GLASSBOX_EMULATOR_PASSWORD=made-up-password glassbox emulator --registry-id 210987654321
  $ glassbox emulator --json --throttle-first 2    # for a script: the endpoint is on the first line

Environment:
  ${ENV.password}            the registry password (instead of --password)
  ${ENV.secretAccessKey}   the secret of --access-key-id
  ${ENV.sessionToken}       a session token requests must carry (temporary credentials)

See docs/emulator.md; docs/docker-flow-offline.md runs the whole Docker flow against it.`,
    )
    .action(async (flags: EmulatorFlags) => runEmulator(ctx, flags));
}

/** The emulator's options from the flags and environment, each mistake named by its flag. */
function emulatorOptions(ctx: CommandContext, flags: EmulatorFlags): EmulatorOptions {
  if (flags.host !== undefined && flags.host !== '127.0.0.1') {
    // Another loopback name is harmless but would not be where the printed URL points (localhost may be ::1).
    const loopback = /^(localhost|::1|\[::1\]|127(\.\d{1,3}){3})$/i.test(flags.host);
    const why = loopback
      ? 'the address its URL names'
      : 'because it hands a registry password to anyone who signs with its key (a published example key by default)';
    throw usageError(
      `--host '${flags.host}' is refused: the emulator listens only on 127.0.0.1, ${why}. Use --host 127.0.0.1, or leave it out.`,
    );
  }
  if (flags.registryId !== undefined && !/^\d{12}$/.test(flags.registryId)) {
    throw usageError(`--registry-id '${flags.registryId}' must be a 12-digit AWS account ID, such as 123456789012`);
  }
  if (flags.region !== undefined && !isRegionName(flags.region)) {
    throw usageError(`--region '${flags.region}' is not a region name: expected one such as us-east-1 or eu-west-2`);
  }
  const env = ctx.io.env;
  const secret = env[ENV.secretAccessKey];
  if (flags.accessKeyId !== undefined && flags.accessKeyId !== EXAMPLE_CREDENTIALS.accessKeyId && (secret === undefined || secret === '')) {
    throw usageError(`--access-key-id needs its secret in ${ENV.secretAccessKey} (secrets are never taken as flags)`);
  }
  if (flags.accessKeyId === undefined && secret !== undefined && secret !== '') {
    throw usageError(`${ENV.secretAccessKey} is set but --access-key-id is not: give the key ID it belongs to`);
  }
  const password = flags.password ?? env[ENV.password];
  const sessionToken = env[ENV.sessionToken] || undefined;
  for (const value of [password, secret, sessionToken]) ctx.output.addSecret(value);
  const credential = {
    accessKeyId: flags.accessKeyId ?? EXAMPLE_CREDENTIALS.accessKeyId,
    secretAccessKey: secret || EXAMPLE_CREDENTIALS.secretAccessKey,
    ...(sessionToken === undefined ? {} : { sessionToken }),
    ...(flags.expiredToken ? { expired: true } : {}),
    ...(flags.accessDenied ? { denied: true } : {}),
  };
  const faults = {
    ...(flags.throttleFirst === undefined ? {} : { throttleFirst: flags.throttleFirst }),
    ...(flags.failFirst === undefined ? {} : { failFirst: flags.failFirst }),
    ...(flags.failStatus === undefined ? {} : { failStatus: flags.failStatus }),
    ...(flags.dropFirst === undefined ? {} : { dropFirst: flags.dropFirst }),
    ...(flags.delayMs === undefined ? {} : { delayMs: flags.delayMs }),
    ...(flags.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: flags.clockSkewSeconds }),
    ...(flags.proxyEndpoint === undefined ? {} : { proxyEndpoint: flags.proxyEndpoint }),
  };
  return {
    credentials: [credential],
    port: flags.port ?? 0,
    faults,
    ...(flags.registryId === undefined ? {} : { accountId: flags.registryId }),
    ...(flags.region === undefined ? {} : { region: flags.region }),
    ...(password === undefined ? {} : { password }),
    ...(flags.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: flags.tokenLifetimeSeconds }),
  };
}

async function runEmulator(ctx: CommandContext, flags: EmulatorFlags): Promise<void> {
  const options = emulatorOptions(ctx, flags);
  const { startEcrEmulator } = await import('@glassbox/ecr/emulator');
  const out = ctx.output;
  // Listened for before the server starts: a SIGTERM that comes early still ends in a clean close and exit 0.
  const stopped = untilSignal();
  let emulator;
  try {
    emulator = await startEcrEmulator({ ...options, onCall: (call) => out.err(`${describeCall(call, out.errColor)}\n`) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The library names its option; the user typed --port.
    if (/127\.0\.0\.1:\d+ (is in use|may not be bound)/.test(message)) {
      throw usageError(
        `--port ${String(flags.port)}: ${message.replace(/^startEcrEmulator: /, '').replace('another port, or 0', 'another --port, or --port 0')}`,
        error,
      );
    }
    throw error;
  }
  const registryId = options.accountId ?? '123456789012';
  const accessKeyId = options.credentials[0]!.accessKeyId;
  if (flags.json) {
    out.out(
      `${JSON.stringify({ endpoint: emulator.url, port: emulator.port, region: options.region ?? null, registryId, accessKeyId })}\n`,
    );
  } else {
    const c = out.color;
    const region = options.region ?? 'us-east-1';
    const secretFrom =
      accessKeyId === EXAMPLE_CREDENTIALS.accessKeyId && !ctx.io.env[ENV.secretAccessKey]
        ? 'the AWS example secret (docs/emulator.md)'
        : `$${ENV.secretAccessKey}`;
    out.out(
      `ECR emulator at ${c.underline(emulator.url)}: account ${registryId}, ${options.region ?? 'any region'}; stop it with Ctrl-C.\n` +
        `It accepts access key ${accessKeyId} with ${secretFrom}.\n\n` +
        `AWS_ENDPOINT_URL_ECR=${emulator.url}\n\n` +
        `In another shell (AWS_ENDPOINT_URL_ECR: glassbox, the AWS SDKs, AWS CLI 2.13 and later; --endpoint-url: any AWS CLI):\n` +
        `  export AWS_ENDPOINT_URL_ECR=${emulator.url}\n` +
        `  glassbox ecr get-login-password --region ${region}\n` +
        `  aws ecr get-login-password --region ${region} --endpoint-url ${emulator.url}\n`,
    );
  }
  const signal = await stopped;
  await emulator.close();
  out.err(`${signal}: stopped after ${emulator.calls.length} call${emulator.calls.length === 1 ? '' : 's'} (${emulator.served} served).\n`);
}

/** Resolves with the name of the first SIGINT or SIGTERM, then stops listening for them. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

type Colors = CommandContext['output']['errColor'];

/**
 * One log line per call: its number, time, operation, key, and what the emulator answered — `signature ok` with
 * the token issued, or AWS's error code and the first sentence of its message.
 */
function describeCall(call: EmulatorCall, c: Colors): string {
  const operation =
    call.target === ECR_TARGET
      ? 'GetAuthorizationToken'
      : call.target === ECR_PUBLIC_TARGET
        ? 'GetAuthorizationToken (ECR Public)'
        : (call.target ?? '(no X-Amz-Target)');
  const who = call.accessKeyId ?? 'unsigned';
  const head = `${c.dim(call.at.toISOString().slice(11, 19))} #${call.index} ${operation} ${who}`;
  if (call.outcome === 'ok') return `${head}: ${c.green('signature ok')}, token issued (HTTP ${call.status})`;
  const firstSentence = (call.message ?? '').split('\n')[0]!.replace(/\. .*$/, '.');
  const detail = firstSentence === '' ? '' : `: ${firstSentence}`;
  if (INJECTED.has(call.outcome))
    return `${head}: ${c.yellow(call.outcome)} (injected fault, signature not checked${call.status ? `, HTTP ${call.status}` : ''})${detail}`;
  return `${head}: ${c.red(call.outcome)} (HTTP ${call.status})${detail}`;
}
