/**
 * `credential_process`: a profile names a command; its stdout is JSON
 * `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
 * Rules from botocore `ProcessProvider` and the AWS CLI docs ("Sourcing credentials with an external
 * process"): the command is shell-split and run without a shell, a non-zero exit is an error that shows
 * stderr, and `Version` must be 1. Like the JS SDK we also reject credentials that are already expired.
 * Stdout is never echoed in an error: it holds the secret; stderr is, after the one redaction (a command
 * that fails may print its credentials there). The time limit covers the command and everything it
 * starts: at the limit its whole process group is killed and reading stops.
 */
import { spawn } from 'node:child_process';
import { AwsError } from '../errors.ts';
import { redactSecrets, rememberSecret } from '@glassbox/sigv4/redaction';
import { splitCommandLine } from './command-line.ts';
import { parseExpiration, type ProviderContext, type SourceResult } from './context.ts';
import { createCredentials, type Credentials } from './credentials.ts';
import { getProfile, profileString } from './shared-files.ts';

/** The most output we accept from the command; a credential document is well under a kilobyte. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * How long to keep reading after the command itself has exited: a descendant it left running (`daemon &`)
 * may hold stdout open forever, and its output is not the command's answer.
 */
const DRAIN_AFTER_EXIT_MS = 1000;

interface ProcessOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Kills the command and everything it started. It runs as the leader of its own process group
 * (`detached`: setsid), so the negative pid reaches a `sleep 86400 &` it forked as well as itself.
 */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone (ESRCH): nothing left to stop.
  }
}

function run(
  argv: string[],
  context: Pick<ProviderContext, 'env' | 'signal' | 'processTimeoutMs'>,
  profileName: string,
): Promise<ProcessOutput> {
  const [command, ...args] = argv;
  const label = `credential_process of profile "${profileName}"`;
  if (command === undefined) return Promise.reject(new AwsError('PROFILE_INVALID', `${label} is empty: give the command to run.`));
  if (context.signal?.aborted) return Promise.reject(new AwsError('ABORTED', `${label} was aborted before it started.`));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.env)) if (value !== undefined) env[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let failure: AwsError | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;

    /** Ends the wait: stop reading (a descendant may never close the pipes), then answer. */
    const settle = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      context.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      if (failure) reject(failure);
      else
        resolve({
          code: exit?.code ?? null,
          signal: exit?.signal ?? null,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        });
    };
    const stop = (error: AwsError): void => {
      failure ??= error;
      killGroup(child.pid);
      settle();
    };
    const timer = setTimeout(
      () =>
        stop(
          new AwsError(
            'CREDENTIAL_PROCESS_FAILED',
            `${label} (${command}) did not finish within ${context.processTimeoutMs} ms; it and every process it started were killed.`,
          ),
        ),
      context.processTimeoutMs,
    );
    const onAbort = (): void => stop(new AwsError('ABORTED', `${label} was aborted.`));
    context.signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES)
        stop(
          new AwsError(
            'CREDENTIAL_PROCESS_FAILED',
            `${label} (${command}) wrote more than ${MAX_OUTPUT_BYTES} bytes; expected one small JSON document.`,
          ),
        );
      else into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= new AwsError(
        'CREDENTIAL_PROCESS_FAILED',
        `${label} could not start "${command}" (${error.code ?? error.message}): check the path (it runs without a shell, so use an absolute path or one on PATH).`,
        { cause: error },
      );
      settle();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Normally 'close' follows at once; if a descendant holds the pipes, answer with what the command wrote.
      drainTimer = setTimeout(settle, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      settle();
    });
  });
}

/**
 * The credentials a failing command printed on stdout, if it printed a credential document: they are
 * seen now, so the redaction knows them wherever else the command wrote them (its stderr, say).
 */
function rememberPrinted(stdout: string): void {
  try {
    const document = JSON.parse(stdout) as Record<string, unknown> | null;
    if (typeof document?.['SecretAccessKey'] === 'string') rememberSecret(document['SecretAccessKey'], 'secret access key');
    if (typeof document?.['SessionToken'] === 'string') rememberSecret(document['SessionToken'], 'session token');
  } catch {
    // Not JSON: nothing to learn.
  }
}

/**
 * Runs a `credential_process` command line and validates what it prints.
 *
 * @example
 * ```ts
 * const credentials = await credentialsFromProcess('/usr/local/bin/get-creds dev', context, 'dev');
 * ```
 */
export async function credentialsFromProcess(
  commandLine: string,
  context: Pick<ProviderContext, 'env' | 'signal' | 'processTimeoutMs' | 'now'>,
  profileName: string,
): Promise<Credentials> {
  const label = `credential_process of profile "${profileName}"`;
  const output = await run(splitCommandLine(commandLine), context, profileName);
  if (output.code !== 0) {
    rememberPrinted(output.stdout);
    // Redacted whole, then cut: a cut first could split a field name and let its value through.
    const stderr = redactSecrets(output.stderr.trim());
    const status = output.code === null ? `was killed by ${output.signal}` : `exited with code ${output.code}`;
    throw new AwsError(
      'CREDENTIAL_PROCESS_FAILED',
      `${label} ${status}${stderr ? `: ${stderr.slice(-1000)}` : ' and wrote nothing to stderr'}.`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(output.stdout);
  } catch {
    throw new AwsError(
      'CREDENTIAL_PROCESS_FAILED',
      `${label} printed something that is not JSON (${output.stdout.length} bytes, not shown): it must print {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...}.`,
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new AwsError('CREDENTIAL_PROCESS_FAILED', `${label} printed JSON that is not an object: it must print {"Version": 1, ...}.`);
  }
  const fields = document as Record<string, unknown>;
  if (fields['Version'] !== 1) {
    throw new AwsError(
      'CREDENTIAL_PROCESS_FAILED',
      `${label} printed Version ${JSON.stringify(fields['Version']) ?? '(missing)'}; only Version 1 is defined.`,
    );
  }
  for (const key of ['AccessKeyId', 'SecretAccessKey'] as const) {
    if (typeof fields[key] !== 'string' || fields[key] === '') {
      throw new AwsError('CREDENTIAL_PROCESS_FAILED', `${label} printed no ${key} (a non-empty string is required).`);
    }
  }
  const sessionToken = fields['SessionToken'];
  if (sessionToken !== undefined && sessionToken !== null && typeof sessionToken !== 'string') {
    throw new AwsError('CREDENTIAL_PROCESS_FAILED', `${label} printed a SessionToken that is not a string.`);
  }
  const expiration = parseExpiration(fields['Expiration'], `The Expiration printed by ${label}`, 'CREDENTIAL_PROCESS_FAILED');
  if (expiration !== undefined && expiration.getTime() <= context.now()) {
    throw new AwsError(
      'CREDENTIAL_PROCESS_FAILED',
      `${label} returned credentials that expired at ${expiration.toISOString()}: make the command return fresh ones.`,
    );
  }
  return createCredentials({
    accessKeyId: fields['AccessKeyId'] as string,
    secretAccessKey: fields['SecretAccessKey'] as string,
    sessionToken: typeof sessionToken === 'string' && sessionToken !== '' ? sessionToken : undefined,
    expiration,
    source: `credential-process (profile ${profileName})`,
  });
}

/**
 * The selected profile's `credential_process`, or why it does not apply.
 *
 * @example
 * ```ts
 * await fromCredentialProcess(context); // { credentials, reason: 'profile dev has credential_process' }
 * ```
 */
export async function fromCredentialProcess(context: ProviderContext): Promise<SourceResult> {
  const profile = getProfile(context.config, context.profile.name);
  const commandLine = profileString(profile?.values, 'credential_process');
  if (commandLine === undefined) return { skipped: `profile ${context.profile.name} has no credential_process` };
  const credentials = await credentialsFromProcess(commandLine, context, context.profile.name);
  return { credentials, reason: `profile ${context.profile.name} has credential_process, which printed valid Version 1 JSON` };
}
