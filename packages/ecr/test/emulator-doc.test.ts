// docs/emulator.md is executable: its first example runs here against the real code, so the guide
// cannot drift from the API it describes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeConnections } from '@glassbox/aws/http';

const docPath = new URL('../../../docs/emulator.md', import.meta.url);
const src = (file: string): string => new URL(`../src/${file}`, import.meta.url).href;

test('the first example of docs/emulator.md runs and prints what it says', async () => {
  const markdown = await readFile(docPath, 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(markdown)?.[1];
  assert.ok(example, 'docs/emulator.md has a ts example');
  const code = example
    .replace(`from '@glassbox/ecr/emulator'`, `from '${src('emulator.ts')}'`)
    .replace(`from '@glassbox/ecr'`, `from '${src('index.ts')}'`);
  assert.not.match(code, '@glassbox/ecr');

  const dir = await mkdtemp(join(tmpdir(), 'glassbox-doc-'));
  const saved = { ...process.env };
  const printed: string[] = [];
  const log = console.log;
  try {
    // The example reads the environment and ~/.aws as a user's program would: give it clean ones.
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') || /_proxy$/i.test(name)) delete process.env[name];
    process.env['HOME'] = dir;
    console.log = (...args: unknown[]) => {
      printed.push(args.map((arg) => (arg instanceof Date ? arg.toISOString() : String(arg))).join(' '));
    };
    const file = join(dir, 'example.mts');
    await writeFile(file, code);
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await rm(dir, { recursive: true, force: true });
    await closeConnections();
  }
  assert.is(printed.length, 2);
  assert.match(printed[0] ?? '', /^AWS 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com \d{4}-\d\d-\d\dT/);
  assert.is(printed[1], '1');
});

test.run();
