import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dockerConfigPath, parseDockerConfig, readDockerConfig, updateDockerConfig } from '../src/config-file.ts';
import { DockerConfigError } from '../src/errors.ts';
import { setAuth } from '../src/registry-auth.ts';
import { buildOnce, DIST_INDEX, tempDir } from './support.ts';

test('config.json is found in configDir, else DOCKER_CONFIG, else ~/.docker', () => {
  assert.is(dockerConfigPath({ configDir: '/opt/d', env: { DOCKER_CONFIG: '/env/d', HOME: '/home/me' } }), '/opt/d/config.json');
  assert.is(dockerConfigPath({ env: { DOCKER_CONFIG: '/env/d', HOME: '/home/me' } }), '/env/d/config.json');
  assert.is(dockerConfigPath({ env: { HOME: '/home/me' } }), '/home/me/.docker/config.json');
  assert.is(dockerConfigPath({ env: { DOCKER_CONFIG: '' }, homedir: '/h' }), '/h/.docker/config.json');
});

test('a missing file reads as an empty config, an empty file too', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const missing = await readDockerConfig({ configDir: dir });
    assert.is(missing.exists, false);
    assert.equal(missing.data, {});
    await writeFile(join(dir, 'config.json'), '  \n');
    const empty = await readDockerConfig({ configDir: dir });
    assert.is(empty.exists, true);
    assert.equal(empty.data, {});
  } finally {
    await cleanup();
  }
});

test('malformed JSON is CONFIG_MALFORMED naming line and column', () => {
  const text = '{\n  "auths": {\n    "a": {},\n  }\n}';
  try {
    parseDockerConfig(text, '/x/config.json');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, DockerConfigError);
    const e = error as DockerConfigError;
    assert.is(e.code, 'CONFIG_MALFORMED');
    // The stray comma after "a": {} is reported where JSON.parse stops: line 4, at the closing brace.
    assert.is(e.line, 4);
    assert.is(e.column, 3);
    assert.match(e.message, /\/x\/config\.json/);
    assert.match(e.message, /line 4, column 3/);
  }
});

test('JSON of the wrong shape is CONFIG_INVALID', () => {
  for (const text of ['[]', '"x"', '{"auths": []}', '{"credHelpers": {"h": 1}}', '{"credsStore": true}']) {
    try {
      parseDockerConfig(text);
      assert.unreachable(text);
    } catch (error) {
      assert.is((error as DockerConfigError).code, 'CONFIG_INVALID', text);
    }
  }
});

test('a malformed file is never overwritten by a write', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'config.json');
    const broken = '{"auths": {"r.example": {"auth": "eDp5"}},, "x": 1}';
    await writeFile(path, broken, { mode: 0o600 });
    try {
      await setAuth('new.example', 'u', 'p', { configDir: dir });
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.is((error as DockerConfigError).code, 'CONFIG_MALFORMED');
      assert.is((error as DockerConfigError).line, 1);
    }
    assert.is(await readFile(path, 'utf8'), broken);
  } finally {
    await cleanup();
  }
});

test('writing keeps unknown keys, unknown entry fields, key order and indentation', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'config.json');
    const original = [
      '{',
      '  "psFormat": "table {{.ID}}",',
      '  "auths": {',
      '    "z.example": { "auth": "dTpw", "email": "me@example.com" },',
      '    "a.example": {}',
      '  },',
      '  "experimental": { "nested": [1, 2, { "deep": true }] },',
      '  "currentContext": "desktop-linux"',
      '}',
      '',
    ].join('\n');
    await writeFile(path, original, { mode: 0o600 });
    await setAuth('m.example', 'AWS', 'pw', { configDir: dir });
    const text = await readFile(path, 'utf8');
    const data = JSON.parse(text) as Record<string, unknown>;
    assert.equal(Object.keys(data), ['psFormat', 'auths', 'experimental', 'currentContext']);
    assert.equal(Object.keys(data['auths'] as object), ['z.example', 'a.example', 'm.example']);
    assert.equal((data['auths'] as Record<string, unknown>)['z.example'], { auth: 'dTpw', email: 'me@example.com' });
    assert.equal(data['experimental'], { nested: [1, 2, { deep: true }] });
    assert.equal((data['auths'] as Record<string, unknown>)['m.example'], { auth: Buffer.from('AWS:pw').toString('base64') });
    assert.ok(text.startsWith('{\n  "psFormat"'), 'two-space indentation kept');
    assert.ok(text.endsWith('}\n'), 'final newline kept');
  } finally {
    await cleanup();
  }
});

test('a new file is written as Docker writes it: tab indentation, dir 0700, file 0600', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const configDir = join(dir, 'new', '.docker');
    await setAuth('r.example', 'u', 'p', { configDir });
    const text = await readFile(join(configDir, 'config.json'), 'utf8');
    assert.is(text, `{\n\t"auths": {\n\t\t"r.example": {\n\t\t\t"auth": "${Buffer.from('u:p').toString('base64')}"\n\t\t}\n\t}\n}`);
    assert.is((await stat(configDir)).mode & 0o777, 0o700);
    assert.is((await stat(join(configDir, 'config.json'))).mode & 0o777, 0o600);
  } finally {
    await cleanup();
  }
});

test('an unchanged config is not rewritten', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await setAuth('r.example', 'u', 'p', { configDir: dir });
    const path = join(dir, 'config.json');
    await chmod(path, 0o600);
    const before = (await stat(path)).ino;
    const second = await setAuth('r.example', 'u', 'p', { configDir: dir });
    assert.is(second.changed, false);
    assert.is((await stat(path)).ino, before, 'same inode: no rename happened');
  } finally {
    await cleanup();
  }
});

test('looser permissions on the file and folder are fixed, with warnings', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const configDir = join(dir, 'docker');
    await mkdir(configDir, { mode: 0o755 });
    await chmod(configDir, 0o755);
    const path = join(configDir, 'config.json');
    await writeFile(path, '{}');
    await chmod(path, 0o644);
    const seen: string[] = [];
    const result = await setAuth('r.example', 'u', 'p', { configDir, warn: (w) => seen.push(w.code) });
    assert.is((await stat(path)).mode & 0o777, 0o600);
    assert.is((await stat(configDir)).mode & 0o777, 0o700);
    assert.equal(result.warnings.map((w) => w.code).sort(), ['DIR_MODE_FIXED', 'FILE_MODE_FIXED']);
    assert.equal(seen.sort(), ['DIR_MODE_FIXED', 'FILE_MODE_FIXED']);
  } finally {
    await cleanup();
  }
});

test('updateDockerConfig passes the change result through and skips the write when unchanged', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const outcome = await updateDockerConfig(() => ({ changed: false, result: 42 }), { configDir: dir });
    assert.is(outcome.result, 42);
    assert.is(outcome.changed, false);
    const exists = await stat(join(dir, 'config.json')).then(() => true, () => false);
    assert.is(exists, false);
  } finally {
    await cleanup();
  }
});

test('20 processes writing different hosts at once lose nothing', async () => {
  buildOnce();
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'config.json'), '{"keep": "me"}');
    const entry = pathToFileURL(DIST_INDEX).href;
    const runs = Array.from({ length: 20 }, (_, index) =>
      new Promise<number>((resolve, reject) => {
        const script = `import { setAuth } from ${JSON.stringify(entry)}; await setAuth('host${index}.example', 'user${index}', 'pw${index}', { configDir: process.argv[1] });`;
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? -1));
      }),
    );
    assert.equal(await Promise.all(runs), Array.from({ length: 20 }, () => 0));
    const data = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { keep: string; auths: Record<string, { auth: string }> };
    assert.is(data.keep, 'me');
    assert.is(Object.keys(data.auths).length, 20);
    for (let index = 0; index < 20; index++) {
      assert.is(data.auths[`host${index}.example`]?.auth, Buffer.from(`user${index}:pw${index}`).toString('base64'));
    }
  } finally {
    await cleanup();
  }
});

test.run();
