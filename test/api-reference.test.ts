// The API reference (typedoc, `pnpm run docs`) documents every entry point a package.json exports, and
// nothing else: the `exports` map decides what is public, so each package's typedoc entry points must match it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sectionsOf } from '../scripts/typedoc-index-sections.mjs';
import { repoRoot } from './vectors.ts';

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
}

const packagesDir = join(repoRoot, 'packages');
const published = readdirSync(packagesDir)
  .map((dir) => ({
    dir: join(packagesDir, dir),
    manifest: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest,
  }))
  .filter(({ manifest }) => !manifest.private);

test('every published package is an entry of the root typedoc.json', () => {
  const root = JSON.parse(readFileSync(join(repoRoot, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
  assert.equal(root.entryPoints.slice().sort(), published.map(({ dir }) => `packages/${dir.split('/').pop()}`).sort());
});

for (const { dir, manifest } of published) {
  test(`${manifest.name}: typedoc documents exactly the entry points its exports map names`, () => {
    const exported = Object.values(manifest.exports ?? {})
      .map((target) => (typeof target === 'object' ? target['glassbox-source'] : undefined))
      .filter((source): source is string => typeof source === 'string')
      .map((source) => source.replace(/^\.\//, ''))
      .sort();
    const configFile = join(dir, 'typedoc.json');
    const documented = existsSync(configFile)
      ? (JSON.parse(readFileSync(configFile, 'utf8')) as { entryPoints: string[] }).entryPoints.slice().sort()
      : ['src/index.ts'];
    assert.equal(documented, exported, `set ${manifest.name}'s typedoc.json "entryPoints" to the exports' glassbox-source files`);
  });
}

test('index sections become categories: the names below a line comment take its first sentence', () => {
  const sections = sectionsOf(
    [
      "export { first } from './a.ts';",
      '// The steps, in the order the specification gives them. More words.',
      "export { sign, presign as presignUrl } from './sign.ts';",
      'export type {',
      '  SignOptions,',
      "  SignResult } from './types.ts';",
      '// aws-chunked: streaming uploads.',
      "export * as chunked from './chunked.ts';",
    ].join('\n'),
  );
  assert.equal(Object.fromEntries(sections), {
    sign: 'The steps, in the order the specification gives them',
    presignUrl: 'The steps, in the order the specification gives them',
    SignOptions: 'The steps, in the order the specification gives them',
    SignResult: 'The steps, in the order the specification gives them',
    chunked: 'aws-chunked',
  });
});

test.run();
