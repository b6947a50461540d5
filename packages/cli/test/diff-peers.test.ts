// glassbox diff on what real peers produce: the AWS CLI (botocore signs, the CLI prints the error) talks
// to the ECR emulator through a recording forwarder on 127.0.0.1, so the test has the request exactly
// as the server received it and the error exactly as the CLI printed it. The server holds another
// secret than the client (a rotated key): the diagnosis must reconstruct the client by the rules and
// blame the server's copy of the secret — and with a third secret in the profile, blame nothing it
// cannot show.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const home = tempDir();
const ACCESS_KEY = 'AKIAPEERTEST00000001';
const CLIENT_SECRET = 'client-secret-of-the-aws-cli-peer-test-0001';
const SERVER_SECRET = 'server-secret-after-rotation-peer-test-0002';

interface Recorded {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** A forwarder that records each request as received and relays it to `target` unchanged. */
async function recordingForwarder(target: string): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const { hostname, port } = new URL(target);
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        const body = Buffer.concat(chunks);
        const headers: [string, string][] = [];
        for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
        requests.push({ method: req.method!, url: req.url!, headers, body: body.toString('utf8') });
        const out = httpRequest(
          { host: hostname, port, method: req.method, path: req.url, headers: req.rawHeaders, setHost: false },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on('error', () => res.writeHead(502).end());
        out.end(body);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

const test = suiteNeeding<{ errorFile: string; requestFile: string }>("glassbox diff on the AWS CLI's request and printed error", ['aws'], {
  errorFile: '',
  requestFile: '',
});

test.before(async (ctx) => {
  const emulator = await startEcrEmulator({
    credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SERVER_SECRET }],
    region: 'us-east-1',
  });
  const forwarder = await recordingForwarder(emulator.url);
  try {
    const printed = await new Promise<string>((resolve) => {
      execFile(
        '/usr/bin/aws',
        ['ecr', 'get-authorization-token', '--endpoint-url', forwarder.url, '--region', 'us-east-1', '--cli-read-timeout', '10'],
        {
          env: { ...cleanEnv(home.path), AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: CLIENT_SECRET, AWS_MAX_ATTEMPTS: '1' },
          timeout: 60_000,
        },
        (_error, _stdout, stderr) => resolve(stderr),
      );
    });
    assert.match(printed, /An error occurred \(InvalidSignatureException\) when calling the GetAuthorizationToken operation/);
    const sent = forwarder.requests.at(-1)!;
    ctx.errorFile = join(home.path, 'aws-cli-error.txt');
    ctx.requestFile = join(home.path, 'aws-cli-request.http');
    writeFileSync(ctx.errorFile, printed);
    writeFileSync(
      ctx.requestFile,
      `${sent.method} ${sent.url} HTTP/1.1\r\n${sent.headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n${sent.body}`,
    );
  } finally {
    forwarder.server.closeAllConnections();
    await new Promise((resolve) => forwarder.server.close(resolve));
    await emulator.close();
  }
});

test("the CLI's printed error is read, and the server's text holds together", async ({ errorFile }) => {
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--json'], { env: cleanEnv(home.path) });
  assert.is(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.is(report.code, 'InvalidSignatureException');
  assert.match(report.canonicalRequest, /^POST\n\/\n\n/);
  assert.is(report.serverCheck.text.consistent, true);
});

test("with the client's own secret: botocore signed by the rules, so the server's copy of the secret differs", async ({
  errorFile,
  requestFile,
}) => {
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', requestFile], {
    env: cleanEnv(home.path, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: CLIENT_SECRET }),
  });
  assert.match(
    run.stdout,
    /^Reconstructed what the client signed \(1 of \d+ candidates tried\):\n {2}Your client signed this request by ecr's rules\.$/m,
  );
  assert.match(
    run.stdout,
    /^Likely cause \(SECRET_KEY, step signing-key\): The request carries exactly the signature this secret gives for the server's own string to sign \(credentials from environment\)/m,
  );
  assert.not.ok(run.stdout.includes(CLIENT_SECRET) || run.stderr.includes(CLIENT_SECRET));
});

test('with a third secret in the profile: not reproduced, and the secret of the server is not blamed', async ({
  errorFile,
  requestFile,
}) => {
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', requestFile], {
    env: cleanEnv(home.path, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'a-third-secret-neither-side-holds-000003' }),
  });
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, /^Not reconstructed \(NOT_REPRODUCED/m);
  assert.match(run.stdout, /^Likely cause \(NOT_REPRODUCED\): .*another secret access key, or by a rule Glassbox does not try/m);
  assert.not.match(run.stdout, /SECRET_KEY/);
});

test.after(() => home.remove());
test.run();
