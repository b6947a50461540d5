// glassbox sign --send, bytes both ways: bodies are read, signed, sent and printed as bytes. Each
// request is checked by a 127.0.0.1 server that recomputes the signature with @smithy/signature-v4
// over the bytes it received.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';
import { startSigningServer, type SigningServer } from './support/signing-server.ts';

const keys = { accessKeyId: 'AKIASENDTEST00000001', secretAccessKey: 'send-test-secret-key-0000000000000000001' };
const home = tempDir();
const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
const scope = ['--region', 'us-east-1', '--service', 's3'];
// Random bytes that are surely not UTF-8 (a lone continuation byte first), with CR, LF and NUL in them.
const binary = Buffer.concat([Buffer.from([0x80, 0x0d, 0x0a, 0x00, 0xff]), randomBytes(100_000)]);
let server: SigningServer;

/** stdout after the status line and headers (the first blank line). */
const bodyOf = (stdout: Buffer): Buffer => stdout.subarray(stdout.indexOf('\n\n') + 2);

const test = suite('glassbox sign --send: bodies are bytes');
test.before(async () => {
  server = await startSigningServer(keys);
});
test.before.each(() => {
  server.received.length = 0;
  server.answer = { status: 200, body: 'ok' };
});
test.after(async () => {
  await server.close();
  home.remove();
});

test('-d @file uploads the file byte for byte, signed over those bytes', async () => {
  writeFileSync(join(home.path, 'upload.bin'), binary);
  const run = await runGlassbox(['sign', '--send', '-X', 'PUT', '-d', '@upload.bin', ...scope, `${server.url}/bucket/key.bin`], {
    env,
    cwd: home.path,
  });
  assert.is(run.code, 0, run.stderr);
  assert.is(server.received.length, 1);
  assert.ok(server.received[0]!.body.equals(binary), `received ${server.received[0]!.body.length} bytes, sent ${binary.length}`);
  assert.ok(server.received[0]!.signatureMatches, 'the SDK signer agrees with the signature');
});

test('-d @- uploads stdin byte for byte (it was decoded as UTF-8: 100,005 bytes became about 181,000)', async () => {
  const run = await runGlassbox(['sign', '--send', '-X', 'PUT', '-d', '@-', ...scope, `${server.url}/bucket/stdin.bin`], {
    env,
    stdin: binary,
  });
  assert.is(run.code, 0, run.stderr);
  assert.is(server.received[0]!.body.length, binary.length);
  assert.ok(server.received[0]!.body.equals(binary));
  assert.ok(server.received[0]!.signatureMatches);
});

test("the server's independent check refuses a request signed with another secret (the negative control)", async () => {
  const run = await runGlassbox(['sign', '--send', '-d', 'x', ...scope, `${server.url}/wrong`], {
    env: { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret-the-server-knows-000000001' },
  });
  assert.is(run.code, 0, run.stderr);
  assert.is(server.received[0]!.signatureMatches, false);
});

test('-d TEXT is sent as its UTF-8 bytes', async () => {
  const run = await runGlassbox(['sign', '--send', '-X', 'PUT', '-d', 'caf\u00e9 \u{1f600}', ...scope, `${server.url}/bucket/text`], {
    env,
  });
  assert.is(run.code, 0, run.stderr);
  assert.equal([...server.received[0]!.body], [0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xf0, 0x9f, 0x98, 0x80]);
  assert.ok(server.received[0]!.signatureMatches);
});

test('--request-file with a binary, CRLF-laden body sends that body exactly, from a file and from stdin', async () => {
  const host = server.url.slice('http://'.length);
  const file = Buffer.concat([
    Buffer.from(`PUT /bucket/raw.bin HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/octet-stream\r\n\r\n`),
    binary,
  ]);
  writeFileSync(join(home.path, 'put.http'), file);
  for (const args of [
    ['--request-file', 'put.http'],
    ['--request-file', '-'],
  ]) {
    server.received.length = 0;
    const run = await runGlassbox(['sign', '--send', ...args, ...scope, '--endpoint-url', server.url], {
      env,
      cwd: home.path,
      stdin: file,
    });
    assert.is(run.code, 0, run.stderr);
    assert.ok(server.received[0]!.body.equals(binary), args.join(' '));
    assert.ok(server.received[0]!.signatureMatches, args.join(' '));
  }
});

test('a request file whose target holds a raw space is refused before sending (exit 2, naming the fix)', async () => {
  const host = server.url.slice('http://'.length);
  writeFileSync(join(home.path, 'space.http'), `GET /example space/ HTTP/1.1\nHost:${host}\n`);
  const run = await runGlassbox(['sign', '--send', '--request-file', 'space.http', ...scope], { env, cwd: home.path });
  assert.is(run.code, 2, run.stderr);
  assert.match(run.stderr, 'the request target holds a raw space, which HTTP cannot send; percent-encode it (%20)');
  assert.is(server.received.length, 0);
});

test('a binary response body reaches stdout byte for byte, after the status line and headers', async () => {
  server.answer = { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: binary };
  const run = await runGlassbox(['sign', '--send', ...scope, `${server.url}/bucket/key.bin`], { env });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /^HTTP 200\ncontent-type: application\/octet-stream\n/);
  assert.ok(bodyOf(run.stdoutBytes).equals(binary), 'no byte changed, none added');
});

test('a text body is printed as it came, with no newline added when stdout is not a terminal', async () => {
  server.answer = { status: 200, body: '{"a":1}' };
  const run = await runGlassbox(['sign', '--send', ...scope, `${server.url}/x`], { env });
  assert.is(bodyOf(run.stdoutBytes).toString('latin1'), '{"a":1}');
});

test('--json keeps a UTF-8 body as "body" and gives any other body as "bodyBase64"', async () => {
  server.answer = { status: 200, body: 'h\u00e9llo\r\n' };
  const text = JSON.parse((await runGlassbox(['sign', '--send', '--json', ...scope, `${server.url}/t`], { env })).stdout);
  assert.is(text.body, 'h\u00e9llo\r\n');
  assert.is(text.bodyBase64, undefined);
  server.answer = { status: 200, body: binary };
  const bytes = JSON.parse((await runGlassbox(['sign', '--send', '--json', ...scope, `${server.url}/b`], { env })).stdout);
  assert.is(bytes.body, undefined);
  assert.ok(Buffer.from(bytes.bodyBase64, 'base64').equals(binary));
});

test('an error body is still scrubbed: a session token the service echoes is redacted', async () => {
  const token = 'SESSIONTOKENsend0123456789abcdefSECRET';
  server.answer = { status: 403, body: `<Error><Code>AccessDenied</Code><Message>token ${token}</Message></Error>` };
  const run = await runGlassbox(['sign', '--send', ...scope, `${server.url}/denied`], { env: { ...env, AWS_SESSION_TOKEN: token } });
  assert.is(run.code, 3, run.stderr);
  assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token));
  assert.match(run.stdout, /AccessDenied/);
});
test.run();
