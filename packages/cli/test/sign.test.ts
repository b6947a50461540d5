import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { loadVectors, sessionTokenFor, suiteParameters } from '../../../test/vectors.ts';
import { cleanEnv, inBatches, repoRoot, runGlassbox, tempDir } from './run-bin.ts';

const vectors = loadVectors();
const home = tempDir();
const suiteEnv = cleanEnv(home.path, {
  AWS_ACCESS_KEY_ID: suiteParameters.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: suiteParameters.credentials.secretAccessKey,
});
const suiteFlags = ['--region', suiteParameters.region, '--service', suiteParameters.service, '--date', suiteParameters.date];
const reqFile = (dir: string): string => join(dir, `${basename(dir)}.req`);
const withoutTokenLine = (text: string): string => text.replace(/^x-amz-security-token:.*$/m, 'x-amz-security-token:TOKEN');

const official = suite('glassbox sign --request-file: the official suite');
official('signs all 34 cases as the suite expects (canonical request, string to sign, authorization)', async () => {
  assert.is(vectors.length, 34);
  const failures: string[] = [];
  await inBatches(vectors, 4, async (vector) => {
    const { sessionToken, signSessionToken } = sessionTokenFor(vector);
    const env = sessionToken === undefined ? suiteEnv : { ...suiteEnv, AWS_SESSION_TOKEN: sessionToken };
    const args = [
      'sign',
      '--request-file',
      reqFile(vector.dir),
      ...suiteFlags,
      '--json',
      ...(signSessionToken ? [] : ['--unsigned-session-token']),
    ];
    const run = await runGlassbox(args, { env });
    if (run.code !== 0) return failures.push(`${vector.name}: exit ${run.code}: ${run.stderr}`);
    const view = JSON.parse(run.stdout) as Record<string, unknown>;
    if (withoutTokenLine(String(view.canonicalRequest)) !== withoutTokenLine(vector.creq))
      failures.push(`${vector.name}: canonical request`);
    if (view.stringToSign !== vector.sts) failures.push(`${vector.name}: string to sign`);
    if (view.authorization !== vector.authz) failures.push(`${vector.name}: authorization`);
    if (sessionToken !== undefined && run.stdout.includes(sessionToken)) failures.push(`${vector.name}: session token printed`);
    return undefined;
  });
  assert.equal(failures, []);
});

official("prints the step-by-step trace by default, ending with the suite's Authorization", async () => {
  const vector = vectors.find((v) => v.name === 'post-x-www-form-urlencoded')!;
  const run = await runGlassbox(['sign', '--request-file', reqFile(vector.dir), ...suiteFlags], { env: suiteEnv });
  assert.is(run.code, 0, run.stderr);
  for (const line of vector.creq.split('\n'))
    assert.ok(run.stdout.includes(`│ ${line}`), `canonical request line '${line}' framed in the trace`);
  assert.ok(run.stdout.includes(vector.authz));
  assert.ok(run.stdout.includes('String to sign'));
  assert.not.match(run.stdout, /\x1b\[/, 'no colour when stdout is a pipe');
});

official('reads the request from stdin with --request-file -', async () => {
  const vector = vectors.find((v) => v.name === 'get-vanilla')!;
  const run = await runGlassbox(['sign', '--request-file', '-', ...suiteFlags, '--json'], { env: suiteEnv, stdin: vector.req });
  assert.is(run.code, 0, run.stderr);
  assert.is(JSON.parse(run.stdout).authorization, vector.authz);
});

official('--show-signing-key adds the derived key; it is hidden otherwise', async () => {
  const vector = vectors.find((v) => v.name === 'get-vanilla')!;
  const shown = JSON.parse(
    (await runGlassbox(['sign', '--request-file', reqFile(vector.dir), ...suiteFlags, '--json', '--show-signing-key'], { env: suiteEnv }))
      .stdout,
  );
  assert.match(shown.signingKey, /^[0-9a-f]{64}$/);
  const hidden = JSON.parse(
    (await runGlassbox(['sign', '--request-file', reqFile(vector.dir), ...suiteFlags, '--json'], { env: suiteEnv })).stdout,
  );
  assert.is(hidden.signingKey, undefined);
});
official.run();

const curl = suite('glassbox sign, curl-like');
curl('infers ecr and the region from an ECR API hostname; --json has the documented keys', async () => {
  const run = await runGlassbox(
    [
      'sign',
      '-X',
      'POST',
      '-H',
      'Content-Type: application/x-amz-json-1.1',
      '-H',
      'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
      '-d',
      '{}',
      'https://api.ecr.eu-west-2.amazonaws.com/',
      '--json',
    ],
    { env: suiteEnv },
  );
  assert.is(run.code, 0, run.stderr);
  const view = JSON.parse(run.stdout);
  for (const key of [
    'canonicalRequest',
    'stringToSign',
    'signature',
    'authorization',
    'signedHeaders',
    'credentialScope',
    'headers',
    'url',
  ])
    assert.ok(key in view, key);
  assert.match(view.credentialScope, /^\d{8}\/eu-west-2\/ecr\/aws4_request$/);
  assert.is(view.headers.host, 'api.ecr.eu-west-2.amazonaws.com');
  assert.is(view.headers['x-amz-target'], 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken');
  assert.ok(Object.keys(view.headers).every((name) => name === name.toLowerCase()));
  // The payload hash is SHA-256 of "{}", computed by hand with: printf '{}' | sha256sum
  assert.ok(view.canonicalRequest.endsWith('\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'));
});

curl('applies the S3 path rules to S3 hosts: no normalisation, single encoding, x-amz-content-sha256', async () => {
  const run = await runGlassbox(['sign', '--json', 'https://my-bucket.s3.eu-west-1.amazonaws.com/a//b/../c%20d'], { env: suiteEnv });
  assert.is(run.code, 0, run.stderr);
  const view = JSON.parse(run.stdout);
  assert.is(view.service, 's3');
  assert.is(view.region, 'eu-west-1');
  assert.is(view.canonicalRequest.split('\n')[1], '/a//b/../c%20d');
  assert.ok(view.signedHeaders.includes('x-amz-content-sha256'));
  const other = JSON.parse(
    (
      await runGlassbox(['sign', '--json', '--service', 'execute-api', '--region', 'eu-west-1', 'https://abc.example.com/a//b/../c%20d'], {
        env: suiteEnv,
      })
    ).stdout,
  );
  assert.is(other.canonicalRequest.split('\n')[1], '/a/c%2520d');
});

curl('--presign matches @smithy/signature-v4 (a peer) for the same inputs, and has no authorization', async () => {
  const require = createRequire(join(repoRoot, 'packages', 'sigv4', 'package.json'));
  const { SignatureV4 } = await import(pathToFileURL(require.resolve('@smithy/signature-v4')).href);
  const { Sha256 } = await import(pathToFileURL(require.resolve('@aws-crypto/sha256-js')).href);
  const run = await runGlassbox(
    [
      'sign',
      '--presign',
      '--expires',
      '600',
      '--service',
      'execute-api',
      '--region',
      'us-west-2',
      '--date',
      '2024-01-02T03:04:05Z',
      '--json',
      'https://abc.execute-api.us-west-2.amazonaws.com/prod/items?b=2&a=1',
    ],
    { env: suiteEnv },
  );
  assert.is(run.code, 0, run.stderr);
  const view = JSON.parse(run.stdout);
  assert.is(view.authorization, undefined);
  const signer = new SignatureV4({ credentials: suiteParameters.credentials, region: 'us-west-2', service: 'execute-api', sha256: Sha256 });
  const theirs = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: 'abc.execute-api.us-west-2.amazonaws.com',
      path: '/prod/items',
      query: { b: '2', a: '1' },
      headers: { host: 'abc.execute-api.us-west-2.amazonaws.com' },
    },
    { expiresIn: 600, signingDate: new Date('2024-01-02T03:04:05Z') },
  );
  assert.is(new URL(view.url).searchParams.get('X-Amz-Signature'), theirs.query['X-Amz-Signature']);
});

curl('a presigned URL round-trips through glassbox verify, and a tampered one does not', async () => {
  const run = await runGlassbox(['sign', '--presign', '--json', 'https://abc.execute-api.us-west-2.amazonaws.com/prod/x'], {
    env: suiteEnv,
  });
  const url = JSON.parse(run.stdout).url as string;
  assert.is((await runGlassbox(['verify', url], { env: suiteEnv })).code, 0);
  assert.is((await runGlassbox(['verify', url.replace('/prod/x', '/prod/y')], { env: suiteEnv })).code, 1);
});
curl.run();

const usage = suite('glassbox sign: usage errors exit 2 with one line and no stack');
for (const [name, args, fragment] of [
  ['a missing file', ['sign', '--request-file', 'no-such.req'], "cannot read --request-file 'no-such.req'"],
  ['a malformed request', ['sign', '--request-file', '-', '--region', 'us-east-1', '--service', 's'], 'not a valid HTTP request'],
  ['an unknown region', ['sign', 'https://s3.amazonaws.com/x', '--region', 'moon-base-1x'], "unknown region 'moon-base-1x'"],
  [
    'an expiry out of range',
    ['sign', '--presign', '--expires', '604801', 'https://s3.amazonaws.com/x'],
    'expected whole seconds from 1 to 604800',
  ],
  ['a host with no service', ['sign', 'https://example.com/'], 'add --service'],
  ['a bad header', ['sign', '-H', 'no colon', 'https://s3.amazonaws.com/x'], "expected 'Name: value'"],
  ['a bad date', ['sign', '--date', 'yesterday', 'https://s3.amazonaws.com/x'], 'date'],
  ['an unknown option', ['sign', '--regoin', 'us-east-1', 'https://s3.amazonaws.com/'], "unknown option '--regoin'"],
] as const) {
  usage(name, async () => {
    const run = await runGlassbox(args, { env: suiteEnv, stdin: 'this is not http\n' });
    assert.is(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes(fragment), run.stderr);
    assert.not.match(run.stderr, /^\s+at /m, 'no stack trace');
    assert.is(run.stdout, '');
  });
}
usage('no credentials anywhere exits 3', async () => {
  const run = await runGlassbox(['sign', 'https://s3.amazonaws.com/x'], { env: cleanEnv(home.path) });
  assert.is(run.code, 3, run.stderr);
  assert.match(run.stderr, /credentials/i);
});
usage.run();

const send = suite('glassbox sign --send against the local ECR emulator');
const ecrArgs = (url: string): string[] => [
  'sign',
  '--send',
  '-X',
  'POST',
  '-H',
  'Content-Type: application/x-amz-json-1.1',
  '-H',
  'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
  '-d',
  '{}',
  '--region',
  'us-east-1',
  '--service',
  'ecr',
  `${url}/`,
];
const emulatorKeys = { accessKeyId: 'AKIAEMULATOR00000001', secretAccessKey: 'emulator-secret-for-the-cli-send-tests-0001' };

send('sends the signed request: status, headers and body on stdout, the trace on stderr, exit 0', async () => {
  const emulator = await startEcrEmulator({ credentials: [emulatorKeys], password: 'fixed-registry-password' });
  try {
    const run = await runGlassbox(ecrArgs(emulator.url), {
      env: cleanEnv(home.path, { AWS_ACCESS_KEY_ID: emulatorKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: emulatorKeys.secretAccessKey }),
    });
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, /^HTTP 200\n/);
    assert.match(run.stdout, /^content-type: application\/x-amz-json-1\.1$/m);
    const body = JSON.parse(run.stdout.slice(run.stdout.indexOf('\n\n') + 2));
    assert.is(Buffer.from(body.authorizationData[0].authorizationToken, 'base64').toString(), 'AWS:fixed-registry-password');
    assert.ok(run.stderr.includes('Canonical request'));
    assert.is(emulator.served, 1);
  } finally {
    await emulator.close();
  }
});

send('a wrong secret gets InvalidSignatureException: exit 1 and the diff names the key as the cause', async () => {
  const emulator = await startEcrEmulator({ credentials: [emulatorKeys] });
  try {
    const run = await runGlassbox(ecrArgs(emulator.url), {
      env: cleanEnv(home.path, {
        AWS_ACCESS_KEY_ID: emulatorKeys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: 'not-the-right-secret-at-all-000000000',
      }),
    });
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stdout, /^HTTP 400/);
    assert.ok(run.stderr.includes('InvalidSignatureException'));
    assert.match(run.stderr, /^Likely cause \(SECRET_KEY/m);
  } finally {
    await emulator.close();
  }
});

send('an unknown access key is an AWS error: exit 3', async () => {
  const emulator = await startEcrEmulator({ credentials: [emulatorKeys] });
  try {
    const run = await runGlassbox(ecrArgs(emulator.url), {
      env: cleanEnv(home.path, { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000000', AWS_SECRET_ACCESS_KEY: emulatorKeys.secretAccessKey }),
    });
    assert.is(run.code, 3, run.stderr);
    assert.ok(run.stderr.includes('UnrecognizedClientException'), run.stderr);
  } finally {
    await emulator.close();
  }
});

send('nothing listening is a network error: exit 4', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const run = await runGlassbox(ecrArgs(`http://127.0.0.1:${port}`), { env: suiteEnv });
  assert.is(run.code, 4, run.stderr);
  assert.match(run.stderr, /network error/);
});
send.after(() => home.remove());
send.run();
