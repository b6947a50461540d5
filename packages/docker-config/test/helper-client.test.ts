// helperGet runs a real helper program (a small shell script on PATH), as Docker does.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DockerConfigError } from '../src/errors.ts';
import { helperGet } from '../src/helper-client.ts';
import { tempDir } from './support.ts';

async function withHelper(name: string, script: string, run: (env: Record<string, string>) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir('glassbox-helper-client-');
  try {
    const file = join(dir, `docker-credential-${name}`);
    await writeFile(file, `#!/bin/sh\n${script}\n`);
    await chmod(file, 0o755);
    await run({ PATH: `${dir}:/usr/bin:/bin` });
  } finally {
    await cleanup();
  }
}

test('an answer is read from stdout; the server URL went on stdin', async () => {
  await withHelper('echoing', 'read url; printf \'{"ServerURL":"%s","Username":"u","Secret":"s3cr3t-value"}\' "$url"', async (env) => {
    assert.equal(await helperGet('echoing', 'registry.example', { env }), {
      serverURL: 'registry.example',
      username: 'u',
      secret: 's3cr3t-value',
    });
  });
});

test('"credentials not found in native keychain" with exit 1 is no credentials, not an error', async () => {
  await withHelper('empty', 'echo "credentials not found in native keychain"; exit 1', async (env) => {
    assert.is(await helperGet('empty', 'registry.example', { env }), undefined);
  });
});

test('a failing helper that prints its answer is quoted without the Secret', async () => {
  await withHelper('leaky', 'echo \'broken: {"ServerURL":"r","Username":"u","Secret":"leaked-helper-secret-42"}\'; exit 2', async (env) => {
    try {
      await helperGet('leaky', 'registry.example', { env });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, DockerConfigError);
      assert.is((error as DockerConfigError).code, 'HELPER_FAILED');
      assert.is(
        (error as Error).message,
        'docker-credential-leaky get failed (exit 2): broken: {"ServerURL":"r","Username":"u","Secret":"[redacted]"}',
      );
    }
  });
});

test.run();
