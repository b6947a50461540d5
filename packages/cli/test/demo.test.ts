import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from './run-bin.ts';

const test = suite('glassbox demo');

test('runs offline end to end: every step shown, the token redacted, the temporary config removed', async () => {
  const home = tempDir();
  try {
    // No AWS credentials at all in the environment: the demo brings its own example keys.
    const run = await runGlassbox(['demo'], { env: cleanEnv(home.path) });
    assert.is(run.code, 0, run.stderr);
    const steps = [
      '1. Credentials',
      '2. The request',
      '3. Canonical request and string to sign',
      '4. Signing key and signature',
      '5. The HTTP exchange',
      '6. The token',
      "7. Docker's config.json",
      '8. What Docker does next',
    ];
    let at = 0;
    for (const step of steps) {
      const index = run.stdout.indexOf(step, at);
      assert.ok(index > at, `'${step}' appears, in order`);
      at = index;
    }
    assert.match(run.stdout, /source\s+environment/);
    assert.match(run.stdout, /Started the ECR emulator at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(run.stdout, /< HTTP 200/);
    assert.match(run.stdout, /kSigning\s+= HMAC\(kService, "aws4_request"\)\n\s+= [0-9a-f]{64}/);
    assert.match(run.stdout, /"auth": "\[redacted: base64 of AWS:<password>, \d+ chars\]"/);
    assert.match(run.stdout, /mode 0600/);
    assert.match(run.stdout, /expires at\s+\d{4}-\d\d-\d\dT/);
    assert.match(run.stdout, /glassbox ecr login --region/);
    assert.not.match(run.stdout, /"auth": "[A-Za-z0-9+/=]{40,}"/, 'no real auth value');
    const folder = /(\/\S+glassbox-demo-[^/\s]+)\/docker\/config\.json/.exec(run.stdout)?.[1];
    assert.ok(folder, 'the config path is shown');
    const { existsSync } = await import('node:fs');
    assert.not.ok(existsSync(folder!), 'the temporary folder is removed');
  } finally {
    home.remove();
  }
});
test.run();
