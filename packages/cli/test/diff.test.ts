import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { serializeHttpRequest, sign } from '@glassbox/sigv4';
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { loadVectors } from '../../../test/vectors.ts';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';
import { CASES, CREDENTIALS, serverComputed, WRONG_SECRET, type Arrived } from '../../sigv4/test/reconstruct-cases.ts';

const home = tempDir();
const env = cleanEnv(home.path);
const keys = { accessKeyId: 'AKIADIFFTEST00000001', secretAccessKey: 'diff-test-secret-0000000000000000000000' };
const test = suite('glassbox diff');

function post(url: string, headers: Record<string, string | string[]>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (text += c))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a header changed in transit: names the header, exits 1', async () => {
  const emulator = await startEcrEmulator({ credentials: [keys] });
  try {
    const host = new URL(emulator.url).host;
    const signed = await sign(
      {
        method: 'POST',
        url: '/',
        headers: {
          Host: host,
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
        },
        body: '{}',
      },
      { credentials: keys, region: 'us-east-1', service: 'ecr' },
    );
    // What a proxy or HTTP client might do: add a charset after signing.
    const sent = { ...signed.request.headers, 'Content-Type': 'application/x-amz-json-1.1; charset=utf-8' };
    const response = await post(`${emulator.url}/`, sent, '{}');
    assert.is(response.status, 400);
    const errorFile = join(home.path, 'error.json');
    const requestFile = join(home.path, 'request.http');
    writeFileSync(errorFile, response.body);
    writeFileSync(requestFile, serializeHttpRequest(signed.request));
    const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', requestFile], { env });
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stdout, /^Likely cause \(HEADER_VALUE_CHANGED, step canonical-headers\): .*'content-type'/m);
    assert.match(run.stdout, /^ {2}fix: /m);
    // The line diff: ours (-) against what the emulator computed (+).
    assert.match(run.stdout, /^-content-type:application\/x-amz-json-1\.1$/m);
    assert.match(run.stdout, /^\+content-type:application\/x-amz-json-1\.1; charset=utf-8$/m);
  } finally {
    await emulator.close();
  }
});

test('an S3 XML error whose canonical URI differs: blames the canonical URI step; --json is parseable', async () => {
  const vanilla = loadVectors().find((v) => v.name === 'get-vanilla')!;
  const serverCreq = vanilla.creq.replace(/^\/$/m, '/%2F');
  // The server's string to sign hashes its own canonical request, as a real server's does.
  const serverSts = vanilla.sts.replace(/[0-9a-f]{64}$/, createHash('sha256').update(serverCreq).digest('hex'));
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><StringToSign>${serverSts}</StringToSign><CanonicalRequest>${serverCreq.replace(/&/g, '&amp;')}</CanonicalRequest></Error>`;
  const run = await runGlassbox(['diff', '--server-error', '-', '--request-file', join(vanilla.dir, 'get-vanilla.sreq'), '--json'], {
    env,
    stdin: xml,
  });
  assert.is(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.is(report.server.code, 'SignatureDoesNotMatch');
  assert.is(report.format, 's3-xml');
  assert.is(report.matched, false);
  assert.is(report.likelyCause.step, 'canonical-uri');
});

test('identical canonical requests without credentials: exit 0, and the secret is not blamed (the client may have signed by other rules)', async () => {
  const vanilla = loadVectors().find((v) => v.name === 'get-vanilla')!;
  const xml = `<Error><Code>SignatureDoesNotMatch</Code><StringToSign>${vanilla.sts}</StringToSign><CanonicalRequest>${vanilla.creq}</CanonicalRequest></Error>`;
  const run = await runGlassbox(['diff', '--server-error', '-', '--request-file', join(vanilla.dir, 'get-vanilla.sreq')], {
    env,
    stdin: xml,
  });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Likely cause \(SIGNATURE_UNEXPLAINED/m);
  assert.not.match(run.stdout, /SECRET_KEY/);
});

test('without a request it explains what the service computed', async () => {
  const body = JSON.stringify({
    __type: 'InvalidSignatureException',
    message:
      "Signature mismatch.\n\nThe Canonical String for this request should have been\n'POST\n/\n\nhost:x\n\nhost\nabc'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20240101T000000Z\n20240101/us-east-1/ecr/aws4_request\ndef'\n",
  });
  const run = await runGlassbox(['diff', '--server-error', '-'], { env, stdin: body });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /InvalidSignatureException/);
  assert.match(run.stdout, /host:x/);
});

test('text that is not an AWS error body is a usage error', async () => {
  const run = await runGlassbox(['diff', '--server-error', '-'], { env, stdin: 'hello' });
  assert.is(run.code, 2);
  assert.match(run.stderr, /not an AWS error body/);
});
// --- With credentials from the chain: what the client actually signed. ---

const withKeys = (keys: { accessKeyId: string; secretAccessKey: string }) =>
  cleanEnv(home.path, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });

/** The request as a raw HTTP/1.1 file, origin-form target. */
function requestFile(arrived: Arrived, name: string): string {
  const target = arrived.url.replace(/^https?:\/\/[^/]+/, '');
  const path = join(home.path, name);
  writeFileSync(
    path,
    `${arrived.method} ${target} HTTP/1.1\r\n${arrived.headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n${arrived.body ?? ''}`,
  );
  return path;
}

async function apiGatewayCase(): Promise<{ errorFile: string; request: string }> {
  const arrived = await CASES.find((c) => c.id === 'PATH_ENCODED_ONCE')!.arrived();
  const server = (await serverComputed(arrived))!;
  const errorFile = join(home.path, 'apigw-error.json');
  const message = `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'${server.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${server.stringToSign}'\n`;
  writeFileSync(errorFile, JSON.stringify({ errors: [{ message, code: 'InvalidSignature' }] }));
  return { errorFile, request: requestFile(arrived, 'apigw.http') };
}

test('an API Gateway request signed with S3 rules: reconstructed from the credential chain, named, exit 1, no secret', async () => {
  const { errorFile, request } = await apiGatewayCase();
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', request], { env: withKeys(CREDENTIALS) });
  assert.is(run.code, 1, run.stderr);
  assert.match(
    run.stdout,
    /^Reconstructed what the client signed \(\d+ of \d+ candidates tried\):\n {2}Your client encoded the path once, as S3 does; execute-api expects it encoded twice\.$/m,
  );
  assert.match(run.stdout, /^Likely cause \(PATH_ENCODING, step canonical-uri\)/m);
  assert.match(run.stdout, /^--- client \(reconstructed\): canonical request$/m);
  assert.match(run.stdout, /^-\/prod\/my%20file\.txt$\n^\+\/prod\/my%2520file\.txt$/m);
  assert.not.match(run.stdout, /SECRET_KEY/);
  assert.not.ok(run.stdout.includes(CREDENTIALS.secretAccessKey) || run.stderr.includes(CREDENTIALS.secretAccessKey));
});

test('--json carries the reconstruction and where the credentials came from', async () => {
  const { errorFile, request } = await apiGatewayCase();
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', request, '--json'], { env: withKeys(CREDENTIALS) });
  const report = JSON.parse(run.stdout);
  assert.is(report.reconstruction.code, 'REPRODUCED');
  assert.equal(
    report.reconstruction.candidate.behaviours.map((b: { code: string }) => b.code),
    ['PATH_ENCODED_ONCE'],
  );
  assert.is(report.credentialsSource, 'environment');
  assert.is(report.server.code, 'InvalidSignature');
});

test('another secret in the environment: not reconstructed, what was ruled out is listed, the secret is not blamed', async () => {
  const { errorFile, request } = await apiGatewayCase();
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', request], { env: withKeys(WRONG_SECRET) });
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, /^Not reconstructed \(NOT_REPRODUCED, \d+ of \d+ candidates tried\)\.$/m);
  assert.match(run.stdout, /^ {2}path: .*encoded the path once, as S3 does/m);
  assert.match(run.stdout, /credentials from environment/);
  assert.not.match(run.stdout, /SECRET_KEY/);
  assert.not.ok(run.stdout.includes(WRONG_SECRET.secretAccessKey));
});

test('--no-credentials compares without reconstructing, and without blaming the secret', async () => {
  const { errorFile, request } = await apiGatewayCase();
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', request, '--no-credentials'], {
    env: withKeys(CREDENTIALS),
  });
  assert.is(run.code, 0, run.stderr);
  assert.not.match(run.stdout, /Reconstructed/);
  assert.match(run.stdout, /^Likely cause \(SIGNATURE_UNEXPLAINED/m);
});

test('no credentials in the chain: a warning, then the comparison', async () => {
  const { errorFile, request } = await apiGatewayCase();
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', request], { env });
  assert.is(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /^warning: no credentials in the credential chain: comparing without reconstructing what the client signed \(--profile picks a profile, --no-credentials skips this\)$/m,
  );
});

test('a presigned upload with another Content-Type: the URL given curl-like, the header and value named', async () => {
  const arrived = await CASES.find((c) => c.id === 'PRESIGNED_HEADER_CHANGED')!.arrived();
  const errorFile = join(home.path, 'presign-error.xml');
  writeFileSync(
    errorFile,
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><RequestId>tx</RequestId></Error>',
  );
  const run = await runGlassbox(
    ['diff', '--server-error', errorFile, '-X', 'PUT', '-H', 'Content-Type: application/octet-stream', '-d', 'png', arrived.url],
    { env: withKeys(CREDENTIALS) },
  );
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, /Your client presigned the URL with content-type: 'image\/png'; the upload sent 'application\/octet-stream'/);
  assert.match(run.stdout, /fix: Send content-type: image\/png/);
});

test("--server-error alone with credentials: the server's text checked, the expected signature compared with SignatureProvided", async () => {
  const arrived = await CASES.find((c) => c.id === 'PATH_ENCODED_TWICE')!.arrived();
  const server = (await serverComputed(arrived))!;
  const provided = /Signature=([0-9a-f]{64})/.exec(arrived.headers.find(([n]) => n === 'authorization')![1])![1]!;
  const xmlText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = `<Error><Code>SignatureDoesNotMatch</Code><StringToSign>${xmlText(server.stringToSign)}</StringToSign><SignatureProvided>${provided}</SignatureProvided><CanonicalRequest>${xmlText(server.canonicalRequest)}</CanonicalRequest></Error>`;
  const run = await runGlassbox(['diff', '--server-error', '-'], { env: withKeys(CREDENTIALS), stdin: body });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /hashes to the last line of its string to sign/);
  assert.match(
    run.stdout,
    /^Expected signature for the server's string to sign with this secret \(credentials from environment\): [0-9a-f]{64}$/m,
  );
  assert.match(run.stdout, new RegExp(`^The request carried: ${provided}$`, 'm'));
  assert.match(run.stdout, /They differ: the client signed something else/);
});

test('a request whose signature cannot be read: a warning naming why, then the comparison as if unsigned', async () => {
  const path = join(home.path, 'bad-signature.http');
  writeFileSync(
    path,
    'GET / HTTP/1.1\r\nHost: abc123.execute-api.us-east-1.amazonaws.com\r\nX-Amz-Date: 20260115T093000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=zz\r\n\r\n',
  );
  const run = await runGlassbox(['diff', '--server-error', '-', '--request-file', path], {
    env: withKeys(CREDENTIALS),
    stdin: '{"__type":"InvalidSignatureException","message":"x"}',
  });
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, /^warning: the request's signature cannot be read \(the request's Signature is not 64 hex digits\)/m);
  assert.match(
    run.stdout,
    /^Likely cause \(UNKNOWN\): The server says InvalidSignatureException \("x"\) but does not quote what it computed/m,
  );
});

test.after(() => home.remove());
test.run();
