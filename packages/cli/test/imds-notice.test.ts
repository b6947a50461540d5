// The credential chain tells the user when it asked the instance metadata endpoint (as the AWS CLI does,
// silently) and how to turn that off. The endpoint is a stand-in on 127.0.0.1, pointed at with
// AWS_EC2_METADATA_SERVICE_ENDPOINT as the ecr package's credentials-imds tests do.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const test = suite('the instance metadata lookup is announced');
const home = tempDir();
const URL_ = 'https://example.amazonaws.com/';
const SECRET = 'imds-stand-in-secret-0000000000000000000';

/** An IMDSv2 stand-in: `working` answers with a role's credentials, otherwise every call gets HTTP 500. */
async function startImds(working: boolean): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (!working) return void response.writeHead(500).end();
    if (request.method === 'PUT' && request.url === '/latest/api/token') return void response.end('session');
    if (request.url === '/latest/meta-data/iam/security-credentials/') return void response.end('stand-in-role\n');
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        Code: 'Success',
        AccessKeyId: 'ASIAIMDSSTANDIN',
        SecretAccessKey: SECRET,
        Token: 'imds-stand-in-token',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The clean environment with instance metadata ON, at the stand-in, answering fast. */
function imdsEnv(url: string): Record<string, string> {
  const { AWS_EC2_METADATA_DISABLED: _off, ...env } = cleanEnv(home.path, {
    AWS_EC2_METADATA_SERVICE_ENDPOINT: url,
    AWS_METADATA_SERVICE_NUM_ATTEMPTS: '1',
  });
  return env;
}

test('with no credentials, the error says the metadata endpoint was tried and how to turn it off', async () => {
  const imds = await startImds(false);
  try {
    const run = await runGlassbox(['sign', '--region', 'us-east-1', '--service', 'service', URL_], { env: imdsEnv(imds.url) });
    assert.is(run.code, 3, run.stderr);
    assert.equal(imds.seen, ['PUT /latest/api/token']);
    assert.match(run.stderr, /No AWS credentials found/);
    assert.match(
      run.stderr,
      new RegExp(
        `  - imds: IMDS at ${imds.url} \\(AWS_EC2_METADATA_SERVICE_ENDPOINT\\): .*\\(off EC2, set AWS_EC2_METADATA_DISABLED=true to skip this lookup\\)`,
      ),
    );
  } finally {
    await imds.close();
  }
});

test('AWS_EC2_METADATA_DISABLED=true: no request reaches the endpoint, and the error says why', async () => {
  const imds = await startImds(false);
  try {
    const run = await runGlassbox(['sign', '--region', 'us-east-1', '--service', 'service', URL_], {
      env: { ...imdsEnv(imds.url), AWS_EC2_METADATA_DISABLED: 'true' },
    });
    assert.is(run.code, 3, run.stderr);
    assert.equal(imds.seen, []);
    assert.match(run.stderr, / {2}- imds: AWS_EC2_METADATA_DISABLED is true/);
  } finally {
    await imds.close();
  }
});

test('--debug lists every source the chain asked, the metadata endpoint that answered included', async () => {
  const imds = await startImds(true);
  try {
    const run = await runGlassbox(['sign', '--debug', '--region', 'us-east-1', '--service', 'service', URL_], { env: imdsEnv(imds.url) });
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stderr, /^credentials: environment: skipped \(/m);
    assert.match(
      run.stderr,
      new RegExp(
        `^credentials: imds: used \\(IMDSv2 at ${imds.url} \\(AWS_EC2_METADATA_SERVICE_ENDPOINT\\) answered for role stand-in-role\\)$`,
        'm',
      ),
    );
    assert.match(run.stdout, /credentials from imds \(profile default\)|credentials from imds/);
    assert.not.ok((run.stdout + run.stderr).includes(SECRET));
    assert.not.ok((run.stdout + run.stderr).includes('imds-stand-in-token'));
  } finally {
    await imds.close();
  }
});

test.after(() => home.remove());
test.run();
