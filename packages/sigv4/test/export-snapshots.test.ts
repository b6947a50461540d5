// Issue 14 §2: the runtime names each entry point of @glassbox/sigv4 exports, against a committed list
// (test/export-snapshots/sigv4-<entry>.txt at the repository root), so that a name is never added to
// or dropped from a public surface by accident.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const snapshotDir = join(repoRoot, 'test', 'export-snapshots');
const UPDATE = 'GLASSBOX_UPDATE_SNAPSHOTS';

// Every subpath of the exports map, plus the root as the browser build sees it (the `browser`
// condition, which Node cannot select, so it is imported as the file that condition names).
const entries: Record<string, () => Promise<Record<string, unknown>>> = {
  root: () => import('@glassbox/sigv4'),
  'root-browser': () => import('../src/portable.ts'),
  sign: () => import('@glassbox/sigv4/sign'),
  sdk: () => import('@glassbox/sigv4/sdk'),
  sigv4a: () => import('@glassbox/sigv4/sigv4a'),
  chunked: () => import('@glassbox/sigv4/chunked'),
  diagnose: () => import('@glassbox/sigv4/diagnose'),
  redaction: () => import('@glassbox/sigv4/redaction'),
};

test('every subpath of the exports map has a snapshot entry', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', 'sigv4', 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  const subpaths = Object.keys(manifest.exports).filter((subpath) => subpath !== './package.json');
  assert.equal(
    subpaths.map((subpath) => (subpath === '.' ? 'root' : subpath.slice(2))).sort(),
    Object.keys(entries)
      .filter((entry) => entry !== 'root-browser')
      .sort(),
  );
});

for (const [entry, load] of Object.entries(entries)) {
  test(`@glassbox/sigv4 ${entry} exports exactly the names in sigv4-${entry}.txt`, async () => {
    const names = Object.keys(await load()).sort();
    const file = join(snapshotDir, `sigv4-${entry}.txt`);
    const actual = names.join('\n') + '\n';
    if (process.env[UPDATE] === '1') {
      mkdirSync(snapshotDir, { recursive: true });
      writeFileSync(file, actual);
    }
    assert.ok(existsSync(file), `no snapshot ${file}: run ${UPDATE}=1 node scripts/test.mjs export-snapshots to write it`);
    const expected = readFileSync(file, 'utf8');
    assert.fixture(
      actual,
      expected,
      `the runtime exports of @glassbox/sigv4 ${entry} changed. If that is deliberate (a public surface change), update the snapshot with ${UPDATE}=1 node scripts/test.mjs export-snapshots and commit test/export-snapshots/sigv4-${entry}.txt`,
    );
  });
}

test.run();
