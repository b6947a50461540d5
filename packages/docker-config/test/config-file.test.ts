import { spawn, spawnSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkReplaceable, resolveWriteTarget } from '../src/atomic-write.ts';
import { dockerConfigPath, parseDockerConfig, readDockerConfig, updateDockerConfig } from '../src/config-file.ts';
import { DockerConfigError } from '../src/errors.ts';
import { getAuth, removeAuth, setAuth, setCredentialHelper } from '../src/registry-auth.ts';
import { buildOnce, DIST_INDEX, ROOT, tempDir } from './support.ts';
import { run } from './support/process.ts';
import { concurrentWriters, fuzzRoundTrips, killWriters } from './support/soak.ts';

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
    const exists = await stat(join(dir, 'config.json')).then(
      () => true,
      () => false,
    );
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
    const runs = Array.from(
      { length: 20 },
      (_, index) =>
        new Promise<number>((resolve, reject) => {
          const script = `import { setAuth } from ${JSON.stringify(entry)}; await setAuth('host${index}.example', 'user${index}', 'pw${index}', { configDir: process.argv[1] });`;
          const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('error', reject);
          child.on('close', (code) => resolve(code ?? -1));
        }),
    );
    assert.equal(
      await Promise.all(runs),
      Array.from({ length: 20 }, () => 0),
    );
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

const CLI_BIN = join(ROOT, 'packages/cli/dist/bin/glassbox.js');
const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

/** `glassbox ecr configure-helper` on `dir`: an offline command that edits config.json. */
function configureHelper(dir: string) {
  buildOnce();
  return run(process.execPath, [CLI_BIN, 'ecr', 'configure-helper', '--registry', ECR_HOST, '--docker-config', dir], {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
  });
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<DockerConfigError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, DockerConfigError);
    assert.is((error as DockerConfigError).code, code, (error as Error).message);
    return error as DockerConfigError;
  }
  assert.unreachable(`expected ${code}`);
  throw new Error('unreachable');
}

test('an edit changes only auths[host]: duplicate keys, 12345678901234567890123, invalid UTF-8, a BOM, CRLF and odd whitespace survive byte for byte', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'config.json');
    const head = Buffer.concat([
      Buffer.from('\ufeff{\r\n  "dup": 1,\r\n  "dup": 2,\r\n  "big": 12345678901234567890123,\r\n  "bytes": "'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('",\r\n    "odd"  :   [ 1 ,2 ]  ,\r\n  "auths": {\r\n    "a.example": { "auth": "dTpw" }'),
    ]);
    const tail = Buffer.from('\r\n  }\r\n}\r\n');
    const original = Buffer.concat([head, tail]);
    await writeFile(path, original, { mode: 0o600 });

    await setAuth('r.example', 'u', 'p', { configDir: dir });
    const added = Buffer.from(',\r\n    "r.example": {\r\n      "auth": "dTpw"\r\n    }');
    assert.equal([...(await readFile(path))], [...Buffer.concat([head, added, tail])]);

    await removeAuth('r.example', { configDir: dir });
    assert.equal([...(await readFile(path))], [...original], 'set then remove gives back the original bytes');
  } finally {
    await cleanup();
  }
});

test('credHelpers[host] is added in the style of the file and nothing else moves', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'config.json');
    const original = '{\n    "credHelpers": {\n        "other.example": "desktop"\n    },\n    "big": 1e999\n}';
    await writeFile(path, original, { mode: 0o600 });
    await setCredentialHelper(ECR_HOST, 'glassbox', { configDir: dir });
    assert.is(
      await readFile(path, 'utf8'),
      `{\n    "credHelpers": {\n        "other.example": "desktop",\n        "${ECR_HOST}": "glassbox"\n    },\n    "big": 1e999\n}`,
    );
  } finally {
    await cleanup();
  }
});

test("duplicate hosts inside auths: the last one counts, as in Docker's Go decoder; a new password replaces it and drops the shadowed copy; remove takes every copy", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'config.json');
    const old1 = Buffer.from('first:shadowed').toString('base64');
    const old2 = Buffer.from('second:used').toString('base64');
    await writeFile(
      path,
      `{"auths": {"r.example": {"auth": "${old1}"}, "k.example": {}, "r.example": {"auth": "${old2}", "email": "e"}}}`,
      { mode: 0o600 },
    );
    const found = await getAuth('r.example', { configDir: dir });
    assert.is(found?.username, 'second');
    await setAuth('r.example', 'u', 'p', { configDir: dir });
    assert.is(await readFile(path, 'utf8'), '{"auths": {"k.example": {}, "r.example": {"auth": "dTpw", "email": "e"}}}');
    await writeFile(path, `{"auths": {"r.example": {"auth": "${old1}"}, "k.example": {}, "r.example": {"auth": "${old2}"}}}`, {
      mode: 0o600,
    });
    await removeAuth('r.example', { configDir: dir });
    assert.is(await readFile(path, 'utf8'), '{"auths": {"k.example": {}}}');
  } finally {
    await cleanup();
  }
});

test('a top-level "auths" that appears twice is CONFIG_INVALID naming the key and its lines; the file is untouched, the CLI exits 2', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'config.json');
    const text = '{\n"auths": {"a.example": {}},\n"x": 1,\n"auths": {"b.example": {}}\n}';
    await writeFile(path, text, { mode: 0o600 });
    const error = await expectCode(setAuth('r.example', 'u', 'p', { configDir: dir }), 'CONFIG_INVALID');
    assert.is(error.key, 'auths');
    assert.match(error.message, /"auths" appears 2 times \(lines 2, 4\)/);
    const cli = await configureHelper(dir);
    assert.is(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /"auths" appears 2 times/);
    assert.is(await readFile(path, 'utf8'), text);
  } finally {
    await cleanup();
  }
});

test('a config.json nested 5,000 deep is edited (never exit 70), the deep value kept byte for byte', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'config.json');
    const deep = '{"a":'.repeat(5_000) + '[]' + '}'.repeat(5_000);
    await writeFile(path, `{"deep": ${deep}}`, { mode: 0o600 });
    const cli = await configureHelper(dir);
    assert.is(cli.code, 0, cli.stderr);
    const written = await readFile(path, 'utf8');
    const expected = `{"deep": ${deep},"credHelpers": {"${ECR_HOST}":"glassbox"}}`;
    assert.ok(written === expected, `got …${written.slice(-120)}`);
    await setAuth('r.example', 'u', 'p', { configDir: dir });
    assert.ok((await readFile(path, 'utf8')).startsWith(`{"deep": ${deep},`));
  } finally {
    await cleanup();
  }
});

test('config.json as a FIFO, or linked to one: NOT_REGULAR_FILE at once, never opened, never replaced, no lock folder beside it', async () => {
  const { dir, cleanup } = await tempDir();
  const fifo = join(dir, 'pipe');
  assert.is(spawnSync('mkfifo', ['-m', '600', fifo]).status, 0);
  const direct = join(dir, 'direct');
  await mkdir(direct, { mode: 0o700 });
  assert.is(spawnSync('mkfifo', ['-m', '600', join(direct, 'config.json')]).status, 0);
  // Were a FIFO opened for reading, these writers would release the reader after a few seconds (and the test then fail, not hang).
  const writers = [fifo, join(direct, 'config.json')].map((path) =>
    spawn('/bin/sh', ['-c', `sleep 3; : > '${path}'`], { stdio: 'ignore' }),
  );
  try {
    const linked = join(dir, 'linked');
    await mkdir(linked, { mode: 0o700 });
    await symlink(fifo, join(linked, 'config.json'));
    for (const configDir of [direct, linked]) {
      const error = await expectCode(readDockerConfig({ configDir }), 'NOT_REGULAR_FILE');
      assert.match(error.message, /a FIFO/);
      await expectCode(setAuth('r.example', 'u', 'p', { configDir }), 'NOT_REGULAR_FILE');
    }
    assert.ok((await lstat(fifo)).isFIFO());
    assert.ok((await lstat(join(direct, 'config.json'))).isFIFO());
    assert.equal((await readdir(dir)).sort(), ['direct', 'linked', 'pipe']);
    const cli = await configureHelper(linked);
    assert.is(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /not a regular file/);
  } finally {
    for (const writer of writers) writer.kill('SIGKILL');
    await cleanup();
  }
});

test('config.json linked to a unix socket is NOT_REGULAR_FILE and the socket stays', async () => {
  const { dir, cleanup } = await tempDir();
  const server = createServer();
  try {
    const socket = join(dir, 'docker.sock');
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const configDir = join(dir, 'd');
    await mkdir(configDir, { mode: 0o700 });
    await symlink(socket, join(configDir, 'config.json'));
    await expectCode(readDockerConfig({ configDir }), 'NOT_REGULAR_FILE');
    await expectCode(setAuth('r.example', 'u', 'p', { configDir }), 'NOT_REGULAR_FILE');
    assert.ok((await lstat(socket)).isSocket());
  } finally {
    server.close();
    await cleanup();
  }
});

test('config.json -> /dev/null is refused before any write (checked without ever writing: never risk the real /dev/null)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const link = join(dir, 'config.json');
    await symlink('/dev/null', link);
    const error = await expectCode(readDockerConfig({ configDir: dir }), 'NOT_REGULAR_FILE');
    assert.match(error.message, /a device/);
    // The check updateDockerConfig and writeFileAtomic make before the lock and before any temporary file.
    assert.is(await resolveWriteTarget(link), '/dev/null');
    await expectCode(checkReplaceable('/dev/null', link), 'NOT_REGULAR_FILE');
    assert.ok((await lstat('/dev/null')).isCharacterDevice());
  } finally {
    await cleanup();
  }
});

test('soak, bounded: 24 writers at once (48 entries) with a reader lose nothing and never show a half-written file', async () => {
  const result = await concurrentWriters(24, 2);
  assert.is(result.failedWriters, 0);
  assert.is(result.lost, 0);
  assert.ok(result.unrelatedKept);
  assert.ok(result.reads > 0);
  assert.is(result.invalidReads, 0);
});

test('soak, bounded: 15 writers killed with SIGKILL at random moments leave a valid config.json, and the next write removes their temporary copies', async () => {
  let seed = 16;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const result = await killWriters(15, 400, random);
  assert.is(result.invalidAfterKill, 0);
  assert.ok(result.firstEntryKept);
  assert.is(result.temporariesAfterNextWrite, 0, `${result.temporariesBeforeCleanup} temporary copies before the next write`);
});

test('fuzz, bounded: 150 random documents (BOM, whitespace, duplicates, big numbers, invalid UTF-8, nesting) round-trip set + remove byte for byte', async () => {
  const result = await fuzzRoundTrips(150, 20261203);
  assert.is(result.failures, 0, `first failing document (base64): ${result.example}`);
});

test.run();
