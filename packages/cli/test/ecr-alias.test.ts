import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EcrEmulator } from '@glassbox/ecr/emulator';
import { runGlassbox } from './run-bin.ts';
import { startEcrSetup, stopEcrSetup, type EcrSetup } from './support/ecr-emulator.ts';

const keys = { accessKeyId: 'AKIAECRALIASTEST0001', secretAccessKey: 'ecr-alias-test-secret-00000000000000000000' };
const PASSWORD = 'alias-cli-registry-password';
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ALIASED = 'registry.corp.example';
const test = suite('glassbox ecr login / configure-helper with registry aliases');
let emulator: EcrEmulator;
let home: EcrSetup['home'];
let env: Record<string, string>;

test.before.each(async () => {
  ({ emulator, home, env } = await startEcrSetup(keys, PASSWORD));
});
test.after.each(() => stopEcrSetup({ emulator, home }));

test('login --registry ALIASED takes the region from the alias target and writes the auth for the aliased host', async () => {
  // No --region and no AWS_REGION: only the alias can say eu-west-1.
  const without = await runGlassbox(['ecr', 'login', '--registry', ALIASED, '--endpoint-url', emulator.url], { env });
  assert.is(without.code, 2, without.stderr);
  assert.is(emulator.served, 0);

  const aliased = { ...env, GLASSBOX_REGISTRY_ALIASES: `${ALIASED}=${REGISTRY}` };
  const run = await runGlassbox(['--debug', 'ecr', 'login', '--registry', ALIASED, '--endpoint-url', emulator.url], { env: aliased });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, 'Login Succeeded\n');
  assert.match(run.stderr, `alias ${ALIASED} -> ${REGISTRY} (from env)`);
  assert.match(run.stderr, /\/eu-west-1\/ecr\/aws4_request/);
  const config = JSON.parse(readFileSync(join(home.path, 'docker', 'config.json'), 'utf8'));
  assert.equal(Object.keys(config.auths), [ALIASED]);
  assert.is(Buffer.from(config.auths[ALIASED].auth, 'base64').toString(), `AWS:${PASSWORD}`);
  assert.not.ok(run.stderr.includes(PASSWORD));
});

test('configure-helper accepts an aliased host from the config file without the not-ECR warning, and says where it points', async () => {
  mkdirSync(join(home.path, '.config', 'glassbox'), { recursive: true });
  writeFileSync(join(home.path, '.config', 'glassbox', 'config.json'), JSON.stringify({ registryAliases: { '127.0.0.1:5000': REGISTRY } }));
  const run = await runGlassbox(['ecr', 'configure-helper', '--registry', '127.0.0.1:5000'], { env });
  assert.is(run.code, 0, run.stderr);
  assert.not.match(run.stderr, /warning/);
  assert.match(run.stderr, `alias 127.0.0.1:5000 -> ${REGISTRY} (from file)`);
  const config = JSON.parse(readFileSync(join(home.path, 'docker', 'config.json'), 'utf8'));
  assert.equal(config.credHelpers, { '127.0.0.1:5000': 'glassbox' });

  const json = await runGlassbox(['ecr', 'configure-helper', '--registry', '127.0.0.1:5000', '--registry', '127.0.0.1:6000', '--json'], {
    env,
  });
  assert.is(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as Array<{ registry: string; alias?: { to: string; source: string } }>;
  assert.equal(
    report.map((r) => [r.registry, r.alias]),
    [
      ['127.0.0.1:5000', { to: REGISTRY, source: 'file' }],
      ['127.0.0.1:6000', undefined],
    ],
  );
  assert.match(json.stderr, /127\.0\.0\.1:6000 is not an Amazon ECR host and has no registry alias/);
});

test('a malformed alias is a usage error (exit 2) naming the entry, and config.json is left alone', async () => {
  const bad = { ...env, GLASSBOX_REGISTRY_ALIASES: `${ALIASED}=${REGISTRY}.example.com` };
  const run = await runGlassbox(['ecr', 'configure-helper', '--registry', ALIASED], { env: bad });
  assert.is(run.code, 2, run.stderr);
  assert.match(run.stderr, `"${ALIASED}=${REGISTRY}.example.com"`);
  assert.not.ok(existsSync(join(home.path, 'docker', 'config.json')));
  const login = await runGlassbox(['ecr', 'login', '--registry', ALIASED, '--region', 'eu-west-1', '--endpoint-url', emulator.url], {
    env: bad,
  });
  assert.is(login.code, 2, login.stderr);
  assert.is(emulator.served, 0);
});

test.run();
