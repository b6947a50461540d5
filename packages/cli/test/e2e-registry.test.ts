/**
 * End to end with real components (issue 4 §3): the CNCF distribution registry (`docker-registry`, from
 * Debian) with htpasswd auth whose password our ECR emulator issues, `glassbox ecr login` writing Docker's
 * config.json, and skopeo — a real OCI client that reads that file — pushing a small OCI image built here
 * and inspecting it. Then the credential-helper route: `credHelpers` names `glassbox` for an ECR-shaped
 * host, and skopeo runs docker-credential-glassbox exactly as Docker would.
 *
 * The ECR-shaped host is never resolved: skopeo (Go net/http) is given HTTP_PROXY and HTTPS_PROXY naming
 * the registry on 127.0.0.1. Its HTTPS attempt (a CONNECT the registry refuses) fails, skopeo falls back to
 * plain HTTP as `--tls-verify=false` allows, and sends `GET http://<ecr host>/v2/...` to the "proxy" — the
 * registry, which serves absolute-form requests by path. Every connection goes to 127.0.0.1.
 *
 * Needs /usr/bin/docker-registry, htpasswd (apache2-utils) and skopeo: .ci/run installs them. Without them
 * the tests are skipped with the reason printed, unless CI is set, where that is a failure.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEcrEmulator, type EcrEmulator } from '@glassbox/ecr/emulator';
import { buildOnce, ROOT, tempDir } from './support/helper/paths.ts';
import { installHelper, run, type Run } from './support/helper/process.ts';
import { MISSING_REASON, MISSING_TOOLS as missing, startRegistry, writeOciLayout, writeSkopeoFiles } from './support/helper/registry.ts';

const GLASSBOX_BIN = join(ROOT, 'packages/cli/dist/bin/glassbox.js');
const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ACCESS_KEY_ID = 'AKIDGLASSBOXE2E';
const SECRET_ACCESS_KEY = 'e2e-secret-access-key-never-printed';

interface Context {
  dir: string;
  cleanup: () => Promise<void>;
  emulator: EcrEmulator;
  /** What the emulator issues; the registry accepts only `registryPassword`. */
  issued: { password: string };
  registryPassword: string;
  registry: ChildProcess;
  port: number;
  layout: string;
  manifestDigest: string;
}

const e2e = suite<Context>('end to end: registry + emulator + skopeo');

e2e.before(async (context) => {
  if (missing.length > 0) return;
  buildOnce();
  const { dir, cleanup } = await tempDir('glassbox-e2e-');
  context.dir = dir;
  context.cleanup = cleanup;
  context.registryPassword = randomBytes(24).toString('base64url');
  context.issued = { password: context.registryPassword };
  context.emulator = await startEcrEmulator({
    credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }],
    tokenFor: () => context.issued.password,
  });

  const registry = await startRegistry(dir, context.registryPassword, 'glassbox-e2e');
  context.registry = registry.process;
  context.port = registry.port;

  context.layout = join(dir, 'layout');
  context.manifestDigest = await writeOciLayout(context.layout, 'hello.txt', 'hello from glassbox\n');
  await writeSkopeoFiles(dir);
  await mkdir(join(dir, 'home'));
});

e2e.after(async (context) => {
  if (missing.length > 0) return;
  context.registry?.kill();
  await context.emulator?.close();
  await context.cleanup?.();
});

/** skopeo with only our files: no auth.json from the machine, our policy, an empty registries.conf. */
function skopeo(context: Context, args: string[], env: Record<string, string>): Promise<Run> {
  return run('skopeo', ['--policy', join(context.dir, 'policy.json'), '--registries-conf', join(context.dir, 'registries.conf'), ...args], {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(context.dir, 'home'),
    XDG_RUNTIME_DIR: join(context.dir, 'run'),
    XDG_CONFIG_HOME: join(context.dir, 'home', '.config'),
    ...env,
  });
}

function glassboxLogin(context: Context, configDir: string): Promise<Run> {
  return run(
    process.execPath,
    [
      GLASSBOX_BIN,
      'ecr',
      'login',
      '--registry',
      `127.0.0.1:${context.port}`,
      '--region',
      'eu-west-1',
      '--endpoint-url',
      context.emulator.url,
      '--docker-config',
      configDir,
    ],
    {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: join(context.dir, 'home'),
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(context.dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(context.dir, 'no-aws-credentials'),
      // The local registry stands in for ECR: declared as an alias, since `ecr login` refuses any other host.
      GLASSBOX_REGISTRY_ALIASES: `127.0.0.1:${context.port}=123456789012.dkr.ecr.eu-west-1.amazonaws.com`,
    },
  );
}

if (missing.length > 0) {
  const reason = MISSING_REASON;
  if (process.env['CI']) {
    e2e('the end-to-end tools are installed', () => assert.unreachable(reason));
  } else {
    console.log(`\n  skipping the registry end-to-end tests: ${reason}`);
    e2e.skip('glassbox ecr login + skopeo push/inspect against a real registry', () => undefined);
  }
} else {
  e2e('glassbox ecr login writes config.json; skopeo pushes an image and inspects it through that file', async (context) => {
    const configDir = join(context.dir, 'docker-login');
    const login = await glassboxLogin(context, configDir);
    assert.is(login.code, 0, login.stdout + login.stderr);
    assert.not.ok((login.stdout + login.stderr).includes(SECRET_ACCESS_KEY));
    const written = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.is(written.auths[`127.0.0.1:${context.port}`]?.auth, Buffer.from(`AWS:${context.registryPassword}`).toString('base64'));

    const target = `docker://127.0.0.1:${context.port}/glassbox/login:1`;
    const copy = await skopeo(context, ['copy', '--dest-tls-verify=false', `oci:${context.layout}:latest`, target], {
      DOCKER_CONFIG: configDir,
    });
    assert.is(copy.code, 0, copy.stderr);
    const inspect = await skopeo(context, ['inspect', '--tls-verify=false', target], { DOCKER_CONFIG: configDir });
    assert.is(inspect.code, 0, inspect.stderr);
    assert.is((JSON.parse(inspect.stdout) as { Digest: string }).Digest, context.manifestDigest);
  });

  e2e('the same push fails when the emulator issues a password the registry does not accept', async (context) => {
    context.issued.password = 'not-the-registry-password';
    try {
      const configDir = join(context.dir, 'docker-wrong');
      const login = await glassboxLogin(context, configDir);
      assert.is(login.code, 0, login.stdout + login.stderr);
      const target = `docker://127.0.0.1:${context.port}/glassbox/wrong:1`;
      const copy = await skopeo(context, ['copy', '--dest-tls-verify=false', `oci:${context.layout}:latest`, target], {
        DOCKER_CONFIG: configDir,
      });
      assert.is.not(copy.code, 0);
      assert.match(copy.stderr, /unauthorized|authentication required/i);
    } finally {
      context.issued.password = context.registryPassword;
    }
  });

  e2e("credHelpers → docker-credential-glassbox: skopeo gets the ECR host's password from our helper", async (context) => {
    const configDir = join(context.dir, 'docker-helper');
    await mkdir(configDir, { mode: 0o700 });
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ credHelpers: { [ECR_HOST]: 'glassbox' } }), { mode: 0o600 });
    // Docker and skopeo find helpers on PATH as docker-credential-<name>.
    const bin = join(context.dir, 'bin');
    await installHelper(bin);
    const proxy = `http://127.0.0.1:${context.port}`;
    const helperEnv = (cacheDir: string): Record<string, string> => ({
      DOCKER_CONFIG: configDir,
      PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      HTTP_PROXY: proxy,
      HTTPS_PROXY: proxy,
      // The helper's own call to the emulator must not go through that "proxy".
      NO_PROXY: '127.0.0.1',
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(context.dir, 'no-aws-config'),
      AWS_ENDPOINT_URL_ECR: context.emulator.url,
      GLASSBOX_CACHE_DIR: cacheDir,
    });
    context.emulator.resetCalls();
    const target = `docker://${ECR_HOST}/glassbox/helper:1`;
    const env = helperEnv(join(context.dir, 'cache-ok'));
    const copy = await skopeo(context, ['copy', '--dest-tls-verify=false', `oci:${context.layout}:latest`, target], env);
    assert.is(copy.code, 0, copy.stderr);
    const inspect = await skopeo(context, ['inspect', '--tls-verify=false', target], env);
    assert.is(inspect.code, 0, inspect.stderr);
    assert.is((JSON.parse(inspect.stdout) as { Digest: string }).Digest, context.manifestDigest);
    assert.is(context.emulator.served, 1, 'one GetAuthorizationToken call; every later get was a cache hit');
    assert.not.ok((copy.stderr + inspect.stderr + inspect.stdout).includes(SECRET_ACCESS_KEY));

    // Shown to fail: a fresh cache and a password the registry does not accept.
    context.issued.password = 'not-the-registry-password';
    try {
      const wrong = await skopeo(context, ['inspect', '--tls-verify=false', target], helperEnv(join(context.dir, 'cache-wrong')));
      assert.is.not(wrong.code, 0);
      assert.match(wrong.stderr, /unauthorized|authentication required/i);
    } finally {
      context.issued.password = context.registryPassword;
    }
  });
}

e2e.run();
