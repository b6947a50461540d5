/**
 * Registry aliases end to end with real components (issue 8): the CNCF distribution registry
 * (`docker-registry`) on 127.0.0.1:PORT with htpasswd auth whose password our ECR emulator issues, a Docker
 * config whose `credHelpers` sends `127.0.0.1:PORT` to `glassbox`, and skopeo — a real OCI client that honours
 * `credHelpers` and passes `host:port` to the helper — pushing and inspecting an image. The host is not
 * ECR-shaped, so it works only through an alias to an ECR registry (`GLASSBOX_REGISTRY_ALIASES` or the Glassbox
 * config file); without one the helper answers "not found", skopeo goes anonymous and the registry refuses it.
 *
 * Needs /usr/bin/docker-registry, htpasswd (apache2-utils) and skopeo (.ci/run installs them); without them the
 * tests are skipped with the reason printed, unless CI is set, where that is a failure. The registry, process and
 * OCI-layout helpers are shared with e2e-registry.test.ts (support/helper/registry.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEcrEmulator, type EcrEmulator } from '@glassbox/ecr/emulator';
import { buildOnce, tempDir } from './support/helper/paths.ts';
import { installHelper, run, type Run } from './support/helper/process.ts';
import { MISSING_REASON, MISSING_TOOLS as missing, startRegistry, writeOciLayout, writeSkopeoFiles } from './support/helper/registry.ts';

const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ACCESS_KEY_ID = 'AKIDGLASSBOXALIASE2E';
const SECRET_ACCESS_KEY = 'alias-e2e-secret-access-key-never-printed';

interface Context {
  dir: string;
  cleanup: () => Promise<void>;
  emulator: EcrEmulator;
  registry: ChildProcess;
  /** `127.0.0.1:PORT`: the registry, as skopeo names it and as credHelpers keys it. */
  registryHost: string;
  layout: string;
  manifestDigest: string;
  configDir: string;
  bin: string;
}

const e2e = suite<Context>('end to end: an aliased registry host through credHelpers + skopeo');

e2e.before(async (context) => {
  if (missing.length > 0) return;
  buildOnce();
  const { dir, cleanup } = await tempDir('glassbox-e2e-alias-');
  context.dir = dir;
  context.cleanup = cleanup;
  const password = randomBytes(24).toString('base64url');
  context.emulator = await startEcrEmulator({
    credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }],
    password,
  });

  const registry = await startRegistry(dir, password, 'glassbox-e2e-alias');
  context.registry = registry.process;
  context.registryHost = registry.host;

  context.layout = join(dir, 'layout');
  context.manifestDigest = await writeOciLayout(context.layout, 'alias.txt', 'served through a registry alias\n');
  await writeSkopeoFiles(dir);

  // The Docker config: only credHelpers, sending the registry's host:port to docker-credential-glassbox.
  context.configDir = join(dir, 'docker');
  await mkdir(context.configDir, { mode: 0o700 });
  await writeFile(join(context.configDir, 'config.json'), JSON.stringify({ credHelpers: { [context.registryHost]: 'glassbox' } }), {
    mode: 0o600,
  });
  // skopeo (like Docker) finds helpers on PATH as docker-credential-<name>.
  context.bin = join(dir, 'bin');
  await installHelper(context.bin);
});

e2e.after(async (context) => {
  if (missing.length > 0) return;
  context.registry?.kill();
  await context.emulator?.close();
  await context.cleanup?.();
});

/**
 * skopeo with only our files, its environment passed on to the helper it runs: a home of its own (so the
 * Glassbox config file is `<home>/.config/glassbox/config.json`), the emulator as the ECR endpoint, a cache of its own.
 */
async function skopeo(context: Context, name: string, args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const home = join(context.dir, `home-${name}`);
  await mkdir(home, { recursive: true });
  return run('skopeo', ['--policy', join(context.dir, 'policy.json'), '--registries-conf', join(context.dir, 'registries.conf'), ...args], {
    PATH: `${context.bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_RUNTIME_DIR: join(context.dir, 'run'),
    DOCKER_CONFIG: context.configDir,
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(context.dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(context.dir, 'no-aws-credentials'),
    AWS_ENDPOINT_URL_ECR: context.emulator.url,
    NO_PROXY: '127.0.0.1',
    GLASSBOX_CACHE_DIR: join(context.dir, `cache-${name}`),
    ...extra,
  });
}

/** Pushes the layout to `repository:1`, then inspects it; both through the helper. */
async function pushAndInspect(
  context: Context,
  name: string,
  repository: string,
  extra: Record<string, string> = {},
): Promise<{ copy: Run; inspect: Run }> {
  const target = `docker://${context.registryHost}/${repository}:1`;
  const copy = await skopeo(context, name, ['copy', '--dest-tls-verify=false', `oci:${context.layout}:latest`, target], extra);
  const inspect = await skopeo(context, name, ['inspect', '--tls-verify=false', target], extra);
  return { copy, inspect };
}

if (missing.length > 0) {
  const reason = MISSING_REASON;
  if (process.env['CI']) {
    e2e('the end-to-end tools are installed', () => assert.unreachable(reason));
  } else {
    console.log(`\n  skipping the registry-alias end-to-end tests: ${reason}`);
    e2e.skip('skopeo reads an image from an aliased host through docker-credential-glassbox', () => undefined);
  }
} else {
  e2e('without an alias the helper has nothing for 127.0.0.1:PORT: skopeo goes anonymous and is refused', async (context) => {
    const before = context.emulator.calls.length;
    const { copy, inspect } = await pushAndInspect(context, 'none', 'glassbox/none');
    assert.is.not(copy.code, 0);
    assert.match(copy.stderr, /unauthorized|authentication required/i);
    assert.is.not(inspect.code, 0);
    assert.is(context.emulator.calls.length, before, 'no token was asked for');
  });

  e2e('GLASSBOX_REGISTRY_ALIASES maps 127.0.0.1:PORT to an ECR registry: skopeo pushes and inspects with its token', async (context) => {
    const before = context.emulator.calls.length;
    const { copy, inspect } = await pushAndInspect(context, 'env', 'glassbox/env', {
      GLASSBOX_REGISTRY_ALIASES: `${context.registryHost}=${ECR_HOST}`,
    });
    assert.is(copy.code, 0, copy.stderr);
    assert.is(inspect.code, 0, inspect.stderr);
    assert.is((JSON.parse(inspect.stdout) as { Digest: string }).Digest, context.manifestDigest);
    assert.is(context.emulator.calls.length - before, 1, 'one GetAuthorizationToken call; every later get was a cache hit');
    // The token is cached under the registry the alias names, not under 127.0.0.1.
    const cached = await readdir(join(context.dir, 'cache-env'));
    assert.ok(cached.length === 1 && cached[0]!.startsWith(`ecr-${ECR_HOST}-`), cached.join(', '));
    assert.not.ok((copy.stderr + inspect.stderr + inspect.stdout).includes(SECRET_ACCESS_KEY));
  });

  e2e("the Glassbox config file's registryAliases ({ account, region }) works the same way", async (context) => {
    const home = join(context.dir, 'home-file');
    await mkdir(join(home, '.config', 'glassbox'), { recursive: true });
    const aliases = { registryAliases: { [context.registryHost]: { account: '123456789012', region: 'eu-west-1' } } };
    await writeFile(join(home, '.config', 'glassbox', 'config.json'), JSON.stringify(aliases));
    const { copy, inspect } = await pushAndInspect(context, 'file', 'glassbox/file');
    assert.is(copy.code, 0, copy.stderr);
    assert.is(inspect.code, 0, inspect.stderr);
    assert.is((JSON.parse(inspect.stdout) as { Digest: string }).Digest, context.manifestDigest);
    const cached = await readdir(join(context.dir, 'cache-file'));
    assert.ok(cached.length === 1 && cached[0]!.startsWith(`ecr-${ECR_HOST}-`), cached.join(', '));
  });
}

e2e.run();
