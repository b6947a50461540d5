import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { serializeHttpRequest, sign } from '@glassbox/sigv4';
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { cleanEnv, inBatches, runGlassbox, runHelper, tempDir, type HelperRun, type RunResult } from './run-bin.ts';

// Distinctive values with characters that URI-encoding changes, so an encoded leak is caught too.
const SECRET = 'scanSECRET/ab+cd=ef0123456789ABCDEFGHIJKLMN';
const TOKEN = 'scanTOKEN//ab+cd==FwoGZXIvYXdzEJr//////////wEaDOnlyForTheScanTest+END=';
const ACCESS_KEY = 'ASIASCANTEST00000001';
const forms = [
  SECRET,
  TOKEN,
  encodeURIComponent(SECRET),
  encodeURIComponent(TOKEN),
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(TOKEN).toString('base64'),
];

const test = suite('secrets given through the environment never appear in any output');

test('every command, with and without --debug, successes and failures: no secret in stdout or stderr', async () => {
  const emulator = await startEcrEmulator({ credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN }] });
  const home = tempDir();
  try {
    const env = cleanEnv(home.path, {
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: TOKEN,
      FORCE_COLOR: '1',
    });
    const signed = await sign(
      { method: 'GET', url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod?x=1' },
      {
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN },
        region: 'us-east-1',
        service: 'execute-api',
      },
    );
    const signedText = serializeHttpRequest(signed.request);
    assert.ok(signedText.includes(TOKEN), 'the verify input really carries the token');
    const ecrSend = [
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
      `${emulator.url}/`,
    ];
    const invocations: Array<{ args: string[]; stdin?: string }> = [
      { args: ['--help'] },
      { args: ['sign', 'https://abc.execute-api.us-east-1.amazonaws.com/prod?x=1'] },
      { args: ['sign', '--json', '--show-signing-key', 'https://abc.execute-api.us-east-1.amazonaws.com/prod?x=1'] },
      { args: ['sign', '--presign', 'https://my-bucket.s3.amazonaws.com/key'] },
      { args: ['sign', '--presign', '--json', 'https://my-bucket.s3.amazonaws.com/key'] },
      { args: ['sign', '--unsigned-session-token', '--json', 'https://iot.us-east-1.amazonaws.com/things'] },
      { args: ecrSend },
      { args: [...ecrSend, '--json'] },
      { args: ['sign', '--request-file', 'missing.req'] },
      { args: ['sign', '--region', 'nowhere', 'https://s3.amazonaws.com/'] },
      { args: ['verify', '--request-file', '-'], stdin: signedText },
      { args: ['verify', '--request-file', '-', '--json'], stdin: signedText.replace('/prod', '/dev') },
      {
        args: ['diff', '--server-error', '-', '--request-file', 'missing.req'],
        stdin: '{"__type":"InvalidSignatureException","message":"x"}',
      },
      { args: ['ecr', 'get-login-password', '--region', 'us-east-1', '--endpoint-url', emulator.url] },
      { args: ['ecr', 'login', '--region', 'us-east-1', '--endpoint-url', emulator.url] },
      { args: ['ecr', 'login', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:1'] },
      { args: ['ecr', 'configure-helper', '--registry', 'public.ecr.aws'] },
      { args: ['demo'] },
    ];
    const all = [false, true].flatMap((debug) => invocations.map((i) => ({ ...i, args: debug ? ['--debug', ...i.args] : i.args })));
    const runs: Array<{ args: string[]; result: RunResult }> = await inBatches(all, 3, async (invocation) => ({
      args: invocation.args,
      result: await runGlassbox(invocation.args, { env, ...(invocation.stdin === undefined ? {} : { stdin: invocation.stdin }) }),
    }));
    // The scan must be able to fail: the runs did real work (a token was fetched, signatures were printed).
    assert.ok(runs.some((r) => r.result.stdout.includes('Login Succeeded')));
    assert.ok(runs.some((r) => r.result.stdout.includes('Authorization header')));
    assert.ok(
      runs.some((r) => r.result.stdout.startsWith('HTTP 200')),
      '--send sent the real token, not the redacted one',
    );
    assert.ok(
      runs.some((r) => /^\s+at /m.test(r.result.stderr)),
      'some --debug run printed a stack',
    );
    for (const { args, result } of runs) {
      for (const form of forms) {
        assert.not.ok(result.stdout.includes(form), `stdout of glassbox ${args.join(' ')} holds a secret`);
        assert.not.ok(result.stderr.includes(form), `stderr of glassbox ${args.join(' ')} holds a secret`);
      }
    }
  } finally {
    await emulator.close();
    home.remove();
  }
});
test.run();

const chain = suite('secrets a failing credential source prints never appear in any output, log or file');

/** Every file under a folder, with its text (config.json, the token cache, the log). */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, text: readFileSync(path, 'latin1') };
    });
}

chain(
  'a credential_process that prints its credentials JSON to stderr and exits 1: ecr login, sign, the helper and every file are clean',
  async () => {
    const secret = 'failingProcessSECRET/0123456789abcdefghij+KLMN';
    const token = 'failingProcessTOKEN//FwoGZXIvYXdzEJr0123456789+abcdefghij==';
    const leakForms = [secret, token, encodeURIComponent(secret), encodeURIComponent(token)];
    const password = 'chain-scan-registry-password-0123456789';
    const emulator = await startEcrEmulator({
      credentials: [{ accessKeyId: 'AKIAHEALTHY000000001', secretAccessKey: 'healthy-secret-0123456789abcdefghijkl' }],
      password,
    });
    const home = tempDir();
    try {
      const script = join(home.path, 'failing-process.mjs');
      const document = JSON.stringify({
        Version: 1,
        AccessKeyId: 'ASIAFAILINGPROC00001',
        SecretAccessKey: secret,
        SessionToken: token,
        Expiration: new Date(Date.now() + 3600_000).toISOString(),
      });
      writeFileSync(
        script,
        `process.stderr.write(${JSON.stringify(`credential helper failed, last answer was: ${document}\n`)}); process.exit(1);\n`,
      );
      writeFileSync(
        join(home.path, 'aws-config'),
        `[default]\ncredential_process = "${process.execPath}" "${script}"\nregion = us-east-1\n[profile healthy]\nregion = us-east-1\n`,
      );
      writeFileSync(
        join(home.path, 'aws-credentials'),
        '[healthy]\naws_access_key_id = AKIAHEALTHY000000001\naws_secret_access_key = healthy-secret-0123456789abcdefghijkl\n',
      );
      const log = join(home.path, 'glassbox.log');
      const env = cleanEnv(home.path, { AWS_ENDPOINT_URL_ECR: emulator.url, GLASSBOX_LOG: log, FORCE_COLOR: '1' });
      // Something real in config.json and the cache first, so that scanning them means something.
      const healthy = await runGlassbox(['ecr', 'login', '--profile', 'healthy'], { env });
      assert.is(healthy.code, 0, healthy.stderr);
      const warm = await runHelper(['get'], '123456789012.dkr.ecr.us-east-1.amazonaws.com', { ...env, AWS_PROFILE: 'healthy' });
      assert.is(warm.code, 0, warm.stderr);

      const runs: Array<{ what: string; result: HelperRun }> = [];
      for (const args of [
        ['ecr', 'login'],
        ['--debug', 'ecr', 'login'],
        ['ecr', 'get-login-password'],
        ['--debug', 'sign', 'https://abc.execute-api.us-east-1.amazonaws.com/prod'],
      ]) {
        runs.push({ what: `glassbox ${args.join(' ')}`, result: await runGlassbox(args, { env }) });
      }
      // Another registry, so the helper has no cached token and must run the failing chain.
      runs.push({
        what: 'docker-credential-glassbox get',
        result: await runHelper(['get'], '210987654321.dkr.ecr.us-east-1.amazonaws.com', env),
      });
      for (const { what, result } of runs) {
        assert.is(result.code === 0, false, `${what} failed`);
        assert.match(
          result.stdout + result.stderr,
          /exited with code 1: credential helper failed, last answer was: \{"Version":1,"AccessKeyId":"ASIAFAILINGPROC00001"/,
          `${what} quotes the stderr`,
        );
        for (const form of leakForms) {
          assert.not.ok(result.stdout.includes(form), `stdout of ${what} holds a secret: ${result.stdout}`);
          assert.not.ok(result.stderr.includes(form), `stderr of ${what} holds a secret: ${result.stderr}`);
        }
      }
      const files = [...filesUnder(home.path).filter((file) => !file.path.endsWith('failing-process.mjs'))];
      assert.ok(
        files.some((file) => file.path === log),
        'the helper wrote its log',
      );
      assert.ok(
        files.some((file) => file.path.endsWith('config.json')),
        'config.json exists',
      );
      assert.ok(
        files.some((file) => file.path.includes(`${join(home.path, 'cache')}`)),
        'the token cache exists',
      );
      for (const file of files) for (const form of leakForms) assert.not.ok(file.text.includes(form), `${file.path} holds a secret`);
    } finally {
      await emulator.close();
      home.remove();
    }
  },
);
chain.run();
