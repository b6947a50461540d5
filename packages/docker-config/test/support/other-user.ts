/**
 * A second user on this machine, for the tests of folders shared between users: as root, commands run as
 * `nobody` (uid/gid 65534) through util-linux `setpriv`. Elsewhere those tests are skipped with the reason.
 * Not a test file (scripts/test.mjs runs only `*.test.ts`).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { run, type Run } from './process.ts';

/** The other user's uid and gid. */
export const OTHER_UID = 65534;

function setprivPath(): string | undefined {
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv']) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const SETPRIV = setprivPath();

/** Why a second user is not available here, or undefined when it is. */
export const OTHER_USER_UNAVAILABLE: string | undefined =
  typeof process.getuid !== 'function' || process.getuid() !== 0
    ? 'needs root, to run commands as a second user (uid 65534) with setpriv'
    : SETPRIV === undefined
      ? 'needs setpriv (Debian: apt-get install util-linux)'
      : undefined;

function privileges(): string[] {
  return [`--reuid=${OTHER_UID}`, `--regid=${OTHER_UID}`, '--clear-groups'];
}

/** Runs `command args` as the other user and waits for it. */
export function runAsOtherUser(
  command: string,
  args: string[],
  env: Record<string, string> = { PATH: '/usr/bin:/bin' },
): SpawnSyncReturns<string> {
  return spawnSync(SETPRIV!, [...privileges(), command, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}

/** Runs a shell snippet as the other user and asserts it succeeded. */
export function shellAsOtherUser(script: string): void {
  const result = runAsOtherUser('/bin/sh', ['-c', script]);
  if (result.status !== 0) throw new Error(`as uid ${OTHER_UID}: ${script}: exit ${result.status}: ${result.stderr}`);
}

/** Runs `node --input-type=module -e script ...args` as the other user; resolves with its exit code and output. */
export function nodeAsOtherUser(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return run(SETPRIV!, [...privileges(), process.execPath, '--input-type=module', '-e', script, ...args], env, '', 60_000);
}
