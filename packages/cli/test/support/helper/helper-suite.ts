// One setup for the suites that run the built helper as Docker does: each test gets a temporary HOME and
// cache, a fresh local ECR emulator, and an environment that signs with the emulator's first credential.
import { suite, type uvu } from 'uvu';
import { startEcrEmulator, type EcrEmulator, type EmulatorOptions } from '@glassbox/ecr/emulator';
import { buildOnce, tempDir } from './paths.ts';
import { helperEnv } from './process.ts';

export interface HelperContext {
  emulator: EcrEmulator;
  dir: string;
  cleanup: () => Promise<void>;
  env: Record<string, string>;
}

/** A uvu suite whose tests receive a {@link HelperContext}; `extraEnv` adds variables that need the emulator's URL. */
export function helperSuite(
  title: string,
  emulatorOptions: EmulatorOptions,
  extraEnv: (emulatorUrl: string) => Record<string, string> = () => ({}),
): uvu.Test<HelperContext> {
  const test = suite<HelperContext>(title);
  test.before(() => {
    buildOnce();
  });
  test.before.each(async (context) => {
    const { dir, cleanup } = await tempDir('glassbox-helper-');
    context.dir = dir;
    context.cleanup = cleanup;
    context.emulator = await startEcrEmulator(emulatorOptions);
    context.env = { ...helperEnv(dir, emulatorOptions.credentials[0]!, context.emulator.url), ...extraEnv(context.emulator.url) };
  });
  test.after.each(async (context) => {
    await context.emulator.close();
    await context.cleanup();
  });
  return test;
}
