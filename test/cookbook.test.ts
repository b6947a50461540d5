// Every recipe of docs/debugging-signature-does-not-match.md, run for real against local servers on
// 127.0.0.1: the broken request fails with the error the guide shows, the fix succeeds, and where the
// service quotes its canonical request, `glassbox diff` names the part that differs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { glassboxDiff } from '../scripts/gen-guide.ts';
import { diagnose, type DiagnosisCode } from '../packages/sigv4/src/index.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { broken, reconstructionDiagnosis, RECIPES, RECONSTRUCTION_RECIPES, run, startServers, type Servers } from './cookbook-recipes.ts';
import { repoRoot, suiteParameters } from './vectors.ts';

const test = suite<{ servers: Servers }>('debugging cookbook', { servers: undefined as unknown as Servers });

test.before(async (ctx) => {
  ctx.servers = await startServers();
});
test.after(async (ctx) => {
  await ctx.servers?.close();
});

/** The error code of an AWS answer: JSON `__type` or XML `<Code>`. */
function codeOf(body: string): string | undefined {
  if (body.startsWith('{')) return (JSON.parse(body) as { __type?: string }).__type;
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

for (const recipe of RECIPES) {
  test(`${recipe.id}: the broken request is refused with ${recipe.code}`, async ({ servers }) => {
    const { answer } = await run(servers, recipe, 'broken');
    assert.ok(answer.status >= 400 && answer.status < 500, `status ${answer.status}`);
    assert.is(codeOf(answer.body), recipe.code);
  });
  test(`${recipe.id}: the fixed request is accepted`, async ({ servers }) => {
    const { answer } = await run(servers, recipe, 'fixed');
    assert.is(answer.status, 200, answer.body);
  });
}

test('the causes are the ones the guide names', async ({ servers }) => {
  const body = async (id: string): Promise<string> => (await run(servers, RECIPES.find((r) => r.id === id)!, 'broken')).answer.body;
  assert.match(await body('unsigned-headers'), '<HeadersNotSigned>x-amz-meta-owner</HeadersNotSigned>');
  assert.match(await body('s3-double-encoding'), '<CanonicalRequest>GET\n/my%20photo.jpg\n');
  assert.match(await body('path-normalisation'), '<CanonicalRequest>GET\n/photos//cat.jpg\n');
  assert.match(await body('query-encoding'), 'prefix=my%2Bphotos%2F');
  assert.match(await body('clock-skew'), 'Signature expired: 20260115T091500Z is now earlier than 20260115T092500Z');
  assert.match(await body('wrong-region'), "Credential should be scoped to a valid region, not 'eu-west-1'.");
  assert.match(await body('wrong-service'), "Credential should be scoped to correct service: 'ecr'");
  assert.match(await body('missing-session-token'), 'The security token included in the request is invalid.');
  assert.match(await body('expired-presigned-url'), '<Message>Request has expired</Message><X-Amz-Expires>300</X-Amz-Expires>');
  // SHA-256 of 'hello' (what was signed) against that of 'hello, world' (what was sent).
  assert.match(
    await body('payload-hash'),
    '<ClientComputedContentSHA256>2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824<',
  );
});

// What diagnose() names for each recipe, from the client's own sign() result and the error body.
const DIAGNOSES: Record<string, DiagnosisCode> = {
  'unsigned-headers': 'HEADER_NOT_SIGNED',
  'repeated-headers': 'HEADER_VALUE_CHANGED',
  'proxy-rewrites-header': 'HEADER_VALUE_CHANGED',
  'whitespace-body': 'PAYLOAD_HASH',
  's3-double-encoding': 'PATH_ENCODING',
  'path-normalisation': 'PATH_NOT_NORMALIZED',
  'query-encoding': 'QUERY_ENCODING',
  'payload-hash': 'PAYLOAD_HASH',
  'clock-skew': 'CLOCK_SKEW',
  'wrong-region': 'WRONG_REGION',
  'wrong-service': 'WRONG_SERVICE',
  'missing-session-token': 'SESSION_TOKEN_MISSING',
  'expired-presigned-url': 'EXPIRED',
};

test('every recipe has an expected diagnosis', () => {
  assert.equal(Object.keys(DIAGNOSES).sort(), RECIPES.map((r) => r.id).sort());
});

for (const recipe of RECIPES) {
  test(`${recipe.id}: diagnose() names ${DIAGNOSES[recipe.id]}`, async ({ servers }) => {
    const { answer } = await run(servers, recipe, 'broken');
    const { ours } = await recipe.signed();
    assert.is(diagnose(ours, answer.body).likelyCause.code, DIAGNOSES[recipe.id]);
  });
}

const DIFF_EXPECTATIONS: Record<string, RegExp> = {
  'repeated-headers': /HEADER_VALUE_CHANGED[\s\S]*^-x-trace-tag:blue,green$\n^\+x-trace-tag:blue, green$/m,
  'proxy-rewrites-header': /HEADER_VALUE_CHANGED[\s\S]*^\+content-type:application\/x-amz-json-1\.1; charset=utf-8$/m,
  'whitespace-body': /PAYLOAD_HASH/,
  'query-encoding': /QUERY_ENCODING[\s\S]*^\+list-type=2&prefix=my%2Bphotos%2F$/m,
};

for (const [id, expected] of Object.entries(DIFF_EXPECTATIONS)) {
  test(`${id}: glassbox diff on the error and the request as signed names the cause`, async ({ servers }) => {
    const recipe = RECIPES.find((r) => r.id === id)!;
    const { answer } = await run(servers, recipe, 'broken');
    const { exitCode, output } = await glassboxDiff(answer.body, (await recipe.signed()).wire);
    assert.is(exitCode, 1, output);
    assert.match(output, expected);
    assert.not.match(output, suiteParameters.credentials.secretAccessKey);
  });
}

test('transit recipes really change the request between signing and arrival', async () => {
  for (const recipe of RECIPES.filter((r) => r.transit)) {
    assert.is.not(JSON.stringify(await broken(recipe)), JSON.stringify((await recipe.signed()).wire), recipe.id);
  }
});

// Part 2: requests signed by other clients, one recipe per signer behaviour.
const guide = readFileSync(join(repoRoot, 'docs', 'debugging-signature-does-not-match.md'), 'utf8');

for (const recipe of RECONSTRUCTION_RECIPES) {
  test(`part 2, ${recipe.id}: diagnose reconstructs ${recipe.expected.join(' + ')} and the guide shows it`, async () => {
    const diagnosis = await reconstructionDiagnosis(recipe);
    assert.is(diagnosis.reconstruction?.code, 'REPRODUCED');
    assert.equal(
      diagnosis.reconstruction!.candidate!.behaviours.map((b) => b.code),
      recipe.expected,
    );
    assert.is.not(diagnosis.likelyCause.code, 'SECRET_KEY');
    assert.ok(
      guide.includes(`<!-- gen:cookbook-reconstruct-${recipe.id.toLowerCase().replace(/_/g, '-')} -->`),
      'the guide has a recipe for it',
    );
    assert.not.ok(JSON.stringify(diagnosis).includes(suiteParameters.credentials.secretAccessKey));
  });
}

test.run();
