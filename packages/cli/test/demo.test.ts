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
    // One numbering, the guide's (docs/sigv4-step-by-step.md "Step 0" to "Step 5"); sections have titles only.
    const steps = [
      '── Credentials',
      '── The request',
      '── Canonical request and string to sign',
      'Step 1 · Canonical URI',
      'Step 1 · Canonical query string',
      'Step 1 · Canonical headers',
      'Step 1 · Signed headers',
      'Step 1 · Payload hash',
      'Step 1 · Canonical request',
      'Step 2 · Hash of the canonical request',
      'Step 3 · Credential scope',
      'Step 3 · String to sign',
      '── Signing key and signature',
      'Step 4 · Signing key',
      'Step 4 · Signature',
      'Step 5 · Authorization header',
      '── The HTTP exchange',
      '── The token',
      "── Docker's config.json",
      '── What Docker does next',
    ];
    let at = 0;
    for (const step of steps) {
      const index = run.stdout.indexOf(step, at);
      assert.ok(index > at, `'${step}' appears, in order`);
      at = index;
    }
    assert.not.match(run.stdout, /^ ?\d+\. /m, 'no second numbering of the trace');
    assert.not.match(run.stdout, /\(step \d/, "no third numbering: the guide's step is the label");
    assert.match(
      run.stdout,
      /Shown: every value the public example key computes, once[\s\S]*Redacted: the\nsecret key, the token and the password everywhere, and the signature wherever it travels/,
    );
    for (const heading of ['Step 1 —', 'Step 2 —', 'Step 3 —', 'Step 4 —', 'Step 5 —']) {
      const { readFileSync } = await import('node:fs');
      assert.ok(
        readFileSync(new URL('../../../docs/sigv4-step-by-step.md', import.meta.url), 'utf8').includes(`### ${heading}`),
        `the guide has ${heading}`,
      );
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
