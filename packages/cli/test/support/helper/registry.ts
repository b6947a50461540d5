/**
 * What the end-to-end tests (e2e-registry, e2e-alias) share: finding the real tools, a small OCI image
 * layout, and a CNCF distribution registry (`docker-registry`) with htpasswd auth on 127.0.0.1. Not a test file (scripts/test.mjs runs only `*.test.ts`); each test keeps its own assertions.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as assert from 'uvu/assert';
import { freePort } from '../../../../../test/support/free-port.ts';

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

/** The end-to-end tools not installed here (Debian: docker-registry, apache2-utils, skopeo; .ci/run installs them). */
export const MISSING_TOOLS: readonly string[] = ['docker-registry', 'htpasswd', 'skopeo'].filter((tool) => !onPath(tool));

/** Why the end-to-end tests cannot run, when `MISSING_TOOLS` is not empty. */
export const MISSING_REASON = `needs ${MISSING_TOOLS.join(', ')} (Debian: docker-registry apache2-utils skopeo; .ci/run installs them)`;

/** A one-file ustar archive (POSIX.1-1988: a 512-byte header of octal fields with a checksum, data, two zero blocks). */
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value.padEnd(length, '\0').slice(0, length), offset, 'latin1');
  const octal = (offset: number, length: number, value: number) =>
    field(offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
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

/** Writes an OCI image layout holding one small image (one file) tagged `latest`; returns the manifest digest. */
export async function writeOciLayout(dir: string, fileName: string, text: string): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  const put = async (data: Buffer) => {
    await writeFile(join(blobs, sha(data)), data);
    return { digest: `sha256:${sha(data)}`, size: data.length };
  };
  const tar = tarOneFile(fileName, Buffer.from(text));
  const layer = await put(gzipSync(tar));
  const config = await put(
    Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha(tar)}`] } }),
    ),
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
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return manifest.digest;
}

/** A running registry. */
export interface Registry {
  process: ChildProcess;
  /** `127.0.0.1:PORT`. */
  host: string;
  port: number;
}

/**
 * Starts `docker-registry` on 127.0.0.1 (a free port), storing under `dir`, accepting only user `AWS`
 * with `password` (htpasswd), and waits (bounded) until it answers `/v2/` with 401.
 */
export async function startRegistry(dir: string, password: string, realm: string): Promise<Registry> {
  // htpasswd reads the password on stdin (-i), never from the command line; -B: bcrypt, which the registry requires.
  const htpasswd = join(dir, 'htpasswd');
  const made = spawnSync('htpasswd', ['-B', '-i', '-c', htpasswd, 'AWS'], { input: password, encoding: 'utf8' });
  assert.is(made.status, 0, made.stderr);

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await mkdir(join(dir, 'storage'));
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'storage')}`,
    'http:',
    `  addr: ${host}`,
    'auth:',
    '  htpasswd:',
    `    realm: ${realm}`,
    `    path: ${htpasswd}`,
    '',
  ];
  await writeFile(join(dir, 'registry.yml'), config.join('\n'));
  const registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let registryLog = '';
  registry.stderr?.on('data', (chunk: Buffer) => (registryLog += chunk.toString()));
  let ready = false;
  for (let attempt = 0; attempt < 300 && !ready; attempt++) {
    try {
      ready = (await fetch(`http://${host}/v2/`)).status === 401;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (!ready) registry.kill();
  assert.ok(ready, `the registry did not start: ${registryLog}`);
  return { process: registry, host, port };
}

/** skopeo's own files in `dir`: a policy accepting anything, an empty registries.conf, a private run dir. */
export async function writeSkopeoFiles(dir: string): Promise<void> {
  await writeFile(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  await writeFile(join(dir, 'registries.conf'), '');
  await mkdir(join(dir, 'run'), { mode: 0o700 });
}
