/**
 * Registry aliases end to end with real components (issue 8): the CNCF distribution registry
 * (`docker-registry`) on 127.0.0.1:PORT with htpasswd auth whose password our ECR emulator issues, a Docker
 * config whose `credHelpers` sends `127.0.0.1:PORT` to `glassbox`, and skopeo — a real OCI client that honours
 * `credHelpers` and passes `host:port` to the helper — pushing and inspecting an image. The host is not
 * ECR-shaped, so it works only through an alias to an ECR registry (`GLASSBOX_REGISTRY_ALIASES` or the Glassbox
 * config file); without one the helper answers "not found", skopeo goes anonymous and the registry refuses it.
 *
 * Needs /usr/bin/docker-registry, htpasswd (apache2-utils) and skopeo (.ci/run installs them); without them the
 * tests are skipped with the reason printed, unless CI is set, where that is a failure. The small process and
 * OCI-layout helpers are local copies of those in e2e-registry.test.ts, which exports nothing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEcrEmulator, type EcrEmulator } from '@glassbox/ecr/emulator';
import { buildOnce, HELPER_BIN, tempDir } from './support.ts';

const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ACCESS_KEY_ID = 'AKIDGLASSBOXALIASE2E';
const SECRET_ACCESS_KEY = 'alias-e2e-secret-access-key-never-printed';

function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = ['docker-registry', 'htpasswd', 'skopeo'].filter((tool) => !onPath(tool));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with exactly `env`, killed after 30 s. */
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
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

/** A one-file ustar archive (POSIX.1-1988: a 512-byte header of octal fields with a checksum, data, two zero blocks). */
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
  return Buffer.concat([header, content, Buffer.alloc((512 - (content.length % 512)) % 512), Buffer.alloc(1024)]);
}

/** Writes an OCI image layout with one small image tagged `latest`; returns the manifest digest. */
async function writeOciLayout(dir: string): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  const put = async (data: Buffer) => {
    await writeFile(join(blobs, sha(data)), data);
    return { digest: `sha256:${sha(data)}`, size: data.length };
  };
  const tar = tarOneFile('alias.txt', Buffer.from('served through a registry alias\n'));
  const layer = await put(gzipSync(tar));
  const config = await put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha(tar)}`] } })));
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
  context.emulator = await startEcrEmulator({ credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }], password });

  // htpasswd reads the password on stdin (-i), never from the command line; -B: bcrypt, which the registry requires.
  const htpasswd = join(dir, 'htpasswd');
  const made = spawnSync('htpasswd', ['-B', '-i', '-c', htpasswd, 'AWS'], { input: password, encoding: 'utf8' });
  assert.is(made.status, 0, made.stderr);

  const port = await freePort();
  context.registryHost = `127.0.0.1:${port}`;
  await mkdir(join(dir, 'storage'));
  const config = ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'storage')}`, 'http:', `  addr: ${context.registryHost}`, 'auth:', '  htpasswd:', '    realm: glassbox-e2e-alias', `    path: ${htpasswd}`, ''];
  await writeFile(join(dir, 'registry.yml'), config.join('\n'));
  context.registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let registryLog = '';
  context.registry.stderr?.on('data', (chunk: Buffer) => (registryLog += chunk.toString()));
  let ready = false;
  for (let attempt = 0; attempt < 300 && !ready; attempt++) {
    try {
      ready = (await fetch(`http://${context.registryHost}/v2/`)).status === 401;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  assert.ok(ready, `the registry did not start: ${registryLog}`);

  context.layout = join(dir, 'layout');
  context.manifestDigest = await writeOciLayout(context.layout);
  await writeFile(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  await writeFile(join(dir, 'registries.conf'), '');
  await mkdir(join(dir, 'run'), { mode: 0o700 });

  // The Docker config: only credHelpers, sending the registry's host:port to docker-credential-glassbox.
  context.configDir = join(dir, 'docker');
  await mkdir(context.configDir, { mode: 0o700 });
  await writeFile(join(context.configDir, 'config.json'), JSON.stringify({ credHelpers: { [context.registryHost]: 'glassbox' } }), { mode: 0o600 });
  // skopeo (like Docker) finds helpers on PATH as docker-credential-<name>.
  context.bin = join(dir, 'bin');
  await mkdir(context.bin);
  await writeFile(join(context.bin, 'docker-credential-glassbox'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HELPER_BIN)} "$@"\n`);
  await chmod(join(context.bin, 'docker-credential-glassbox'), 0o755);
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
async function pushAndInspect(context: Context, name: string, repository: string, extra: Record<string, string> = {}): Promise<{ copy: Run; inspect: Run }> {
  const target = `docker://${context.registryHost}/${repository}:1`;
  const copy = await skopeo(context, name, ['copy', '--dest-tls-verify=false', `oci:${context.layout}:latest`, target], extra);
  const inspect = await skopeo(context, name, ['inspect', '--tls-verify=false', target], extra);
  return { copy, inspect };
}

if (missing.length > 0) {
  const reason = `needs ${missing.join(', ')} (Debian: docker-registry apache2-utils skopeo; .ci/run installs them)`;
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
    const { copy, inspect } = await pushAndInspect(context, 'env', 'glassbox/env', { GLASSBOX_REGISTRY_ALIASES: `${context.registryHost}=${ECR_HOST}` });
    assert.is(copy.code, 0, copy.stderr);
    assert.is(inspect.code, 0, inspect.stderr);
    assert.is((JSON.parse(inspect.stdout) as { Digest: string }).Digest, context.manifestDigest);
    assert.is(context.emulator.calls.length - before, 1, 'one GetAuthorizationToken call; every later get was a cache hit');
    // The token is cached under the registry the alias names, not under 127.0.0.1.
    const cached = await readdir(join(context.dir, 'cache-env'));
    assert.ok(cached.length === 1 && cached[0]!.startsWith(`ecr-${ECR_HOST}-`), cached.join(', '));
    assert.not.ok((copy.stderr + inspect.stderr + inspect.stdout).includes(SECRET_ACCESS_KEY));
  });

  e2e('the Glassbox config file\'s registryAliases ({ account, region }) works the same way', async (context) => {
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
