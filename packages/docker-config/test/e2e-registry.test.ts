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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEcrEmulator, type EcrEmulator } from '@glassbox/ecr/emulator';
import { buildOnce, HELPER_BIN, ROOT, tempDir } from './support.ts';

const GLASSBOX_BIN = join(ROOT, 'packages/cli/dist/bin/glassbox.js');
const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ACCESS_KEY_ID = 'AKIDGLASSBOXE2E';
const SECRET_ACCESS_KEY = 'e2e-secret-access-key-never-printed';

function onPath(command: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

const missing = ['docker-registry', 'htpasswd', 'skopeo'].filter((tool) => !onPath(tool));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with a clean environment and stdin, killed after 60 s. */
function run(command: string, args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A one-file ustar archive (POSIX.1-1988 header: 512 bytes, octal fields, checksum over the header). */
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value.padEnd(length, '\0').slice(0, length), offset, 'latin1');
  const octal = (offset: number, length: number, value: number) => field(offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, content.length);
  octal(136, 12, 1_700_000_000);
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** Writes an OCI image layout holding one small image tagged `latest`; returns the manifest digest. */
async function writeOciLayout(dir: string): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  const put = async (data: Buffer) => {
    const digest = sha(data);
    await writeFile(join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: data.length };
  };
  const tar = tarOneFile('hello.txt', Buffer.from('hello from glassbox\n'));
  const layer = await put(gzipSync(tar));
  const config = await put(
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha(tar)}`] } })),
  );
  const manifest = await put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
    }),
  );
  return manifest.digest;
}

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

  // htpasswd reads the password on stdin (-i), never from the command line; -B: bcrypt, which the registry requires.
  const htpasswd = join(dir, 'htpasswd');
  const made = spawnSync('htpasswd', ['-B', '-i', '-c', htpasswd, 'AWS'], { input: context.registryPassword, encoding: 'utf8' });
  assert.is(made.status, 0, made.stderr);

  context.port = await freePort();
  await mkdir(join(dir, 'storage'));
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'storage')}`,
    'http:',
    `  addr: 127.0.0.1:${context.port}`,
    'auth:',
    '  htpasswd:',
    '    realm: glassbox-e2e',
    `    path: ${htpasswd}`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'registry.yml'), config);
  context.registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let registryLog = '';
  context.registry.stderr?.on('data', (chunk: Buffer) => (registryLog += chunk.toString()));
  let ready = false;
  for (let attempt = 0; attempt < 300 && !ready; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${context.port}/v2/`);
      ready = response.status === 401;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  assert.ok(ready, `the registry did not start: ${registryLog}`);

  context.layout = join(dir, 'layout');
  context.manifestDigest = await writeOciLayout(context.layout);
  await writeFile(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  await writeFile(join(dir, 'registries.conf'), '');
  await mkdir(join(dir, 'home'));
  await mkdir(join(dir, 'run'), { mode: 0o700 });
});

e2e.after(async (context) => {
  if (missing.length > 0) return;
  context.registry?.kill();
  await context.emulator?.close();
  await context.cleanup?.();
});

/** skopeo with only our files: no auth.json from the machine, our policy, an empty registries.conf. */
function skopeo(context: Context, args: string[], env: Record<string, string>): Promise<Run> {
  return run(
    'skopeo',
    ['--policy', join(context.dir, 'policy.json'), '--registries-conf', join(context.dir, 'registries.conf'), ...args],
    {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: join(context.dir, 'home'),
      XDG_RUNTIME_DIR: join(context.dir, 'run'),
      XDG_CONFIG_HOME: join(context.dir, 'home', '.config'),
      ...env,
    },
  );
}

function glassboxLogin(context: Context, configDir: string): Promise<Run> {
  return run(
    process.execPath,
    [GLASSBOX_BIN, 'ecr', 'login', '--registry', `127.0.0.1:${context.port}`, '--region', 'eu-west-1', '--endpoint-url', context.emulator.url, '--docker-config', configDir],
    {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: join(context.dir, 'home'),
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(context.dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(context.dir, 'no-aws-credentials'),
    },
  );
}

if (missing.length > 0) {
  const reason = `needs ${missing.join(', ')} (Debian: docker-registry apache2-utils skopeo; .ci/run installs them)`;
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
    const copy = await skopeo(context, ['copy', '--dest-tls-verify=false', `oci:${context.layout}:latest`, target], { DOCKER_CONFIG: configDir });
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
      const copy = await skopeo(context, ['copy', '--dest-tls-verify=false', `oci:${context.layout}:latest`, target], { DOCKER_CONFIG: configDir });
      assert.is.not(copy.code, 0);
      assert.match(copy.stderr, /unauthorized|authentication required/i);
    } finally {
      context.issued.password = context.registryPassword;
    }
  });

  e2e('credHelpers → docker-credential-glassbox: skopeo gets the ECR host\'s password from our helper', async (context) => {
    const configDir = join(context.dir, 'docker-helper');
    await mkdir(configDir, { mode: 0o700 });
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ credHelpers: { [ECR_HOST]: 'glassbox' } }), { mode: 0o600 });
    // Docker and skopeo find helpers on PATH as docker-credential-<name>.
    const bin = join(context.dir, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'docker-credential-glassbox'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HELPER_BIN)} "$@"\n`);
    await chmod(join(bin, 'docker-credential-glassbox'), 0o755);
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
