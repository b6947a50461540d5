// Export-list snapshots: the sorted runtime export names of every entry point of @glassbox/aws,
// @glassbox/ecr and @glassbox/cli, compared with test/export-snapshots/<package>[-<subpath>].txt. A
// public surface changes only on purpose: a name that appears or disappears here is an API change to
// review (and, for a removal, a break unless the name stays re-exported with a @deprecated note).
//
// To accept a deliberate change: GLASSBOX_UPDATE_SNAPSHOTS=1 node scripts/test.mjs export-snapshots
// then review and commit the changed .txt files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const snapshots = join(root, 'test', 'export-snapshots');
const update = process.env['GLASSBOX_UPDATE_SNAPSHOTS'] === '1';

for (const folder of ['aws', 'ecr', 'cli']) {
  const dir = join(root, 'packages', folder);
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | Record<string, string>>;
  };
  for (const [subpath, target] of Object.entries(json.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const source = target['glassbox-source'];
    const entry = subpath === '.' ? json.name : `${json.name}/${subpath.slice(2)}`;
    const file = join(snapshots, `${folder}${subpath === '.' ? '' : `-${subpath.slice(2).replace(/\//g, '-')}`}.txt`);
    test(`${entry}: its runtime exports are the committed list (${file.slice(root.length + 1)})`, async () => {
      assert.type(source, 'string', `${entry} has no glassbox-source condition`);
      const names = Object.keys(await import(pathToFileURL(join(dir, source as string)).href)).sort();
      const actual = `${names.join('\n')}\n`;
      if (update) writeFileSync(file, actual);
      assert.ok(
        existsSync(file),
        `${entry} has no export snapshot yet; write it with GLASSBOX_UPDATE_SNAPSHOTS=1 node scripts/test.mjs export-snapshots`,
      );
      assert.fixture(
        actual,
        readFileSync(file, 'utf8'),
        `${entry} exports changed. If that is deliberate, run GLASSBOX_UPDATE_SNAPSHOTS=1 node scripts/test.mjs export-snapshots and commit ${file.slice(root.length + 1)}`,
      );
    });
  }
}

test.run();
