/**
 * The client side of the docker-credential-helpers protocol: run `docker-credential-<name> get` and read
 * its answer, as Docker does (docker/docker-credential-helpers `client/client.go`). The server URL goes
 * on stdin, never on the command line; the answer is JSON on stdout; an error is text on stdout with
 * exit code 1, and exactly `credentials not found in native keychain` means "nothing stored".
 */
import { spawn } from 'node:child_process';
import { DockerConfigError } from './errors.ts';
import { NOT_FOUND_MESSAGE } from './helper-protocol.ts';

/** A helper's answer to `get`. */
export interface HelperCredentials {
  /** The server URL the helper answered for. */
  serverURL: string;
  /** The user name; `<token>` means `secret` is an identity token. */
  username: string;
  /** The password or token. Never print it. */
  secret: string;
}

/** Options of {@link helperGet}. */
export interface HelperOptions {
  /** The environment the helper runs with (its PATH finds it). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Kill the helper after this long. Default 30 000 ms. */
  timeoutMs?: number | undefined;
}

/**
 * A failing helper's output with the value of the protocol's `"Secret"` field removed: a broken helper may
 * print the answer it could not complete, and its error is quoted to the user.
 */
function withoutSecretField(text: string): string {
  return text.replace(/("Secret"\s*:\s*)"(?:[^"\\]|\\.)*"/g, (_, head: string) => `${head}"[redacted]"`);
}

/** Helper names become part of an executable name: no path separators, nothing a shell would read. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Checks a helper name (`glassbox`, `ecr-login`, `desktop`); throws `INVALID_ARGUMENT` otherwise.
 *
 * @example
 * ```ts
 * checkHelperName('ecr-login'); // ok
 * ```
 */
export function checkHelperName(name: string): void {
  if (typeof name !== 'string' || !HELPER_NAME.test(name)) {
    throw new DockerConfigError(
      'INVALID_ARGUMENT',
      `"${String(name)}" is not a credential helper name: use the part after docker-credential-, e.g. "glassbox".`,
      {
        helper: typeof name === 'string' ? name : undefined,
      },
    );
  }
}

/**
 * Runs `docker-credential-<name> get` for `serverURL`. Returns undefined when the helper has nothing
 * for it; throws `HELPER_NOT_FOUND`, `HELPER_FAILED` or `HELPER_TIMEOUT` otherwise.
 *
 * @example
 * ```ts
 * const found = await helperGet('glassbox', '123456789012.dkr.ecr.eu-west-1.amazonaws.com');
 * if (found) console.log(found.username);
 * ```
 */
export async function helperGet(name: string, serverURL: string, options: HelperOptions = {}): Promise<HelperCredentials | undefined> {
  checkHelperName(name);
  const program = `docker-credential-${name}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { code, stdout, error, timedOut } = await new Promise<{
    code: number | null;
    stdout: string;
    error?: NodeJS.ErrnoException;
    timedOut: boolean;
  }>((resolvePromise) => {
    const child = spawn(program, ['get'], { env: { ...(options.env ?? process.env) }, stdio: ['pipe', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    let timedOutFlag = false;
    let failure: NodeJS.ErrnoException | undefined;
    const timer = setTimeout(() => {
      timedOutFlag = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (spawnError) => {
      failure = spawnError;
    });
    child.stdin.on('error', () => undefined); // a helper that exits without reading its stdin
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolvePromise({
        code: exitCode,
        stdout: Buffer.concat(chunks).toString('utf8'),
        timedOut: timedOutFlag,
        ...(failure ? { error: failure } : {}),
      });
    });
    child.stdin.end(serverURL);
  });

  if (error?.code === 'ENOENT') {
    throw new DockerConfigError(
      'HELPER_NOT_FOUND',
      `${program} is not on PATH. Install it, or change the config entry that names "${name}".`,
      { helper: name, cause: error },
    );
  }
  if (error) throw new DockerConfigError('HELPER_FAILED', `Cannot run ${program}: ${error.message}`, { helper: name, cause: error });
  if (timedOut) throw new DockerConfigError('HELPER_TIMEOUT', `${program} get did not answer within ${timeoutMs} ms.`, { helper: name });
  const text = stdout.trim();
  if (code !== 0) {
    if (text === NOT_FOUND_MESSAGE) return undefined;
    throw new DockerConfigError(
      'HELPER_FAILED',
      `${program} get failed (exit ${String(code)}): ${withoutSecretField(text.slice(0, 500)) || '(no output)'}`,
      { helper: name },
    );
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch (parseError) {
    throw new DockerConfigError('HELPER_FAILED', `${program} get printed something that is not JSON.`, { helper: name, cause: parseError });
  }
  const record = answer as { ServerURL?: unknown; Username?: unknown; Secret?: unknown } | null;
  if (typeof record?.Username !== 'string' || typeof record.Secret !== 'string') {
    throw new DockerConfigError('HELPER_FAILED', `${program} get answered without a Username and Secret.`, { helper: name });
  }
  return {
    serverURL: typeof record.ServerURL === 'string' ? record.ServerURL : serverURL,
    username: record.Username,
    secret: record.Secret,
  };
}
