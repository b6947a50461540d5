// TEMPORARY: @glassbox/docker-config is being written in parallel; until its index exports these,
// reach them through the namespace so the CLI still loads. Replaced by named imports once it lands.
import { CliError } from './cli-error.ts';
import { ExitCode } from './exit-codes.ts';

interface Warning {
  code: string;
  message: string;
  path?: string | undefined;
}
interface WriteOptions {
  configDir?: string | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  warn?: ((warning: Warning) => void) | undefined;
  allowHiddenAuths?: boolean | undefined;
}
interface WriteResult {
  key: string;
  path: string;
  changed: boolean;
  warnings: Warning[];
}

async function api(name: string): Promise<(...args: unknown[]) => Promise<WriteResult>> {
  const dockerConfig = await import('@glassbox/docker-config');
  const fn = (dockerConfig as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new CliError(ExitCode.USAGE, `@glassbox/docker-config does not provide ${name} yet`);
  return fn as (...args: unknown[]) => Promise<WriteResult>;
}

/** See @glassbox/docker-config `setAuth`. */
export async function setAuth(host: string, username: string, password: string, options: WriteOptions): Promise<WriteResult> {
  return (await api('setAuth'))(host, username, password, options);
}

/** See @glassbox/docker-config `setCredentialHelper`. */
export async function setCredentialHelper(host: string, name: string, options: WriteOptions): Promise<WriteResult> {
  return (await api('setCredentialHelper'))(host, name, options);
}
