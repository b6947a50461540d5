/**
 * Registry aliases through the helper as Docker runs it: the built bin as a subprocess, the host on stdin,
 * the local ECR emulator (a real HTTP server on 127.0.0.1) as the AWS endpoint.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { helperSuite } from './support/helper/helper-suite.ts';
import { runHelper } from './support/helper/process.ts';

const ACCESS_KEY_ID = 'AKIDGLASSBOXALIAS';
const SECRET_ACCESS_KEY = 'alias-test-secret-access-key-do-not-print';
const PASSWORD = 'emulator-issued-alias-password';
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const OTHER = '123456789012.dkr.ecr.us-east-2.amazonaws.com';
const ALIASED = '127.0.0.1:5000';
const NOT_FOUND = 'credentials not found in native keychain';

const alias = helperSuite('docker-credential-glassbox with registry aliases', {
  credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }],
  password: PASSWORD,
});

async function writeAliasFile(dir: string, registryAliases: unknown): Promise<void> {
  await mkdir(join(dir, '.config', 'glassbox'), { recursive: true });
  await writeFile(join(dir, '.config', 'glassbox', 'config.json'), JSON.stringify({ registryAliases }));
}

/** The registry hosts the cache holds tokens for (file names are `ecr-<host>-<identity>.json`). */
async function cachedRegistries(env: Record<string, string>): Promise<string[]> {
  const names = await readdir(env['GLASSBOX_CACHE_DIR']!).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.json')).map((name) => name.replace(/^ecr-/, '').replace(/-[0-9a-f]{16}\.json$/, ''));
}

alias('without an alias, 127.0.0.1:5000 is not ECR: "not found" and no API call', async ({ emulator, env }) => {
  const run = await runHelper(['get'], ALIASED, env);
  assert.is(run.code, 1);
  assert.is(run.stdout, `${NOT_FOUND}\n`);
  assert.is(emulator.calls.length, 0);
});

alias("an aliased host gets its registry's token; the alias and the real name share one cache entry", async ({ emulator, env }) => {
  const withAlias = { ...env, GLASSBOX_REGISTRY_ALIASES: `${ALIASED}=${HOST}` };
  const first = await runHelper(['get'], ALIASED, withAlias);
  assert.is(first.code, 0, first.stdout + first.stderr);
  // ServerURL echoes what Docker sent, not the registry it maps to.
  assert.equal(JSON.parse(first.stdout), { ServerURL: ALIASED, Username: 'AWS', Secret: PASSWORD });
  assert.match(first.stderr, `alias ${ALIASED} -> ${HOST} (from env)`);
  assert.is(emulator.calls.length, 1);
  assert.equal(await cachedRegistries(env), [HOST]);

  const real = await runHelper(['get'], `https://${HOST}`, withAlias);
  assert.is(real.code, 0, real.stdout + real.stderr);
  assert.equal(JSON.parse(real.stdout), { ServerURL: `https://${HOST}`, Username: 'AWS', Secret: PASSWORD });
  const again = await runHelper(['get'], `http://${ALIASED}/v2/`, withAlias);
  assert.is(JSON.parse(again.stdout).ServerURL, `http://${ALIASED}/v2/`);
  assert.is(again.stderr, '', 'a cache hit is quiet');
  assert.is(emulator.calls.length, 1, 'the real name and the alias were answered from one cached token');
  for (const run of [first, real, again]) assert.not.ok((run.stdout + run.stderr).includes(SECRET_ACCESS_KEY));

  // A port the alias does not name is still not ECR.
  const otherPort = await runHelper(['get'], '127.0.0.1:5001', withAlias);
  assert.is(otherPort.stdout, `${NOT_FOUND}\n`);
});

alias('the config file supplies aliases; the environment wins for the same host', async ({ dir, emulator, env }) => {
  await writeAliasFile(dir, { [ALIASED]: { account: '123456789012', region: 'us-east-2' }, 'registry.corp.example': OTHER });
  const fromFile = await runHelper(['get'], 'registry.corp.example', env);
  assert.is(fromFile.code, 0, fromFile.stdout + fromFile.stderr);
  assert.match(fromFile.stderr, `alias registry.corp.example -> ${OTHER} (from file)`);

  const overridden = await runHelper(['get'], ALIASED, { ...env, GLASSBOX_REGISTRY_ALIASES: `${ALIASED}=${HOST}` });
  assert.is(overridden.code, 0, overridden.stdout + overridden.stderr);
  assert.match(overridden.stderr, `alias ${ALIASED} -> ${HOST} (from env)`);
  assert.equal((await cachedRegistries(env)).sort(), [OTHER, HOST].sort());
  assert.is(emulator.calls.length, 2);

  // Without the variable the file's mapping applies, and its token (us-east-2) is already cached.
  const fileOnly = await runHelper(['get'], ALIASED, env);
  assert.is(fileOnly.code, 0, fileOnly.stdout + fileOnly.stderr);
  assert.is(emulator.calls.length, 2);
});

alias('with XDG_CONFIG_HOME set, the config file is read from there (and not from ~/.config)', async ({ dir, env }) => {
  await writeAliasFile(dir, { [ALIASED]: HOST });
  const xdg = join(dir, 'xdg');
  await mkdir(join(xdg, 'glassbox'), { recursive: true });
  await writeFile(join(xdg, 'glassbox', 'config.json'), JSON.stringify({ registryAliases: { 'mirror.example': HOST } }));
  const viaXdg = await runHelper(['get'], 'mirror.example', { ...env, XDG_CONFIG_HOME: xdg });
  assert.is(viaXdg.code, 0, viaXdg.stdout + viaXdg.stderr);
  assert.match(viaXdg.stderr, `alias mirror.example -> ${HOST} (from file)`);
  const homeOnly = await runHelper(['get'], ALIASED, { ...env, XDG_CONFIG_HOME: xdg });
  assert.is(homeOnly.stdout, `${NOT_FOUND}\n`);
});

alias("a VPC endpoint name is ECR without an alias: its region's token, cached under the endpoint name", async ({ emulator, env }) => {
  const endpoint = 'vpce-0a1b2c3d4e5f67890-abcd1234.dkr.ecr.eu-west-1.vpce.amazonaws.com';
  const run = await runHelper(['get'], `https://${endpoint}`, env);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.equal(JSON.parse(run.stdout), { ServerURL: `https://${endpoint}`, Username: 'AWS', Secret: PASSWORD });
  assert.equal(await cachedRegistries(env), [endpoint]);
  assert.is(emulator.calls.length, 1);
});

alias('a malformed alias is an error on stdout naming the entry (exit 1), before any API call', async ({ dir, emulator, env }) => {
  const bad = await runHelper(['get'], HOST, { ...env, GLASSBOX_REGISTRY_ALIASES: `${ALIASED}=registry.corp.example` });
  assert.is(bad.code, 1);
  assert.match(bad.stdout, `"${ALIASED}=registry.corp.example"`);
  assert.match(bad.stdout, 'not an Amazon ECR registry host');

  await writeAliasFile(dir, { [ALIASED]: { account: '123', region: 'eu-west-1' } });
  const badFile = await runHelper(['get'], ALIASED, env);
  assert.is(badFile.code, 1);
  assert.match(badFile.stdout, join(dir, '.config', 'glassbox', 'config.json'));
  assert.match(badFile.stdout, `"${ALIASED}" needs "account"`);
  assert.is(emulator.calls.length, 0);
});

alias('list includes aliased hosts whose registry has a cached token; store and erase accept them', async ({ emulator, env }) => {
  const withAlias = { ...env, GLASSBOX_REGISTRY_ALIASES: `${ALIASED}=${HOST},mirror.example=${OTHER}` };
  assert.is((await runHelper(['list'], '', withAlias)).stdout, '{}\n');
  await runHelper(['get'], HOST, withAlias);
  const list = await runHelper(['list'], '', withAlias);
  assert.is(list.code, 0, list.stdout);
  assert.equal(JSON.parse(list.stdout), { [HOST]: 'AWS', [ALIASED]: 'AWS' });

  const store = await runHelper(['store'], JSON.stringify({ ServerURL: ALIASED, Username: 'AWS', Secret: 'ignored' }), withAlias);
  assert.is(store.code, 0, store.stdout);
  assert.is((await runHelper(['erase'], ALIASED, withAlias)).code, 0);
  assert.is((await runHelper(['erase'], ALIASED, env)).stdout, `${NOT_FOUND}\n`);
  assert.is(emulator.calls.length, 1);
});

alias('GLASSBOX_LOG records the alias on every get, the warm ones included', async ({ dir, env }) => {
  const log = join(dir, 'helper.log');
  const withAlias = { ...env, GLASSBOX_REGISTRY_ALIASES: `${ALIASED}=${HOST}`, GLASSBOX_LOG: log };
  await runHelper(['get'], ALIASED, withAlias);
  await runHelper(['get'], ALIASED, withAlias);
  const lines = (await readFile(log, 'utf8')).split('\n').filter((line) => line.includes(`alias ${ALIASED} -> ${HOST} (from env)`));
  assert.is(lines.length, 2);
  assert.not.ok((await readFile(log, 'utf8')).includes(PASSWORD));
});

alias.run();
