// The public surface of @glassbox/docker-config, entry point by entry point: the sorted runtime export names
// against a committed list (test/export-snapshots/<entry>.txt), so that an export is added or removed only on
// purpose. To change a list deliberately, run
//   GLASSBOX_UPDATE_SNAPSHOTS=1 node scripts/test.mjs packages/docker-config/test/export-snapshots
// and commit the diff of test/export-snapshots/ with the change that explains it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const packageDir = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as {
  exports: Record<string, string | { 'glassbox-source'?: string }>;
};
const update = process.env['GLASSBOX_UPDATE_SNAPSHOTS'] === '1';

const entries = Object.entries(manifest.exports).filter(([subpath]) => subpath !== './package.json');

test('every entry point has a snapshot, and every snapshot an entry point', () => {
  assert.equal(
    entries.map(([subpath]) => subpath),
    ['.', './helper-protocol', './token-cache'],
  );
});

for (const [subpath, target] of entries) {
  const name = subpath === '.' ? 'index' : subpath.slice(2);
  test(`@glassbox/docker-config${subpath === '.' ? '' : subpath.slice(1)} exports exactly the names in export-snapshots/${name}.txt`, async () => {
    const source = typeof target === 'object' ? target['glassbox-source'] : undefined;
    assert.type(source, 'string', `exports["${subpath}"] has no glassbox-source`);
    const names = Object.keys(await import(new URL(source!, packageDir).href)).sort();
    const file = new URL(`test/export-snapshots/${name}.txt`, packageDir);
    if (update) writeFileSync(file, names.map((n) => `${n}\n`).join(''));
    assert.ok(
      existsSync(file),
      `no snapshot ${name}.txt: run GLASSBOX_UPDATE_SNAPSHOTS=1 node scripts/test.mjs packages/docker-config/test/export-snapshots`,
    );
    const expected = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.equal(
      names,
      expected,
      `the exports of "${subpath}" changed. If on purpose, run GLASSBOX_UPDATE_SNAPSHOTS=1 node scripts/test.mjs packages/docker-config/test/export-snapshots and commit test/export-snapshots/${name}.txt with the change`,
    );
  });
}

test.run();
