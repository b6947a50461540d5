// `glassbox sign --presign` URLs used by curl against Ceph's RADOS Gateway, which checks the query
// signature, the expiry and the method. The objects are set up and read back with the AWS SDK's own
// signer, so what Glassbox signed is judged by two parties that are not Glassbox.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from '../packages/cli/test/run-bin.ts';
import { radosgwSuite, type Radosgw } from './support/radosgw.ts';

// Made by the suite's before hook: a skipped suite leaves nothing behind.
let home: ReturnType<typeof tempDir>;
const bucket = `glassbox-presign-${randomBytes(4).toString('hex')}`;
// A key that needs encoding in a URL: a space, UTF-8, and characters S3 encodes in the signed path.
const oddKey = 'dir/a key ü (1)!.bin';
const oddPath = `dir/${encodeURIComponent('a key ü (1)!.bin').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
const object = randomBytes(200_000);
const outputs: string[] = [];

/** The URL `glassbox sign --presign` prints: the last line of its stdout (no session token here, so nothing is redacted). */
async function presignedUrl(rgw: Radosgw, path: string, args: readonly string[] = [], secret = rgw.secretAccessKey): Promise<string> {
  const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: rgw.accessKeyId, AWS_SECRET_ACCESS_KEY: secret });
  const run = await runGlassbox(
    ['sign', '--presign', '--region', 'us-east-1', '--service', 's3', ...args, `${rgw.endpoint}/${bucket}/${path}`],
    { env },
  );
  outputs.push(run.stdout, run.stderr);
  assert.is(run.code, 0, run.stderr);
  const url = run.stdout.trimEnd().split('\n').pop() ?? '';
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/.*X-Amz-Signature=[0-9a-f]{64}/);
  return url;
}

/** curl with the URL exactly as given (-g: no globbing of [] or {}); the body goes to `output`, the status is returned. */
function curl(url: string, args: readonly string[], output: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-s', '-S', '-g', '-o', output, '-w', '%{http_code}', ...args, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`curl exited ${code}: ${stderr}`));
      let body = '';
      try {
        body = readFileSync(output, 'utf8');
      } catch {
        // HEAD: no body written
      }
      resolve({ status: Number(stdout), body });
    });
  });
}

/** The AWS SDK with its own signer: the independent party that sets up and reads back. */
const sdk = (rgw: Radosgw): S3Client =>
  new S3Client({
    endpoint: rgw.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  });

const file = (name: string): string => join(home.path, name);

const test = radosgwSuite('glassbox sign --presign URLs fetched with curl from radosgw', ['curl']);

test.before(async ({ rgw }) => {
  home = tempDir();
  const s3 = sdk(rgw);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: oddKey, Body: object }));
  s3.destroy();
});

test('a URL presigned with a wrong secret is refused: 403 SignatureDoesNotMatch (the gateway verifies)', async ({ rgw }) => {
  const url = await presignedUrl(rgw, oddPath, [], 'not-the-secret-of-this-user-0000000000000');
  const res = await curl(url, [], file('wrong-secret.xml'));
  assert.is(res.status, 403);
  assert.match(res.body, '<Code>SignatureDoesNotMatch</Code>');
});

test('GET: curl downloads the object through the presigned URL, byte for byte (a key with a space, UTF-8, !())', async ({ rgw }) => {
  const url = await presignedUrl(rgw, oddPath);
  const res = await curl(url, [], file('download.bin'));
  assert.is(res.status, 200, res.body);
  assert.ok(readFileSync(file('download.bin')).equals(object), 'the download differs from the object');
});

test('HEAD is refused with a URL presigned for GET: the method is signed', async ({ rgw }) => {
  const url = await presignedUrl(rgw, oddPath);
  const res = await curl(url, ['-I'], file('head.txt'));
  assert.is(res.status, 403);
});

test('PUT: curl uploads through a URL presigned for PUT; the SDK reads back the same bytes', async ({ rgw }) => {
  const upload = randomBytes(1_500_000); // over 1 MiB: curl sends Expect: 100-continue
  writeFileSync(file('upload.bin'), upload);
  const url = await presignedUrl(rgw, 'uploaded/by%20curl.bin', ['-X', 'PUT']);
  const res = await curl(url, ['-T', file('upload.bin')], file('put.xml'));
  assert.is(res.status, 200, res.body);
  const s3 = sdk(rgw);
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'uploaded/by curl.bin' }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  s3.destroy();
  assert.ok(bytes.equals(upload), 'the stored object differs from the uploaded file');
});

test('a URL presigned for PUT does not GET, and one presigned for GET does not PUT: 403, nothing written', async ({ rgw }) => {
  const putUrl = await presignedUrl(rgw, oddPath, ['-X', 'PUT']);
  const asGet = await curl(putUrl, [], file('put-as-get.xml'));
  assert.is(asGet.status, 403);
  assert.match(asGet.body, '<Code>SignatureDoesNotMatch</Code>');
  writeFileSync(file('intruder.bin'), 'not allowed');
  const getUrl = await presignedUrl(rgw, 'intruder.bin');
  const asPut = await curl(getUrl, ['-T', file('intruder.bin')], file('get-as-put.xml'));
  assert.is(asPut.status, 403);
  assert.match(asPut.body, '<Code>SignatureDoesNotMatch</Code>');
  const s3 = sdk(rgw);
  const missing = await s3
    .send(new HeadObjectCommand({ Bucket: bucket, Key: 'intruder.bin' }))
    .catch((error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode);
  s3.destroy();
  assert.is(missing, 404, 'the refused PUT stored nothing');
});

test('an expired URL is refused: signed two hours ago (--date) for 60 seconds (--expires)', async ({ rgw }) => {
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const url = await presignedUrl(rgw, oddPath, ['--date', twoHoursAgo, '--expires', '60']);
  const res = await curl(url, [], file('expired.xml'));
  assert.is(res.status, 403);
  assert.match(res.body, '<Code>AccessDenied</Code>');
});

test('a tampered URL is refused: one hex digit of the signature, the key, or the expiry changed', async ({ rgw }) => {
  const url = await presignedUrl(rgw, oddPath);
  const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(url)![1]!;
  const flipped = signature.slice(0, 10) + (signature[10] === '0' ? '1' : '0') + signature.slice(11);
  const tampered = {
    signature: url.replace(signature, flipped),
    key: url.replace(`/${oddPath}?`, `/${oddPath.replace('.bin', '.txt')}?`),
    expiry: url.replace('X-Amz-Expires=3600', 'X-Amz-Expires=3601'),
  };
  for (const [what, bad] of Object.entries(tampered)) {
    assert.is.not(bad, url, `the ${what} was changed`);
    const res = await curl(bad, [], file(`tampered-${what}.xml`));
    assert.is(res.status, 403, `tampered ${what}`);
    assert.match(res.body, '<Code>SignatureDoesNotMatch</Code>', `tampered ${what}`);
  }
});

test('the secret access key appears in no output', ({ rgw }) => {
  for (const text of outputs) assert.not.ok(text.includes(rgw.secretAccessKey));
});

test.after(() => home?.remove());
test.run();
