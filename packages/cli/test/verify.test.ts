import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const home = tempDir();
const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: suiteParameters.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: suiteParameters.credentials.secretAccessKey });
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
test.after(() => home.remove());
test.run();
