import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cachedToken, credentialIdentity, isFresh, isStillValid, tokenCacheDir, tokenCachePath, type CachedToken } from '../src/token-cache.ts';
import { tempDir } from './support.ts';

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

test('the identity stays the same while a profile\'s source keys rotate, and changes with the role', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const configFile = join(dir, 'config');
    const credentialsFile = join(dir, 'credentials');
    await writeFile(configFile, '[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/ci\nsource_profile = base\nregion = eu-west-1\n[profile other]\nrole_arn = arn:aws:iam::111122223333:role/x\n');
    const env = { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, HOME: dir };
    await writeFile(credentialsFile, '[base]\naws_access_key_id = ASIAFIRST\naws_secret_access_key = first-secret\naws_session_token = tok1\n');
    const first = credentialIdentity(env);
    // A login tool (saml2aws, gimme-aws-creds) rewrites the source profile's temporary keys every hour.
    await writeFile(credentialsFile, '[base]\naws_access_key_id = ASIASECOND\naws_secret_access_key = second-secret\naws_session_token = tok2\n');
    assert.is(credentialIdentity(env).hash, first.hash);
    assert.match(first.description, /profile=dev/);
    assert.match(first.description, /role_arn=arn:aws:iam::111122223333:role\/ci/);
    assert.match(first.hash, /^[0-9a-f]{16}$/);

    await writeFile(configFile, '[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/admin\nsource_profile = base\n');
    assert.is.not(credentialIdentity(env).hash, first.hash);
    assert.is.not(credentialIdentity({ ...env, AWS_PROFILE: 'other' }).hash, credentialIdentity(env).hash);
    // Environment keys come first in the chain, AWS_PROFILE notwithstanding.
    assert.is(credentialIdentity({ ...env, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's' }).description, 'env-access-key=AKIDENV');
  } finally {
    await cleanup();
  }
});

test('the identity never contains a secret, even one written in the config file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const configFile = join(dir, 'config');
    await writeFile(configFile, '[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret-value\naws_session_token = config-session-value\n');
    const fromProfile = credentialIdentity({ AWS_CONFIG_FILE: configFile, HOME: dir });
    assert.match(fromProfile.description, /aws_access_key_id=AKIDCONFIG/);
    assert.not.match(fromProfile.description, /config-secret-value|config-session-value/);
    const fromEnv = credentialIdentity({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret-value', AWS_SESSION_TOKEN: 'env-session', HOME: dir });
    assert.is(fromEnv.description, 'env-access-key=AKIDENV');
  } finally {
    await cleanup();
  }
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
    const result = await cachedToken({ registry: REGISTRY, identityHash: 'id1', cacheDir: dir, fetch: api.fetch, warn: (m) => warnings.push(m) });
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
    const stale = await cachedToken({ registry: REGISTRY, identityHash: 'id', cacheDir: dir, fetch: failing, warn: (m) => warnings.push(m), now });
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
    assert.equal(results.map((r) => r.token.password), ['shared', 'shared', 'shared', 'shared']);
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
    const result = await cachedToken({ registry: REGISTRY, identityHash: 'id', cacheDir: blocked, fetch: api.fetch, warn: (m) => warnings.push(m) });
    assert.is(result.source, 'api');
    assert.is(result.token.password, 'uncached-pw');
    assert.is(warnings.length, 1);
    assert.match(warnings[0]!, /not caching the ECR token: .*GLASSBOX_CACHE_DIR/);
    assert.not.match(warnings[0]!, /uncached-pw/);
  } finally {
    await cleanup();
  }
});

test.run();
