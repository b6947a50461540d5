// Issue 14 §1: @glassbox/docker-config depends on no other Glassbox package (config.json and the helper
// protocol need none), in its manifest and in every source file.
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const packageDir = new URL('../', import.meta.url);

test('package.json names no @glassbox package among its dependencies', () => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    assert.equal(
      Object.keys(manifest[field] ?? {}).filter((name) => name.startsWith('@glassbox/')),
      [],
      field,
    );
  }
});

test('no source file imports a @glassbox package', () => {
  const files = readdirSync(new URL('src/', packageDir)).filter((name) => name.endsWith('.ts'));
  assert.ok(files.length > 5, 'the sources were found');
  for (const name of files) {
    const text = readFileSync(new URL(`src/${name}`, packageDir), 'utf8');
    // Its own name may appear (the examples in doc comments import it); no other Glassbox package's may.
    assert.not.match(text, /(?:from\s+|import\s*\(\s*)['"]@glassbox\/(?!docker-config['"/])/, `src/${name} imports a Glassbox package`);
  }
});

test.run();
