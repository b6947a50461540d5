import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { glassboxConfigFile, mayHaveRegistryAliases, REGISTRY_ALIASES_ENV } from '../src/registry-alias-sources.ts';
import * as aliases from '../src/registry-aliases.ts';

test('the variable is GLASSBOX_REGISTRY_ALIASES', () => {
  assert.is(REGISTRY_ALIASES_ENV, 'GLASSBOX_REGISTRY_ALIASES');
});

test('mayHaveRegistryAliases: yes with the variable set, no without it or the file, yes once the file exists', async () => {
  const home = await mkdtemp(join(tmpdir(), 'glassbox-alias-sources-'));
  try {
    assert.is(mayHaveRegistryAliases({ HOME: home }), false);
    assert.is(mayHaveRegistryAliases({ HOME: home, GLASSBOX_REGISTRY_ALIASES: '   ' }), false, 'blank is unset');
    assert.is(
      mayHaveRegistryAliases({ HOME: home, GLASSBOX_REGISTRY_ALIASES: '127.0.0.1:5000=123456789012.dkr.ecr.us-east-1.amazonaws.com' }),
      true,
    );
    await mkdir(join(home, '.config', 'glassbox'), { recursive: true });
    await writeFile(join(home, '.config', 'glassbox', 'config.json'), '{}');
    assert.is(mayHaveRegistryAliases({ HOME: home }), true);
    assert.is(mayHaveRegistryAliases({ HOME: home, XDG_CONFIG_HOME: join(home, 'elsewhere') }), false, 'XDG_CONFIG_HOME moves the file');
    assert.is(mayHaveRegistryAliases({}, home), true, 'the homedir argument stands in for HOME');
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test('registry-aliases re-exports the one definition of the file and the variable', () => {
  assert.is(aliases.glassboxConfigFile, glassboxConfigFile);
  assert.is(aliases.REGISTRY_ALIASES_ENV, REGISTRY_ALIASES_ENV);
  assert.is(glassboxConfigFile({ HOME: '/home/me' }), '/home/me/.config/glassbox/config.json');
});

test('registry-alias-sources.ts imports nothing: the helper reads it on every pull', async () => {
  const text = await readFile(new URL('../src/registry-alias-sources.ts', import.meta.url), 'utf8');
  assert.not.match(text, /^\s*import\b|\bimport\(|\brequire\(/m);
});

test.run();
