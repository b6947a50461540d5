// Every example in examples/ runs, offline, against its local servers, and prints what its comment
// promises. Examples are documentation: if one breaks, this fails.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './vectors.ts';

const run = promisify(execFile);
const expectations: Record<string, RegExp[]> = {
  'sign-fetch.ts': [/canonical request:\nPOST\n\/items\nlimit=10\n/, /server answered 200: hello, AKIDEXAMPLE/],
  'presign-s3-url.ts': [/X-Amz-Expires=900/, /GET with the presigned URL: 200/, /GET with another key in the path: 403 SIGNATURE_MISMATCH/],
  'sdk-signer.ts': [
    /server: AmazonEC2ContainerRegistry_V20150921\.GetAuthorizationToken -> signature ok/,
    /client: got a token for user 'AWS'/,
  ],
  'ecr-login.ts': [/token for 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com, user AWS/, /Login Succeeded/],
  'write-docker-config.ts': [
    /warning: .*credsStore/,
    /"currentContext": "colima"/,
    /"123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com": "glassbox"/,
  ],
  'verify-captured-request.ts': [
    /signature OK \(AKIDEXAMPLE, 20150830\/us-east-1\/service\/aws4_request\)/,
    /altered request rejected: SIGNATURE_MISMATCH/,
  ],
  'diagnose-server-error.ts': [
    /service answered 400: InvalidSignatureException/,
    /likely cause: HEADER_VALUE_CHANGED/,
    /-content-type:application\/x-amz-json-1\.1\n\+content-type:application\/json/,
  ],
};

test('every example has expectations here', () => {
  const files = readdirSync(join(repoRoot, 'examples'))
    .filter((f) => f.endsWith('.ts'))
    .sort();
  assert.equal(files, Object.keys(expectations).sort());
});

for (const [file, patterns] of Object.entries(expectations)) {
  test(`examples/${file} runs and prints what it promises`, async () => {
    const { stdout } = await run(process.execPath, ['--conditions=glassbox-source', '--import', 'tsx', join('examples', file)], {
      cwd: repoRoot,
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    for (const pattern of patterns) assert.match(stdout, pattern);
    assert.not.match(stdout, /wJalrXUtnFEMI/, 'no secret in the output');
  });
}

test.run();
