/**
 * The setup every `glassbox ecr` test starts from: the local ECR emulator (a real HTTP server on 127.0.0.1)
 * accepting one key pair, a fresh home folder, and a clean environment carrying that key pair. Not a test
 * file (scripts/test.mjs runs only `*.test.ts`).
 */
import { startEcrEmulator, type EcrEmulator } from '@glassbox/ecr/emulator';
import { cleanEnv, tempDir } from '../run-bin.ts';

/** What one `glassbox ecr` test runs against. */
export interface EcrSetup {
  emulator: EcrEmulator;
  home: ReturnType<typeof tempDir>;
  env: Record<string, string>;
}

/** Starts the emulator for account 123456789012, issuing `password` to `keys`, with a new home and environment. */
export async function startEcrSetup(keys: { accessKeyId: string; secretAccessKey: string }, password: string): Promise<EcrSetup> {
  const emulator = await startEcrEmulator({ credentials: [keys], password, accountId: '123456789012' });
  const home = tempDir();
  const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
  return { emulator, home, env };
}

/** Stops the emulator and removes the home folder. */
export async function stopEcrSetup(setup: Pick<EcrSetup, 'emulator' | 'home'>): Promise<void> {
  await setup.emulator.close();
  setup.home.remove();
}
