import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';
import { cleanEnv, repoRoot, runGlassbox, tempDir } from './run-bin.ts';

const home = tempDir();
const env = cleanEnv(home.path, {
  AWS_ACCESS_KEY_ID: suiteParameters.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: suiteParameters.credentials.secretAccessKey,
});
const vanilla = loadVectors().find((v) => v.name === 'get-vanilla')!;
const sreq = join(vanilla.dir, `${basename(vanilla.dir)}.sreq`);
const test = suite('glassbox verify');

test("accepts the suite's signed request at its signing time: exit 0, 'signature OK'", async () => {
  const run = await runGlassbox(['verify', '--request-file', sreq, '--now', suiteParameters.date], { env });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /^signature OK/);
});

test('a changed signature: exit 1, the first differing step and a line diff', async () => {
  const tampered = vanilla.sreq.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
  const run = await runGlassbox(['verify', '--request-file', '-', '--now', suiteParameters.date], { env, stdin: tampered });
  assert.is(run.code, 1);
  assert.match(run.stdout, /signature MISMATCH: SIGNATURE_MISMATCH/);
  assert.match(run.stdout, /first differing step: signature/);
  assert.match(run.stdout, /^- [0-9a-f]{64}$/m);
  assert.match(run.stdout, /^\+ [0-9a-f]{64}$/m);
});

test('a changed header after signing fails too', async () => {
  const file = join(home.path, 'moved.sreq');
  writeFileSync(file, vanilla.sreq.replace('Host:example.amazonaws.com', 'Host:example2.amazonaws.com'));
  const run = await runGlassbox(['verify', '--request-file', file, '--now', suiteParameters.date, '--json'], { env });
  assert.is(run.code, 1);
  const result = JSON.parse(run.stdout);
  assert.is(result.ok, false);
  assert.is(result.reason, 'SIGNATURE_MISMATCH');
});

test('a request signed five years before --now is clock skew: exit 1', async () => {
  const run = await runGlassbox(['verify', '--request-file', sreq, '--now', '2020-08-30T12:36:00Z'], { env });
  assert.is(run.code, 1);
  assert.match(run.stdout, /CLOCK_SKEW/);
});

test('an unsigned request, a bad --now and a missing file are usage errors or failures, never stacks', async () => {
  const unsigned = await runGlassbox(['verify', '--request-file', join(vanilla.dir, `${basename(vanilla.dir)}.req`)], { env });
  assert.is(unsigned.code, 1);
  assert.match(unsigned.stdout, /MISSING_AUTHORIZATION/);
  const badNow = await runGlassbox(['verify', '--request-file', sreq, '--now', 'soon'], { env });
  assert.is(badNow.code, 2);
  const missing = await runGlassbox(['verify', '--request-file', join(home.path, 'nope')], { env });
  assert.is(missing.code, 2);
  assert.not.match(missing.stderr + badNow.stderr, /^\s+at /m);
});

test('without credentials: exit 3', async () => {
  const run = await runGlassbox(['verify', '--request-file', sreq], { env: cleanEnv(home.path) });
  assert.is(run.code, 3);
});
// A captured multipart upload: CRLFs and bytes that are not UTF-8 in the body, signed by the AWS
// SDK's own signer over those exact bytes. Reading the file as text (or rewriting CRLF) breaks it.
async function capturedMultipart(): Promise<{ file: Buffer; body: Buffer; signedAt: string }> {
  const require = createRequire(join(repoRoot, 'packages', 'sigv4', 'package.json'));
  const { SignatureV4 } = await import(pathToFileURL(require.resolve('@smithy/signature-v4')).href);
  const { Sha256 } = await import(pathToFileURL(require.resolve('@aws-crypto/sha256-js')).href);
  const body = Buffer.concat([
    Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="key"\r\n\r\nphoto.jpg\r\n'),
    Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'),
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x0d, 0x0a, 0x0d, 0x0a, 0x80, 0xfe, 0x0a, 0x0d]),
    Buffer.from('\r\n--b0undary--\r\n'),
  ]);
  const headers = {
    host: 'upload.execute-api.us-east-1.amazonaws.com',
    'content-type': 'multipart/form-data; boundary=b0undary',
    'content-length': String(body.length),
  };
  const signer = new SignatureV4({ credentials: suiteParameters.credentials, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: headers.host, path: '/prod/upload', headers, body: new Uint8Array(body) },
    { signingDate: new Date('2024-05-06T07:08:09Z') },
  );
  const head = [
    'POST /prod/upload HTTP/1.1',
    ...Object.entries(signed.headers as Record<string, string>).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return { file: Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]), body, signedAt: '20240506T070809Z' };
}

test('a captured multipart request with CRLF and binary bytes in its body verifies, from a file and from stdin', async () => {
  const { file, signedAt } = await capturedMultipart();
  const path = join(home.path, 'multipart.http');
  writeFileSync(path, file);
  const run = await runGlassbox(['verify', '--request-file', path, '--now', signedAt], { env });
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^signature OK/);
  const piped = await runGlassbox(['verify', '--request-file', '-', '--now', signedAt], { env, stdin: file });
  assert.is(piped.code, 0, piped.stdout + piped.stderr);
});

test('the same capture with its body CRLFs turned into LF is a payload mismatch (the negative control)', async () => {
  const { file, body, signedAt } = await capturedMultipart();
  const head = file.subarray(0, file.length - body.length);
  const altered = Buffer.concat([head, Buffer.from(body.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')]);
  const run = await runGlassbox(['verify', '--request-file', '-', '--now', signedAt, '--json'], { env, stdin: altered });
  assert.is(run.code, 1, run.stderr);
  assert.is(JSON.parse(run.stdout).ok, false);
});
test.after(() => home.remove());
test.run();
