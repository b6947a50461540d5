import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cachedToken,
  freshCachedToken,
  isFresh,
  isStillValid,
  readCachedToken,
  tokenCacheDir,
  tokenCachePath,
  type CachedToken,
} from '../src/token-cache.ts';
import { buildOnce, distModule, tempDir } from './support.ts';
import { nodeAsOtherUser, OTHER_UID, OTHER_USER_UNAVAILABLE, shellAsOtherUser } from './support/other-user.ts';

const HOUR = 3_600_000;
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

test('the cache folder: GLASSBOX_CACHE_DIR, else XDG_CACHE_HOME/glassbox, else ~/.cache/glassbox', () => {
  assert.is(tokenCacheDir({ GLASSBOX_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' }), '/c');
  assert.is(tokenCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/glassbox');
  assert.is(tokenCacheDir({ HOME: '/h' }), '/h/.cache/glassbox');
});

test('the cache file is named by registry and identity hash, and cannot escape the folder', () => {
  assert.is(tokenCachePath('/c', REGISTRY, 'abc'), `/c/ecr-${REGISTRY}-abc.json`);
  assert.is(tokenCachePath('/c', '../../etc/passwd', 'abc'), '/c/ecr-.._.._etc_passwd-abc.json');
});

test('a 12-hour token is fresh for 9 hours (refresh with a quarter left), usable after an API failure until a minute before expiry', () => {
  const entry: CachedToken = { registry: REGISTRY, username: 'AWS', password: 'p', requestedAt: 0, expiresAt: 12 * HOUR };
  assert.ok(isFresh(entry, 0));
  assert.ok(isFresh(entry, 9 * HOUR - 1000));
  assert.not.ok(isFresh(entry, 9 * HOUR + 1000));
  assert.ok(isStillValid(entry, 12 * HOUR - 61_000));
  assert.not.ok(isStillValid(entry, 12 * HOUR - 59_000));
});

function fetcher(password: string, lifetimeMs: number, now: () => number) {
  const calls: number[] = [];
  return {
    calls,
    fetch: async () => {
      calls.push(now());
      return { username: 'AWS', password, expiresAt: new Date(now() + lifetimeMs) };
    },
  };
}

test('a miss calls the API once and caches (0600 file, 0700 folder); the next call is a hit', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const cacheDir = join(dir, 'cache');
    let clock = 1_000_000;
    const now = () => clock;
    const api = fetcher('pw-1', 12 * HOUR, now);
    const warnings: string[] = [];
    const options = { registry: REGISTRY, identityHash: 'id1', cacheDir, fetch: api.fetch, warn: (m: string) => warnings.push(m), now };
    const first = await cachedToken(options);
    assert.is(first.source, 'api');
    assert.is(first.token.password, 'pw-1');
    clock += 8 * HOUR;
    const second = await cachedToken(options);
    assert.is(second.source, 'cache');
    assert.is(api.calls.length, 1);
    const file = tokenCachePath(cacheDir, REGISTRY, 'id1');
    assert.is((await stat(file)).mode & 0o777, 0o600);
    assert.is((await stat(cacheDir)).mode & 0o777, 0o700);
    assert.equal(await readdir(cacheDir), [`ecr-${REGISTRY}-id1.json`], 'no lock or temporary file left');
    // Past the refresh point the API is asked again.
    clock += 1.5 * HOUR;
    assert.is((await cachedToken(options)).source, 'api');
    assert.is(api.calls.length, 2);
    assert.equal(warnings, []);
  } finally {
    await cleanup();
  }
});

test('a corrupt cache file is ignored, reported, and rewritten', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = tokenCachePath(dir, REGISTRY, 'id1');
    await writeFile(file, '{"version":1,"registry":', { mode: 0o600 });
    const api = fetcher('pw-new', 12 * HOUR, Date.now);
    const warnings: string[] = [];
    const result = await cachedToken({
      registry: REGISTRY,
      identityHash: 'id1',
      cacheDir: dir,
      fetch: api.fetch,
      warn: (m) => warnings.push(m),
    });
    assert.is(result.source, 'api');
    assert.is(warnings.length, 1);
    assert.match(warnings[0]!, /unreadable token cache/);
    const rewritten = JSON.parse(await readFile(file, 'utf8')) as { password: string };
    assert.is(rewritten.password, 'pw-new');
  } finally {
    await cleanup();
  }
});

test('when the API fails, a still-valid cached token is served with a warning; an expired one is not', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    let clock = 0;
    const now = () => clock;
    const good = fetcher('cached-pw', 12 * HOUR, now);
    const warnings: string[] = [];
    await cachedToken({ registry: REGISTRY, identityHash: 'id', cacheDir: dir, fetch: good.fetch, warn: (m) => warnings.push(m), now });
    const failing = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    clock = 10 * HOUR; // past the refresh point, still valid for 2 hours
    const stale = await cachedToken({
      registry: REGISTRY,
      identityHash: 'id',
      cacheDir: dir,
      fetch: failing,
      warn: (m) => warnings.push(m),
      now,
    });
    assert.is(stale.source, 'stale-cache');
    assert.is(stale.token.password, 'cached-pw');
    assert.is(warnings.length, 1);
    assert.match(warnings[0]!, /Rate exceeded/);
    assert.match(warnings[0]!, /120 more minutes/);
    assert.not.match(warnings[0]!, /cached-pw/);
    clock = 12 * HOUR; // expired
    try {
      await cachedToken({ registry: REGISTRY, identityHash: 'id', cacheDir: dir, fetch: failing, warn: (m) => warnings.push(m), now });
      assert.unreachable();
    } catch (error) {
      assert.match((error as Error).message, /Rate exceeded/);
    }
  } finally {
    await cleanup();
  }
});

test('concurrent misses make one API call', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    let calls = 0;
    const fetch = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { username: 'AWS', password: 'shared', expiresAt: new Date(Date.now() + 12 * HOUR) };
    };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => cachedToken({ registry: REGISTRY, identityHash: 'id', cacheDir: dir, fetch, warn: () => undefined })),
    );
    assert.is(calls, 1);
    assert.equal(
      results.map((r) => r.token.password),
      ['shared', 'shared', 'shared', 'shared'],
    );
    assert.equal(results.map((r) => r.source).sort(), ['api', 'cache', 'cache', 'cache']);
  } finally {
    await cleanup();
  }
});

test('an unusable cache folder costs an API call, not the pull: the token is served with a warning', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const blocked = join(dir, 'not-a-folder');
    await writeFile(blocked, 'a file where the cache folder should be');
    const api = fetcher('uncached-pw', 12 * HOUR, Date.now);
    const warnings: string[] = [];
    const result = await cachedToken({
      registry: REGISTRY,
      identityHash: 'id',
      cacheDir: blocked,
      fetch: api.fetch,
      warn: (m) => warnings.push(m),
    });
    assert.is(result.source, 'api');
    assert.is(result.token.password, 'uncached-pw');
    assert.is(warnings.length, 1);
    assert.match(warnings[0]!, /not caching the ECR token: .*GLASSBOX_CACHE_DIR/);
    assert.not.match(warnings[0]!, /uncached-pw/);
  } finally {
    await cleanup();
  }
});

/** A cache entry as the cache writes it, valid for `hours`, with `password`. */
function entryText(password: string, hours = 12): string {
  const now = Date.now();
  return (
    JSON.stringify({ version: 1, registry: REGISTRY, username: 'AWS', password, requestedAt: now, expiresAt: now + hours * HOUR }) + '\n'
  );
}

async function cacheOnce(cacheDir: string, password: string, warnings: string[]) {
  const api = fetcher(password, 12 * HOUR, Date.now);
  const result = await cachedToken({ registry: REGISTRY, identityHash: 'id', cacheDir, fetch: api.fetch, warn: (m) => warnings.push(m) });
  return { result, calls: api.calls.length };
}

test('a symlink planted at the cache name is never followed: its target keeps its bytes, the link is replaced by a 0600 file of ours, with a warning', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const cacheDir = join(dir, 'cache');
    await mkdir(cacheDir, { mode: 0o700 });
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious\n');
    const file = tokenCachePath(cacheDir, REGISTRY, 'id');
    await symlink(victim, file);
    // A link to a valid-looking entry is not served either.
    const planted = join(dir, 'planted.json');
    await writeFile(planted, entryText('planted-password'), { mode: 0o600 });
    const other = tokenCachePath(cacheDir, REGISTRY, 'id2');
    await symlink(planted, other);
    assert.is(await freshCachedToken(other, Date.now()), undefined, 'a link to an entry is not a cache hit');
    assert.is(await readCachedToken(other), 'corrupt');

    const warnings: string[] = [];
    const { result, calls } = await cacheOnce(cacheDir, 'fresh-password', warnings);
    assert.is(result.source, 'api');
    assert.is(calls, 1);
    assert.is(await readFile(victim, 'utf8'), 'precious\n', 'the link target was not written');
    const info = await lstat(file);
    assert.ok(info.isFile(), 'the link was replaced by a regular file');
    assert.is(info.mode & 0o777, 0o600);
    assert.is((JSON.parse(await readFile(file, 'utf8')) as { password: string }).password, 'fresh-password');
    assert.is(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /a symbolic link/);
    assert.match(warnings[0]!, /replacing it/);
  } finally {
    await cleanup();
  }
});

test('a FIFO at the cache name is never opened for reading, so it cannot hang the helper; it is replaced with a warning', async () => {
  const { dir, cleanup } = await tempDir();
  const file = tokenCachePath(dir, REGISTRY, 'id');
  assert.is(spawnSync('mkfifo', ['-m', '600', file]).status, 0);
  // If a reader did open the FIFO, this writer would let it go after a few seconds, again and again (and
  // the test would then fail on the warning instead of hanging); with no reader ever, it is killed at the end.
  const writer = spawn('/bin/sh', ['-c', `sleep 3; while :; do : > '${file}'; sleep 0.1; done`], { stdio: 'ignore' });
  try {
    assert.is(await freshCachedToken(file, Date.now()), undefined);
    const warnings: string[] = [];
    const { result } = await cacheOnce(dir, 'fresh-password', warnings);
    assert.is(result.token.password, 'fresh-password');
    assert.ok((await lstat(file)).isFile());
    assert.is(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /a FIFO/);
  } finally {
    writer.kill('SIGKILL');
    await cleanup();
  }
});

test('a socket at the cache name is refused and replaced', async () => {
  const { dir, cleanup } = await tempDir();
  const file = tokenCachePath(dir, REGISTRY, 'id');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(file, resolve));
  try {
    const warnings: string[] = [];
    const { result } = await cacheOnce(dir, 'fresh-password', warnings);
    assert.is(result.source, 'api');
    assert.match(warnings[0] ?? '', /a socket/);
    assert.ok((await lstat(file)).isFile());
  } finally {
    server.close();
    await cleanup();
  }
});

test('a cache file that is group- or world-readable is not served: refused, replaced, 0600 again', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = tokenCachePath(dir, REGISTRY, 'id');
    await writeFile(file, entryText('planted-password'));
    await chmod(file, 0o644);
    assert.is(await freshCachedToken(file, Date.now()), undefined);
    const warnings: string[] = [];
    const { result, calls } = await cacheOnce(dir, 'fresh-password', warnings);
    assert.is(calls, 1);
    assert.is(result.token.password, 'fresh-password');
    assert.match(warnings[0] ?? '', /mode 0644/);
    assert.is((await stat(file)).mode & 0o777, 0o600);
  } finally {
    await cleanup();
  }
});

test('a folder of ours that others can write is not read from; the next miss tightens it to 0700 (DIR_MODE_FIXED)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const open = join(dir, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    const file = tokenCachePath(open, REGISTRY, 'id');
    await writeFile(file, entryText('cached-password'), { mode: 0o600 });
    assert.is(await freshCachedToken(file, Date.now()), undefined, 'not served while others can write the folder');
    const warnings: string[] = [];
    await cacheOnce(open, 'fresh-password', warnings);
    assert.is((await stat(open)).mode & 0o777, 0o700);
    assert.match(warnings.join('\n'), /changed it to 0700/);
  } finally {
    await cleanup();
  }
});

test('a sticky shared folder (1777) is used: our 0600 files are cached and served', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const shared = join(dir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const warnings: string[] = [];
    assert.is((await cacheOnce(shared, 'pw', warnings)).result.source, 'api');
    assert.is((await cacheOnce(shared, 'other', warnings)).result.source, 'cache');
    assert.is((await stat(shared)).mode & 0o7777, 0o1777, 'a shared folder is never tightened');
  } finally {
    await cleanup();
  }
});

test('a stale temporary copy of the token left by a killed writer is removed on the next write', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const orphan = join(dir, `.ecr-${REGISTRY}-id.json.${dead.stdout}.0123456789ab.tmp`);
    await writeFile(orphan, entryText('orphaned-password'), { mode: 0o600 });
    await cacheOnce(dir, 'pw', []);
    assert.equal(await readdir(dir), [`ecr-${REGISTRY}-id.json`]);
  } finally {
    await cleanup();
  }
});

test.run();

/**
 * Two users, one shared sticky cache folder (GLASSBOX_CACHE_DIR=/tmp/...): the other user (uid 65534) plants
 * files at the names this user's cache will use; this process (root) is the victim.
 */
const shared = suite('a cache folder shared with another user');
const sharedTest = OTHER_USER_UNAVAILABLE === undefined ? shared : shared.skip;
if (OTHER_USER_UNAVAILABLE !== undefined) console.log(`  skipped "a cache folder shared with another user": ${OTHER_USER_UNAVAILABLE}`);

sharedTest(
  "another user's planted link and planted token are neither followed nor served; both are replaced by files of ours",
  async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const cacheDir = join(dir, 'shared');
      await mkdir(cacheDir);
      await chmod(cacheDir, 0o1777);
      await chmod(dir, 0o755);
      const victim = join(dir, 'victim.txt');
      await writeFile(victim, 'precious\n', { mode: 0o644 });
      const linkPath = tokenCachePath(cacheDir, REGISTRY, 'id');
      const plantedPath = tokenCachePath(cacheDir, REGISTRY, 'id2');
      shellAsOtherUser(
        `ln -s '${victim}' '${linkPath}' && printf '%s' '${entryText('attacker-password').trim()}' > '${plantedPath}' && chmod 644 '${plantedPath}'`,
      );
      assert.is((await lstat(linkPath)).uid, OTHER_UID);
      assert.is((await lstat(plantedPath)).uid, OTHER_UID);
      assert.is(await freshCachedToken(plantedPath, Date.now()), undefined, "another user's entry is not a cache hit");

      const warnings: string[] = [];
      const first = await cacheOnce(cacheDir, 'our-password', warnings);
      assert.is(first.result.token.password, 'our-password');
      assert.is(await readFile(victim, 'utf8'), 'precious\n');
      const api = fetcher('our-second-password', 12 * HOUR, Date.now);
      const second = await cachedToken({
        registry: REGISTRY,
        identityHash: 'id2',
        cacheDir,
        fetch: api.fetch,
        warn: (m) => warnings.push(m),
      });
      assert.is(second.token.password, 'our-second-password');
      assert.is(api.calls.length, 1);
      for (const path of [linkPath, plantedPath]) {
        const info = await lstat(path);
        assert.ok(info.isFile());
        assert.is(info.uid, 0);
        assert.is(info.mode & 0o777, 0o600);
      }
      assert.match(warnings.join('\n'), /a symbolic link/);
      assert.match(warnings.join('\n'), /owned by another user \(uid 65534\)/);
      assert.not.match(warnings.join('\n'), /attacker-password|our-password/);
    } finally {
      await cleanup();
    }
  },
);

sharedTest('another user cannot make us wait on a lock folder they planted: the token is fetched uncached at once', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const cacheDir = join(dir, 'shared');
    await mkdir(cacheDir);
    await chmod(cacheDir, 0o1777);
    await chmod(dir, 0o755);
    const file = tokenCachePath(cacheDir, REGISTRY, 'id');
    shellAsOtherUser(`mkdir '${file}.lock'`);
    const warnings: string[] = [];
    const { result } = await cacheOnce(cacheDir, 'pw', warnings);
    assert.is(result.source, 'api');
    assert.match(warnings.join('\n'), /lock.*belongs to another user \(uid 65534\)/);
  } finally {
    await cleanup();
  }
});

sharedTest(
  "another user's folder that others can write without the sticky bit is not used: the token is fetched and served, nothing read or written there",
  async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const open = join(dir, 'open');
      await mkdir(open);
      await chmod(open, 0o777);
      await chown(open, OTHER_UID, OTHER_UID); // not ours: never tightened
      const file = tokenCachePath(open, REGISTRY, 'id');
      await writeFile(file, entryText('planted-password'), { mode: 0o600 });
      assert.is(await freshCachedToken(file, Date.now()), undefined, 'not served from an open folder');
      const warnings: string[] = [];
      const { result, calls } = await cacheOnce(open, 'fresh-password', warnings);
      assert.is(result.token.password, 'fresh-password');
      assert.is(calls, 1);
      assert.match(
        warnings.join('\n'),
        /not caching the ECR token: .*belongs to another user \(uid 65534\) and is not a sticky shared folder/,
      );
      assert.is((JSON.parse(await readFile(file, 'utf8')) as { password: string }).password, 'planted-password', 'nothing written there');
    } finally {
      await cleanup();
    }
  },
);

sharedTest(
  'as the user who cannot remove a planted file (uid 65534, not root): it is not served, and the token is served uncached with the reason',
  async () => {
    buildOnce();
    const { dir, cleanup } = await tempDir();
    try {
      await chmod(dir, 0o755);
      const cacheDir = join(dir, 'shared');
      await mkdir(cacheDir);
      await chmod(cacheDir, 0o1777);
      const file = tokenCachePath(cacheDir, REGISTRY, 'id');
      await writeFile(file, entryText('planted-by-root'));
      await chmod(file, 0o644); // readable by the victim, and its content valid: only the owner check refuses it
      const script = `import { cachedToken } from ${JSON.stringify('file://' + distModule('token-cache'))};
      const warnings = [];
      const result = await cachedToken({ registry: process.argv[1], identityHash: 'id', cacheDir: process.argv[2], warn: (m) => warnings.push(m),
        fetch: async () => ({ username: 'AWS', password: 'fetched-password', expiresAt: new Date(Date.now() + 43200000) }) });
      console.log(JSON.stringify({ password: result.token.password, source: result.source, warnings }));`;
      const run = await nodeAsOtherUser(script, [REGISTRY, cacheDir], { PATH: '/usr/bin:/bin', HOME: dir });
      assert.is(run.code, 0, run.stderr);
      const outcome = JSON.parse(run.stdout) as { password: string; source: string; warnings: string[] };
      assert.is(outcome.password, 'fetched-password');
      assert.is(outcome.source, 'api');
      assert.match(outcome.warnings.join('\n'), /owned by another user \(uid 0\)/);
      assert.match(
        outcome.warnings.join('\n'),
        /could not write the token cache .*PERMISSION_DENIED|could not write the token cache .*permission denied/i,
      );
      assert.is((JSON.parse(await readFile(file, 'utf8')) as { password: string }).password, 'planted-by-root', 'not ours to replace');
    } finally {
      await cleanup();
    }
  },
);

shared.run();
