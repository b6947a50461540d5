/**
 * The soak's cold-start routine (scripts/soak.ts runs it at full size; the tests run it small): many
 * `docker-credential-glassbox get`s at once on an empty cache against a slow local ECR. Not a test file.
 */
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { buildOnce, tempDir } from './paths.ts';
import { helperEnv, runHelper } from './process.ts';

/** What {@link coldHelperGets} measured. */
export interface ColdGetsResult {
  gets: number;
  /** GetAuthorizationToken calls the emulator served. */
  apiCalls: number;
  /** Gets that did not answer exit 0 with the emulator's password. */
  failed: number;
}

/** `gets` built helpers asked for the same ECR host at once, with an empty cache and a slow (local) ECR. */
export async function coldHelperGets(gets: number): Promise<ColdGetsResult> {
  buildOnce();
  const credentials = { accessKeyId: 'AKIDSOAK', secretAccessKey: 'soak-secret-access-key' };
  const password = 'soak-registry-password';
  const emulator = await startEcrEmulator({ credentials: [credentials], password });
  const { dir, cleanup } = await tempDir('glassbox-soak-gets-');
  try {
    emulator.setFaults({ delayMs: 500 });
    const env = helperEnv(dir, credentials, emulator.url);
    const host = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const runs = await Promise.all(Array.from({ length: gets }, () => runHelper(['get'], host, env)));
    const failed = runs.filter((run) => {
      try {
        return run.code !== 0 || (JSON.parse(run.stdout) as { Secret?: string }).Secret !== password;
      } catch {
        return true;
      }
    }).length;
    return { gets, apiCalls: emulator.calls.length, failed };
  } finally {
    await emulator.close();
    await cleanup();
  }
}
