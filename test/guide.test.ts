// The guides in docs/ show output generated from the code: these tests fail when a guide drifts from
// the code, and check the ECR walkthrough against an independent, by-hand computation of steps 2–5.
import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GUIDES, renderGuides } from '../scripts/gen-guide.ts';
import { repoRoot, suiteDir, suiteParameters } from './vectors.ts';

const run = promisify(execFile);
const guidePath = join(repoRoot, 'docs', 'sigv4-step-by-step.md');

/** The fenced block between a gen marker pair, without the fence. */
function block(markdown: string, name: string): string {
  const match = new RegExp(`<!-- gen:${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- /gen:${name} -->`).exec(markdown);
  assert.ok(match, `block gen:${name} is in the guide`);
  return match[1]!;
}

test('every generated block in the guides matches what the code produces now', async () => {
  const guides = await renderGuides();
  assert.ok(
    guides.some((g) => g.file === 'docs/sigv4-step-by-step.md'),
    'the step-by-step guide exists',
  );
  for (const guide of guides) {
    assert.equal(guide.unknown, [], `${guide.file}: markers without a generator`);
    assert.equal(guide.differing, [], `${guide.file}: out of date; run scripts/gen-guide.ts`);
  }
});

test('gen-guide --check exits 0 on the committed guides', async () => {
  const { stderr } = await run(process.execPath, ['--conditions=glassbox-source', '--import', 'tsx', 'scripts/gen-guide.ts', '--check'], {
    cwd: repoRoot,
  });
  assert.is(stderr, '');
});

test('a hand-edited block is reported as drift, by name', async () => {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-guide-'));
  try {
    mkdirSync(join(root, 'docs'));
    for (const file of GUIDES) {
      try {
        cpSync(join(repoRoot, file), join(root, file));
      } catch {
        // a guide not written yet
      }
    }
    const copy = join(root, 'docs', 'sigv4-step-by-step.md');
    const text = readFileSync(copy, 'utf8');
    const edited = text.replace('→ Param1=value1&Param2=value2', '→ Param2=value2&Param1=value1');
    assert.is.not(edited, text, 'the edit applies');
    writeFileSync(copy, edited);
    const guide = (await renderGuides(root)).find((g) => g.file === 'docs/sigv4-step-by-step.md')!;
    assert.equal(guide.differing, ['suite-canonical-query']);
    assert.is(guide.expected, text, 'regenerating restores the committed text');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the official-case walkthrough shows the suite files verbatim', () => {
  const guide = readFileSync(guidePath, 'utf8');
  const dir = join(suiteDir, 'get-vanilla-query-order-key-case');
  const expected = (ext: string): string => readFileSync(join(dir, `get-vanilla-query-order-key-case.${ext}`), 'utf8');
  const unmark = (text: string): string =>
    text
      .split('\n')
      .slice(1)
      .join('\n')
      .replace(/↵/g, '')
      .replace(/ {3}\(no newline at the end\)$/, '');
  assert.is(unmark(block(guide, 'suite-canonical-request')), expected('creq'));
  assert.is(unmark(block(guide, 'suite-string-to-sign')), expected('sts'));
  assert.is(block(guide, 'suite-authorization').split('\n')[1], expected('authz'));
});

test('the ECR walkthrough agrees with steps 2 to 5 computed by hand with node:crypto', () => {
  const guide = readFileSync(guidePath, 'utf8');
  const creq = block(guide, 'ecr-canonical-request')
    .replace(/↵/g, '')
    .replace(/ {3}\(no newline at the end\)$/, '');
  const lines = creq.split('\n');
  // Facts from the service model and a captured AWS CLI request, not from the signer.
  assert.is(lines[0], 'POST');
  assert.is(lines.at(-2), 'content-type;host;x-amz-date;x-amz-target');
  assert.is(lines.at(-1), '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', 'SHA-256 of the two bytes {}');
  assert.ok(creq.includes('\nx-amz-target:AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken\n'));

  const amzDate = /^x-amz-date:(\d{8}T\d{6}Z)$/m.exec(creq)![1]!;
  const scope = `${amzDate.slice(0, 8)}/us-east-1/ecr/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(creq).digest('hex')].join('\n');
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
  let key = hmac(`AWS4${suiteParameters.credentials.secretAccessKey}`, amzDate.slice(0, 8));
  for (const part of ['us-east-1', 'ecr', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');

  const signed = block(guide, 'ecr-signed-request');
  assert.ok(
    signed.includes(
      `Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${scope}, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${signature}`,
    ),
    'the signed request carries the signature computed by hand',
  );
  assert.ok(block(guide, 'ecr-signing-key').includes(`→ ${signature}`));
});

test('the guide never shows the example secret outside the suite parameters block', () => {
  const guide = readFileSync(guidePath, 'utf8');
  const secret = suiteParameters.credentials.secretAccessKey;
  const withoutParameters = guide.replace(/<!-- gen:suite-parameters -->[\s\S]*?<!-- \/gen:suite-parameters -->/, '');
  assert.not.ok(withoutParameters.includes(secret));
});

test.run();
