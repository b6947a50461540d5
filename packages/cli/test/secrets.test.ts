import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { serializeHttpRequest, sign } from '@glassbox/sigv4';
import { startEcrEmulator } from '@glassbox/ecr/emulator';
import { cleanEnv, inBatches, runGlassbox, tempDir, type RunResult } from './run-bin.ts';

// Distinctive values with characters that URI-encoding changes, so an encoded leak is caught too.
const SECRET = 'scanSECRET/ab+cd=ef0123456789ABCDEFGHIJKLMN';
const TOKEN = 'scanTOKEN//ab+cd==FwoGZXIvYXdzEJr//////////wEaDOnlyForTheScanTest+END=';
const ACCESS_KEY = 'ASIASCANTEST00000001';
const forms = [SECRET, TOKEN, encodeURIComponent(SECRET), encodeURIComponent(TOKEN), Buffer.from(SECRET).toString('base64'), Buffer.from(TOKEN).toString('base64')];

const test = suite('secrets given through the environment never appear in any output');

test('every command, with and without --debug, successes and failures: no secret in stdout or stderr', async () => {
  const emulator = await startEcrEmulator({ credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN }] });
  const home = tempDir();
  try {
    const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN, FORCE_COLOR: '1' });
    const signed = await sign(
      { method: 'GET', url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod?x=1' },
      { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN }, region: 'us-east-1', service: 'execute-api' },
    );
    const signedText = serializeHttpRequest(signed.request);
    assert.ok(signedText.includes(TOKEN), 'the verify input really carries the token');
    const ecrSend = ['sign', '--send', '-X', 'POST', '-H', 'Content-Type: application/x-amz-json-1.1', '-H', 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken', '-d', '{}', '--region', 'us-east-1', '--service', 'ecr', `${emulator.url}/`];
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
      { args: ['diff', '--server-error', '-', '--request-file', 'missing.req'], stdin: '{"__type":"InvalidSignatureException","message":"x"}' },
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
    assert.ok(runs.some((r) => r.result.stdout.startsWith('HTTP 200')), '--send sent the real token, not the redacted one');
    assert.ok(runs.some((r) => /^\s+at /m.test(r.result.stderr)), 'some --debug run printed a stack');
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
