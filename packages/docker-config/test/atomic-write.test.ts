import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensurePrivateDir, resolveWriteTarget, writeFileAtomic } from '../src/atomic-write.ts';
import { setAuth } from '../src/registry-auth.ts';
import { tempDir } from './support.ts';

test('a symlinked config.json is followed: the link stays, its target is rewritten', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dotfiles = join(dir, 'dotfiles');
    const configDir = join(dir, '.docker');
    await mkdir(dotfiles, { mode: 0o700 });
    await mkdir(configDir, { mode: 0o700 });
    await writeFile(join(dotfiles, 'docker.json'), '{"auths":{}}', { mode: 0o600 });
    await symlink('../dotfiles/docker.json', join(configDir, 'config.json'));
    await chmod(dotfiles, 0o755);
    await setAuth('r.example', 'u', 'p', { configDir });
    assert.ok((await lstat(join(configDir, 'config.json'))).isSymbolicLink());
    assert.is((await stat(join(dotfiles, 'docker.json'))).mode & 0o777, 0o600);
    assert.is((await stat(dotfiles)).mode & 0o777, 0o755, 'the link target\'s folder is not ours to tighten');
    assert.is(await readlink(join(configDir, 'config.json')), '../dotfiles/docker.json');
    const data = JSON.parse(await readFile(join(dotfiles, 'docker.json'), 'utf8')) as { auths: Record<string, unknown> };
    assert.ok(data.auths['r.example']);
  } finally {
    await cleanup();
  }
});

test('a dangling symlink is allowed: the write creates its target', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await symlink(join(dir, 'real.json'), join(dir, 'link.json'));
    assert.is(await resolveWriteTarget(join(dir, 'link.json')), join(dir, 'real.json'));
    await writeFileAtomic(join(dir, 'link.json'), 'hello');
    assert.is(await readFile(join(dir, 'real.json'), 'utf8'), 'hello');
    assert.ok((await lstat(join(dir, 'link.json'))).isSymbolicLink());
  } finally {
    await cleanup();
  }
});

test('a symlink loop is a WRITE_FAILED error, not a hang', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await symlink(join(dir, 'b'), join(dir, 'a'));
    await symlink(join(dir, 'a'), join(dir, 'b'));
    try {
      await writeFileAtomic(join(dir, 'a'), 'x');
      assert.unreachable();
    } catch (error) {
      assert.is((error as { code?: string }).code, 'WRITE_FAILED');
    }
  } finally {
    await cleanup();
  }
});

test('writes are 0600 whatever the umask, and leave no temporary files', async () => {
  const { dir, cleanup } = await tempDir();
  const previous = process.umask(0o000);
  try {
    await writeFileAtomic(join(dir, 'f.json'), 'one');
    await writeFileAtomic(join(dir, 'f.json'), 'two');
    assert.is((await stat(join(dir, 'f.json'))).mode & 0o777, 0o600);
    assert.is(await readFile(join(dir, 'f.json'), 'utf8'), 'two');
    assert.equal(await readdir(dir), ['f.json']);
  } finally {
    process.umask(previous);
    await cleanup();
  }
});

test('a failed write leaves the old file intact and no temporary file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    // The target is a folder: rename fails after the temporary file was written.
    await mkdir(join(dir, 'config.json'));
    await writeFile(join(dir, 'config.json', 'keep'), 'k');
    try {
      await writeFileAtomic(join(dir, 'config.json'), 'x');
      assert.unreachable();
    } catch (error) {
      assert.is((error as { code?: string }).code, 'WRITE_FAILED');
    }
    assert.equal((await readdir(dir)).sort(), ['config.json']);
  } finally {
    await cleanup();
  }
});

test('a shared sticky folder (like /tmp) is never tightened, only reported', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const shared = join(dir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const warnings = await ensurePrivateDir(shared);
    assert.is((await stat(shared)).mode & 0o7777, 0o1777);
    assert.equal(warnings.map((w) => w.code), ['DIR_MODE_LOOSE']);
  } finally {
    await cleanup();
  }
});

test.run();
