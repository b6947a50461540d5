/**
 * Running processes as Docker and skopeo would: a clean environment, stdin, bounded time; the built credential
 * helper; the AWS environment that points it at the local ECR emulator and nowhere else. Shared by the
 * credential-helper and end-to-end tests. Not a test file (scripts/test.mjs runs only `*.test.ts`).
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Run, run } from '../../../../docker-config/test/support/process.ts';
import { HELPER_BIN } from './paths.ts';

// One process runner for every package's tests: docker-config's, which the helper's tests moved away from.
export { type Run, run };

/** The built docker-credential-glassbox, run as Docker runs it (killed after 20 s). */
export function runHelper(args: string[], stdin: string, env: Record<string, string>): Promise<Run> {
  return run(process.execPath, [HELPER_BIN, ...args], env, stdin, 20_000);
}

/**
 * An environment with these credentials and the emulator at `endpointUrl` as the ECR endpoint, and nothing of
 * this machine's AWS setup: home, shared files and the token cache all inside `dir`, IMDS off.
 */
export function helperEnv(
  dir: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined },
  endpointUrl: string,
): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
    AWS_ENDPOINT_URL_ECR: endpointUrl,
    GLASSBOX_CACHE_DIR: join(dir, 'cache'),
  };
}

/** Puts `docker-credential-glassbox` in `binDir`, where Docker and skopeo look for helpers (PATH). */
export async function installHelper(binDir: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  await writeFile(
    join(binDir, 'docker-credential-glassbox'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HELPER_BIN)} "$@"\n`,
  );
  await chmod(join(binDir, 'docker-credential-glassbox'), 0o755);
}
