/**
 * `credential_process`: a profile names a command; its stdout is JSON
 * `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
 * Rules from botocore `ProcessProvider` and the AWS CLI docs ("Sourcing credentials with an external
 * process"): the command is shell-split and run without a shell, a non-zero exit is an error that shows
 * stderr, and `Version` must be 1. Like the JS SDK we also reject credentials that are already expired.
 * Stdout is never echoed in an error: it holds the secret.
 */
import { spawn } from 'node:child_process';
import { EcrError } from '../errors.ts';
import { splitCommandLine } from './command-line.ts';
import { parseExpiration, type ProviderContext, type SourceResult } from './context.ts';
import { createCredentials, type Credentials } from './credentials.ts';
import { getProfile, profileString } from './shared-files.ts';

/** The most output we accept from the command; a credential document is well under a kilobyte. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

interface ProcessOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(argv: string[], context: Pick<ProviderContext, 'env' | 'signal' | 'processTimeoutMs'>, profileName: string): Promise<ProcessOutput> {
  const [command, ...args] = argv;
  const label = `credential_process of profile "${profileName}"`;
  if (command === undefined) return Promise.reject(new EcrError('PROFILE_INVALID', `${label} is empty: give the command to run.`));
  if (context.signal?.aborted) return Promise.reject(new EcrError('ABORTED', `${label} was aborted before it started.`));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.env)) if (value !== undefined) env[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let failure: EcrError | undefined;
    const stop = (error: EcrError): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} (${command}) did not finish within ${context.processTimeoutMs} ms and was stopped.`)), context.processTimeoutMs);
    const onAbort = (): void => stop(new EcrError('ABORTED', `${label} was aborted.`));
    context.signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop(new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} (${command}) wrote more than ${MAX_OUTPUT_BYTES} bytes; expected one small JSON document.`));
      else into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= new EcrError(
        'CREDENTIAL_PROCESS_FAILED',
        `${label} could not start "${command}" (${error.code ?? error.message}): check the path (it runs without a shell, so use an absolute path or one on PATH).`,
        { cause: error },
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      context.signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
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
    const stderr = output.stderr.trim();
    const status = output.code === null ? `was killed by ${output.signal}` : `exited with code ${output.code}`;
    throw new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} ${status}${stderr ? `: ${stderr.slice(-1000)}` : ' and wrote nothing to stderr'}.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(output.stdout);
  } catch {
    throw new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} printed something that is not JSON (${output.stdout.length} bytes, not shown): it must print {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...}.`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} printed JSON that is not an object: it must print {"Version": 1, ...}.`);
  }
  const fields = document as Record<string, unknown>;
  if (fields['Version'] !== 1) {
    throw new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} printed Version ${JSON.stringify(fields['Version']) ?? '(missing)'}; only Version 1 is defined.`);
  }
  for (const key of ['AccessKeyId', 'SecretAccessKey'] as const) {
    if (typeof fields[key] !== 'string' || fields[key] === '') {
      throw new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} printed no ${key} (a non-empty string is required).`);
    }
  }
  const sessionToken = fields['SessionToken'];
  if (sessionToken !== undefined && sessionToken !== null && typeof sessionToken !== 'string') {
    throw new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} printed a SessionToken that is not a string.`);
  }
  const expiration = parseExpiration(fields['Expiration'], `The Expiration printed by ${label}`, 'CREDENTIAL_PROCESS_FAILED');
  if (expiration !== undefined && expiration.getTime() <= context.now()) {
    throw new EcrError('CREDENTIAL_PROCESS_FAILED', `${label} returned credentials that expired at ${expiration.toISOString()}: make the command return fresh ones.`);
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
