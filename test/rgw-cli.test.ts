// `glassbox sign --send` against Ceph's RADOS Gateway, a real S3 server that verifies every signature:
// the CLI as a user runs it (the built bin, credentials from the environment), bodies compared byte
// for byte both ways. Expected values come from the objects we wrote and from node:crypto, never from
// Glassbox itself.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { cleanEnv, glassboxBin, repoRoot, tempDir } from '../packages/cli/test/run-bin.ts';
import { radosgwSuite, type Radosgw } from './support/radosgw.ts';

/** A run of the bin, with stdout kept as bytes (bodies are bytes). */
interface ByteRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

// Made by the suite's before hook: a skipped suite leaves nothing behind.
let home: ReturnType<typeof tempDir>;
const runs: ByteRun[] = [];

function glassbox(rgw: Radosgw, args: readonly string[], options: { stdin?: Buffer | string; secret?: string } = {}): Promise<ByteRun> {
  const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: rgw.accessKeyId, AWS_SECRET_ACCESS_KEY: options.secret ?? rgw.secretAccessKey });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [glassboxBin, ...args], { env, cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const run = { code, stdout: Buffer.concat(out), stderr };
      runs.push(run);
      resolve(run);
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** `sign --send` for the gateway's own host, region and service given (nothing to infer from 127.0.0.1). */
const send = (
  rgw: Radosgw,
  path: string,
  args: readonly string[] = [],
  options: { stdin?: Buffer | string; secret?: string } = {},
): Promise<ByteRun> =>
  glassbox(rgw, ['sign', '--send', '--region', 'us-east-1', '--service', 's3', ...args, `${rgw.endpoint}${path}`], options);

/** The response as the CLI prints it: `HTTP status`, header lines, a blank line, then the body's bytes. */
function response(run: ByteRun): { status: number; headers: Map<string, string>; body: Buffer } {
  const end = run.stdout.indexOf('\n\n');
  assert.ok(end > 0, `no header block in stdout (exit ${run.code}): ${run.stderr.slice(-2000)}`);
  const [statusLine = '', ...lines] = run.stdout.subarray(0, end).toString('utf8').split('\n');
  const status = Number(/^HTTP (\d{3})$/.exec(statusLine)?.[1]);
  const headers = new Map<string, string>();
  for (const line of lines) headers.set(line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim());
  return { status, headers, body: run.stdout.subarray(end + 2) };
}

/** Sends, and asserts the exit status and HTTP status; returns the response. */
async function ok(
  rgw: Radosgw,
  path: string,
  args: readonly string[] = [],
  options: { stdin?: Buffer | string } = {},
): Promise<ReturnType<typeof response>> {
  const run = await send(rgw, path, args, options);
  const res = response(run);
  assert.is(
    run.code,
    0,
    `exit ${run.code} for ${args.join(' ')} ${path}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 300)}\n${run.stderr.slice(-1500)}`,
  );
  assert.ok(res.status >= 200 && res.status < 300, `HTTP ${res.status}`);
  return res;
}

/** The keys of a ListObjectsV2 answer, XML entities decoded. */
function listedKeys(xml: string): string[] {
  const unescape = (s: string): string =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescape(m[1]!));
}

const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');
const bucket = `glassbox-cli-${randomBytes(4).toString('hex')}`;
const binary = randomBytes(100_000);

const test = radosgwSuite('glassbox sign --send against radosgw');
test.before(() => {
  home = tempDir();
});

test('a wrong secret is refused: HTTP 403 SignatureDoesNotMatch, exit 1 (the gateway verifies)', async ({ rgw }) => {
  const run = await send(rgw, '/', [], { secret: 'not-the-secret-of-this-user-0000000000000' });
  const res = response(run);
  assert.is(res.status, 403);
  assert.match(res.body.toString('utf8'), '<Code>SignatureDoesNotMatch</Code>');
  assert.is(run.code, 1, run.stderr);
});

test("ListBuckets: GET / answers the user's bucket list", async ({ rgw }) => {
  const res = await ok(rgw, '/');
  assert.match(res.body.toString('utf8'), /<ListAllMyBucketsResult[^>]*>.*<ID>glassbox<\/ID>/);
});

test('CreateBucket: PUT /bucket, then ListBuckets names it', async ({ rgw }) => {
  await ok(rgw, `/${bucket}`, ['-X', 'PUT']);
  const res = await ok(rgw, '/');
  assert.match(res.body.toString('utf8'), `<Name>${bucket}</Name>`);
});

test('PUT text with -d, then GET and HEAD: the same bytes, length and MD5 ETag', async ({ rgw }) => {
  const text = 'Grüße aus Glassbox: signed as bytes\n';
  await ok(rgw, `/${bucket}/hello.txt`, ['-X', 'PUT', '-H', 'Content-Type: text/plain; charset=utf-8', '-d', text]);
  const got = await ok(rgw, `/${bucket}/hello.txt`);
  assert.equal(got.body, Buffer.from(text, 'utf8'));
  const head = await ok(rgw, `/${bucket}/hello.txt`, ['-X', 'HEAD']);
  assert.is(head.headers.get('content-length'), String(Buffer.byteLength(text)));
  assert.is(head.headers.get('etag'), `"${md5(Buffer.from(text, 'utf8'))}"`);
  assert.is(head.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.is(head.body.length, 0);
});

test('PUT random binary with -d @file: stored as exactly those 100,000 bytes', async ({ rgw }) => {
  const file = join(home.path, 'upload.bin');
  writeFileSync(file, binary);
  await ok(rgw, `/${bucket}/file.bin`, ['-X', 'PUT', '-d', `@${file}`]);
  const head = await ok(rgw, `/${bucket}/file.bin`, ['-X', 'HEAD']);
  assert.is(head.headers.get('content-length'), '100000');
  assert.is(head.headers.get('etag'), `"${md5(binary)}"`);
});

test('GET of a binary object to stdout: the body after the headers is the object, byte for byte', async ({ rgw }) => {
  const got = await ok(rgw, `/${bucket}/file.bin`);
  assert.is(got.body.length, binary.length);
  assert.ok(got.body.equals(binary), 'stdout body differs from the uploaded bytes');
});

test('GET of a binary object with -o FILE: the file is the object, byte for byte (status and headers on stdout)', async ({ rgw }) => {
  const file = join(home.path, 'download.bin');
  const got = await ok(rgw, `/${bucket}/file.bin`, ['-o', file]);
  assert.is(got.body.length, 0, 'the body went to the file, not stdout');
  const written = readFileSync(file);
  assert.is(written.length, binary.length);
  assert.ok(written.equals(binary), 'the -o file differs from the uploaded bytes');
});

test('PUT random binary from stdin with -d @-: stored as exactly the bytes piped in', async ({ rgw }) => {
  const piped = randomBytes(100_000);
  await ok(rgw, `/${bucket}/stdin.bin`, ['-X', 'PUT', '-d', '@-'], { stdin: piped });
  const head = await ok(rgw, `/${bucket}/stdin.bin`, ['-X', 'HEAD']);
  assert.is(head.headers.get('content-length'), '100000', 'the stored size is the piped size');
  assert.is(head.headers.get('etag'), `"${md5(piped)}"`);
  const file = join(home.path, 'stdin-download.bin');
  await ok(rgw, `/${bucket}/stdin.bin`, ['-o', file]);
  assert.ok(readFileSync(file).equals(piped));
});

// Keys as a user types them in a URL: percent-encoded where a URL needs it, and raw where it does not.
const oddKeys: { name: string; path: string; key: string }[] = [
  { name: 'a space (%20)', path: 'dir/with%20space.txt', key: 'dir/with space.txt' },
  { name: 'UTF-8 (percent-encoded)', path: 'caf%C3%A9/%E2%9C%93-%F0%9F%93%A6.txt', key: 'café/✓-📦.txt' },
  { name: '+=& (percent-encoded)', path: 'a%2Bb%3Dc%26d.txt', key: 'a+b=c&d.txt' },
  { name: '~()! (raw)', path: "~tilde(paren)!bang'.txt", key: "~tilde(paren)!bang'.txt" },
  { name: '=& (raw) and ~()! (percent-encoded)', path: 'x=1&y=2%7E%28%29%21.txt', key: 'x=1&y=2~()!.txt' },
];
for (const { name, path, key } of oddKeys) {
  test(`a key with ${name}: PUT, GET and the listing agree on the key and the bytes`, async ({ rgw }) => {
    const body = `the object named ${key}\n`;
    await ok(rgw, `/${bucket}/${path}`, ['-X', 'PUT', '-d', body]);
    const got = await ok(rgw, `/${bucket}/${path}`);
    assert.is(got.body.toString('utf8'), body);
    const list = await ok(rgw, `/${bucket}?list-type=2&prefix=${encodeURIComponent(key)}`);
    assert.equal(listedKeys(list.body.toString('utf8')), [key]);
  });
}

test('a key typed with a raw space and raw UTF-8 in the URL: sent percent-encoded, so what was signed is what the gateway checks', async ({
  rgw,
}) => {
  const body = 'raw characters in the typed URL\n';
  await ok(rgw, `/${bucket}/raw space/café.txt`, ['-X', 'PUT', '-d', body]);
  const got = await ok(rgw, `/${bucket}/raw%20space/caf%C3%A9.txt`);
  assert.is(got.body.toString('utf8'), body);
  const list = await ok(rgw, `/${bucket}?list-type=2&prefix=raw space/caf`);
  assert.equal(listedKeys(list.body.toString('utf8')), ['raw space/café.txt']);
});

test('listing with unsorted query parameters (signed sorted, sent as typed): the keys under a prefix', async ({ rgw }) => {
  const res = await ok(rgw, `/${bucket}?prefix=dir%2F&max-keys=50&list-type=2&delimiter=%2F&encoding-type=url`);
  const xml = res.body.toString('utf8');
  assert.match(xml, '<MaxKeys>50</MaxKeys>');
  // encoding-type=url: the listed key comes back percent-encoded, as S3 does.
  assert.equal(
    [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeURIComponent(m[1]!.replace(/\+/g, ' '))),
    ['dir/with space.txt'],
  );
});

test('--request-file with --endpoint-url: a captured PUT with a CRLF binary body is stored as those bytes', async ({ rgw }) => {
  const body = Buffer.concat([
    Buffer.from('--boundary\r\nContent-Type: application/octet-stream\r\n\r\n'),
    randomBytes(4096),
    Buffer.from('\r\n--boundary--\r\n'),
  ]);
  const head = `PUT /${bucket}/captured.bin HTTP/1.1\r\nHost: ${rgw.host}\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const file = join(home.path, 'captured.req');
  writeFileSync(file, Buffer.concat([Buffer.from(head), body]));
  const run = await glassbox(rgw, [
    'sign',
    '--send',
    '--region',
    'us-east-1',
    '--service',
    's3',
    '--endpoint-url',
    rgw.endpoint,
    '--request-file',
    file,
  ]);
  assert.is(run.code, 0, `${response(run).body.toString('utf8')}\n${run.stderr.slice(-1500)}`);
  const out = join(home.path, 'captured-download.bin');
  await ok(rgw, `/${bucket}/captured.bin`, ['-o', out]);
  assert.ok(readFileSync(out).equals(body), "the stored object differs from the request file's body");
});

test('--endpoint-url sends to 127.0.0.1 while signing the Host given (s3 and the region inferred from it)', async ({ rgw }) => {
  const run = await glassbox(rgw, [
    'sign',
    '--send',
    '--endpoint-url',
    rgw.endpoint,
    `https://s3.us-east-1.amazonaws.com/${bucket}/hello.txt`,
  ]);
  const res = response(run);
  assert.is(run.code, 0, `${res.body.toString('utf8')}\n${run.stderr.slice(-1500)}`);
  assert.is(res.body.toString('utf8'), 'Grüße aus Glassbox: signed as bytes\n');
  assert.match(run.stderr, 'Signing for s3 in us-east-1 (service from the hostname s3.us-east-1.amazonaws.com, region from the hostname');
});

test('a missing object is an AWS error, not a signature error: HTTP 404 NoSuchKey, exit 3', async ({ rgw }) => {
  const run = await send(rgw, `/${bucket}/no-such-key`);
  assert.is(response(run).status, 404);
  assert.is(run.code, 3);
  assert.match(run.stderr, 'NoSuchKey');
});

test('the secret access key appears in no output of any run', ({ rgw }) => {
  assert.ok(runs.length > 10);
  for (const run of runs) {
    assert.not.ok(run.stdout.includes(rgw.secretAccessKey), 'secret in stdout');
    assert.not.ok(run.stderr.includes(rgw.secretAccessKey), 'secret in stderr');
  }
});

test.after(() => home?.remove());
test.run();
