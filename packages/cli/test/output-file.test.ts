// glassbox sign --send -o FILE: the body goes to FILE (complete or not at all), the status and
// headers stay on stdout, as curl -o.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';
import { startSigningServer, type SigningServer } from './support/signing-server.ts';

const keys = { accessKeyId: 'AKIAOUTPUTTEST000001', secretAccessKey: 'output-test-secret-key-00000000000000001' };
const home = tempDir();
const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
const scope = ['--region', 'us-east-1', '--service', 's3'];
const binary = Buffer.concat([Buffer.from([0xc3, 0x28, 0x0d, 0x0a]), randomBytes(200_000)]);
let server: SigningServer;
let folder = 0;
/** A fresh folder per test, to list what was left in it. */
const newFolder = (): string => {
  const path = join(home.path, `out-${folder++}`);
  mkdirSync(path);
  return path;
};

const test = suite('glassbox sign --send -o FILE');
test.before(async () => {
  server = await startSigningServer(keys);
});
test.before.each(() => {
  server.received.length = 0;
  server.answer = { status: 200, headers: { 'content-type': 'application/octet-stream', etag: '"abc"' }, body: binary };
});
test.after(async () => {
  await server.close();
  home.remove();
});

test('writes the body to FILE byte for byte; status and headers stay on stdout; no temporary file is left', async () => {
  const dir = newFolder();
  const run = await runGlassbox(['sign', '--send', '-o', 'photo.bin', ...scope, `${server.url}/bucket/photo.bin`], { env, cwd: dir });
  assert.is(run.code, 0, run.stderr);
  assert.ok(readFileSync(join(dir, 'photo.bin')).equals(binary));
  assert.match(run.stdout, /^HTTP 200\ncontent-type: application\/octet-stream\netag: "abc"\n/m);
  assert.ok(run.stdout.endsWith('\n\n'), 'the headers and the blank line, then nothing: the body is in the file');
  assert.match(run.stderr, new RegExp(`wrote ${binary.length} bytes to photo.bin`));
  assert.equal(readdirSync(dir), ['photo.bin']);
});

test('the file is mode 0666 less the umask (0644 under umask 022), like curl: a download is no secret', async () => {
  const dir = newFolder();
  await runGlassbox(['sign', '--send', '--output-file', join(dir, 'f'), ...scope, `${server.url}/f`], { env });
  const umask = process.umask();
  assert.is(statSync(join(dir, 'f')).mode & 0o777, 0o666 & ~umask);
});

test('replaces an existing file whole, and writes through a symbolic link to the file it names', async () => {
  const dir = newFolder();
  writeFileSync(join(dir, 'old.bin'), 'previous content, longer than nothing');
  symlinkSync('old.bin', join(dir, 'link.bin'));
  const run = await runGlassbox(['sign', '--send', '-o', 'link.bin', ...scope, `${server.url}/x`], { env, cwd: dir });
  assert.is(run.code, 0, run.stderr);
  assert.ok(readFileSync(join(dir, 'old.bin')).equals(binary), 'the link target holds the new body');
  assert.ok(statSync(join(dir, 'link.bin')).isFile() && readdirSync(dir).sort().join() === 'link.bin,old.bin');
});

test('--json with -o names the file instead of carrying the body', async () => {
  const dir = newFolder();
  const run = await runGlassbox(['sign', '--send', '--json', '-o', 'b.bin', ...scope, `${server.url}/b`], { env, cwd: dir });
  const view = JSON.parse(run.stdout);
  assert.is(view.outputFile, 'b.bin');
  assert.is(view.status, 200);
  assert.is(view.body, undefined);
  assert.ok(readFileSync(join(dir, 'b.bin')).equals(binary));
});

test('-o - is stdout, and -o /dev/null is written, not replaced', async () => {
  const dash = await runGlassbox(['sign', '--send', '-o', '-', ...scope, `${server.url}/d`], { env });
  assert.ok(dash.stdoutBytes.subarray(dash.stdoutBytes.indexOf('\n\n') + 2).equals(binary));
  const devNull = await runGlassbox(['sign', '--send', '-o', '/dev/null', ...scope, `${server.url}/n`], { env });
  assert.is(devNull.code, 0, devNull.stderr);
  assert.ok(statSync('/dev/null').isCharacterDevice());
});

test('a folder that does not exist is a usage error before anything is sent', async () => {
  const run = await runGlassbox(['sign', '--send', '-o', join(home.path, 'no', 'such', 'f'), ...scope, `${server.url}/x`], { env });
  assert.is(run.code, 2, run.stderr);
  assert.match(run.stderr, /cannot write -o '.*': its folder does not exist/);
  assert.is(server.received.length, 0, 'nothing went out');
});

test('a full device is an output error (exit 5) on one line, no stack', async () => {
  const run = await runGlassbox(['sign', '--send', '-o', '/dev/full', ...scope, `${server.url}/x`], { env });
  assert.is(run.code, 5, run.stderr);
  assert.match(run.stderr, /cannot write -o '\/dev\/full': no space left on the device \(ENOSPC\)/);
  assert.not.match(run.stderr, /^\s+at |This is a bug/m);
});

test('-o without --send is a usage error; a failed request leaves no file and no temporary', async () => {
  const alone = await runGlassbox(['sign', '-o', 'x', ...scope, `${server.url}/x`], { env });
  assert.is(alone.code, 2);
  assert.match(alone.stderr, /-o, --output-file only applies with --send/);
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const dir = newFolder();
  const refused = await runGlassbox(['sign', '--send', '-o', 'f', ...scope, `http://127.0.0.1:${port}/x`], { env, cwd: dir });
  assert.is(refused.code, 4, refused.stderr);
  assert.not.ok(existsSync(join(dir, 'f')));
  assert.equal(readdirSync(dir), []);
});
test.run();
