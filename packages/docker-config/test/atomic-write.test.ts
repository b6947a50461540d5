import { spawnSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensurePrivateDir, resolveWriteTarget, writeFileAtomic } from '../src/atomic-write.ts';
import { DockerConfigError } from '../src/errors.ts';
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
    assert.is((await stat(dotfiles)).mode & 0o777, 0o755, "the link target's folder is not ours to tighten");
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
    assert.equal(
      warnings.map((w) => w.code),
      ['DIR_MODE_LOOSE'],
    );
  } finally {
    await cleanup();
  }
});

/** The PID of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

test("temporary copies left by killed writers are removed on the next write; a live writer's recent one and unrelated files stay", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dead = `.f.json.${deadPid()}.0123456789ab.tmp`;
    const liveRecent = `.f.json.${process.pid}.aaaaaaaaaaaa.tmp`;
    const liveOld = `.f.json.${process.pid}.bbbbbbbbbbbb.tmp`;
    const legacyOld = '.f.json.cccccccccccc.tmp'; // the naming before PIDs: removed by age alone
    const legacyRecent = '.f.json.dddddddddddd.tmp';
    const otherTarget = `.g.json.${deadPid()}.0123456789ab.tmp`;
    for (const name of [dead, liveRecent, liveOld, legacyOld, legacyRecent, otherTarget])
      await writeFile(join(dir, name), 'secret copy', { mode: 0o600 });
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const name of [liveOld, legacyOld]) await utimes(join(dir, name), anHourAgo, anHourAgo);
    await writeFileAtomic(join(dir, 'f.json'), 'new');
    assert.equal((await readdir(dir)).sort(), ['f.json', otherTarget, liveRecent, legacyRecent].sort());
  } finally {
    await cleanup();
  }
});

test('followLinks: false replaces a planted link by a regular file and never writes through it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'victim'), 'precious');
    await symlink(join(dir, 'victim'), join(dir, 'cache.json'));
    await writeFileAtomic(join(dir, 'cache.json'), 'token', { followLinks: false });
    assert.is(await readFile(join(dir, 'victim'), 'utf8'), 'precious');
    const info = await lstat(join(dir, 'cache.json'));
    assert.ok(info.isFile());
    assert.is(info.mode & 0o777, 0o600);
    assert.is(await readFile(join(dir, 'cache.json'), 'utf8'), 'token');
  } finally {
    await cleanup();
  }
});

test('a followed link to a FIFO, a socket or /dev/null is NOT_REGULAR_FILE: nothing is written, the target stays what it was', async () => {
  const { dir, cleanup } = await tempDir();
  const server = createServer();
  try {
    const fifo = join(dir, 'fifo');
    assert.is(spawnSync('mkfifo', [fifo]).status, 0);
    const socket = join(dir, 'socket');
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    for (const target of [fifo, socket]) {
      const link = join(dir, `config-${target.endsWith('fifo') ? 'fifo' : 'socket'}.json`);
      await symlink(target, link);
      try {
        await writeFileAtomic(link, '{}');
        assert.unreachable(target);
      } catch (error) {
        assert.instance(error, DockerConfigError);
        assert.is((error as DockerConfigError).code, 'NOT_REGULAR_FILE', target);
        assert.match((error as Error).message, new RegExp(`Refusing to replace ${target}`));
      }
      const info = await lstat(target);
      assert.ok(target === fifo ? info.isFIFO() : info.isSocket(), `${target} is still what it was`);
      assert.ok((await lstat(link)).isSymbolicLink());
    }
    assert.equal(
      (await readdir(dir)).filter((name) => name.endsWith('.tmp')),
      [],
    );
  } finally {
    server.close();
    await cleanup();
  }
});

test('a read-only or foreign folder is PERMISSION_DENIED naming the folder, not a generic write failure', async () => {
  // As root nothing is refused for permissions: only where the test runs as another user.
  if (process.getuid?.() === 0) {
    const { OTHER_USER_UNAVAILABLE, nodeAsOtherUser } = await import('./support/other-user.ts');
    if (OTHER_USER_UNAVAILABLE !== undefined) return;
    const { buildOnce, distModule } = await import('./support.ts');
    buildOnce();
    const { dir, cleanup } = await tempDir();
    try {
      await chmod(dir, 0o755); // root's folder: readable, not writable, by the other user
      const script = `import { writeFileAtomic } from ${JSON.stringify('file://' + distModule('atomic-write'))};
        try { await writeFileAtomic(process.argv[1], 'x'); console.log('written'); } catch (e) { console.log(JSON.stringify({ code: e.code, path: e.path, message: e.message })); }`;
      const run = await nodeAsOtherUser(script, [join(dir, 'f.json')], { PATH: '/usr/bin:/bin' });
      const outcome = JSON.parse(run.stdout) as { code: string; path: string; message: string };
      assert.is(outcome.code, 'PERMISSION_DENIED', run.stdout + run.stderr);
      assert.is(outcome.path, join(dir, 'f.json'));
      assert.match(outcome.message, /permission denied \(EACCES\)/);
    } finally {
      await cleanup();
    }
  }
});

test.run();
