import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  canonicalLineNames,
  canonicalRequestOf,
  compareCanonical,
  compareInputs,
  explain,
  looksLikeCanonicalRequest,
  looksLikeErrorBody,
  summarize,
  SUITE_SETTINGS,
} from '../src/explain.ts';
import { RECIPES, run, startServers } from '../../../test/cookbook-recipes.ts';
import { wireText } from '../../../scripts/gen-guide.ts';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';

const vectors = loadVectors();
const vector = (name: string) => vectors.find((v) => v.name === name)!;

test('the default settings are the suite parameters', () => {
  assert.is(SUITE_SETTINGS.accessKeyId, suiteParameters.credentials.accessKeyId);
  assert.is(SUITE_SETTINGS.secretAccessKey, suiteParameters.credentials.secretAccessKey);
  assert.is(SUITE_SETTINGS.region, suiteParameters.region);
  assert.is(SUITE_SETTINGS.service, suiteParameters.service);
});

test('explains an official case with @aws-crypto/sha256-js to the suite’s Authorization value', async () => {
  const v = vector('post-x-www-form-urlencoded');
  const explained = await explain(v.req, SUITE_SETTINGS);
  assert.ok(explained.ok);
  if (!explained.ok) return;
  assert.is(explained.result.authorization, v.authz);
  assert.is(explained.result.canonicalRequest, v.creq);
  assert.ok(
    explained.trace.some((s) => s.id === 'signing-key' && /^[0-9a-f]{64}$/.test(s.output)),
    'the key chain is shown',
  );
});

test('reports a bad request as data with the SigV4Error code', async () => {
  const explained = await explain('GET / HTTP/1.1\nX-Amz-Date:20150830T123600Z', SUITE_SETTINGS);
  assert.equal(explained.ok ? 'ok' : explained.code, 'INVALID_REQUEST');
  const badRegion = await explain(vector('get-vanilla').req, { ...SUITE_SETTINGS, region: 'us east' });
  assert.equal(badRegion.ok ? 'ok' : badRegion.code, 'INVALID_REGION');
});

test('uses the date field only when the request has no X-Amz-Date', async () => {
  const explained = await explain('GET / HTTP/1.1\nHost:example.amazonaws.com', { ...SUITE_SETTINGS, date: '20200101T000000Z' });
  assert.ok(explained.ok && explained.result.amzDate === '20200101T000000Z');
  const withHeader = await explain(vector('get-vanilla').req, { ...SUITE_SETTINGS, date: '20200101T000000Z' });
  assert.ok(withHeader.ok && withHeader.result.authorization === vector('get-vanilla').authz);
});

test('S3 rules encode the path once', async () => {
  const text = 'GET /my%20photos/a.jpg HTTP/1.1\nHost:b.s3.amazonaws.com\nX-Amz-Date:20150830T123600Z';
  const s3 = await explain(text, { ...SUITE_SETTINGS, s3: true, service: 's3' });
  const other = await explain(text, SUITE_SETTINGS);
  assert.ok(s3.ok && other.ok);
  if (!s3.ok || !other.ok) return;
  assert.is(s3.result.canonicalRequest.split('\n')[1], '/my%20photos/a.jpg');
  assert.is(other.result.canonicalRequest.split('\n')[1], '/my%2520photos/a.jpg');
});

test('names the lines of a canonical request', () => {
  assert.equal(canonicalLineNames(vector('post-header-key-sort').creq.split('\n')), [
    'method',
    'canonical URI',
    'canonical query string',
    'canonical header',
    'canonical header',
    'canonical header',
    'end of headers',
    'signed headers',
    'payload hash',
  ]);
});

test('takes a pasted canonical request as is, and computes one from an HTTP request', async () => {
  const v = vector('get-vanilla-query');
  assert.ok(looksLikeCanonicalRequest(v.creq));
  assert.not.ok(looksLikeCanonicalRequest(v.req));
  assert.equal(await canonicalRequestOf(v.creq, SUITE_SETTINGS), { ok: true, canonicalRequest: v.creq, source: 'pasted' });
  assert.equal(await canonicalRequestOf(v.req, SUITE_SETTINGS), { ok: true, canonicalRequest: v.creq, source: 'request' });
});

test('compare marks exactly the changed line and the differing characters', () => {
  const a = vector('get-vanilla-query-order-key').creq;
  const b = a.replace('Param1=Value1', 'Param1=Value%201');
  assert.is.not(b, a);
  const rows = compareCanonical(a, b);
  const changed = rows.filter((r) => r.kind !== 'same');
  assert.is(changed.length, 1);
  assert.is(changed[0]!.kind, 'changed');
  assert.is(changed[0]!.a!.name, 'canonical query string');
  assert.equal(
    changed[0]!
      .charsB!.filter((c) => c.differs)
      .map((c) => c.text)
      .join(''),
    '%20',
  );
  assert.match(summarize(rows), /^1 line differs \(canonical query string; line 3\)/);
});

test('compare shows a header only one side signed as a one-sided row', () => {
  const a = vector('get-vanilla').creq;
  const b = vector('post-header-key-sort').creq.replace('POST', 'GET');
  const rows = compareCanonical(a, b);
  assert.ok(rows.some((r) => r.kind === 'only-b' && r.b!.text === 'my-header1:value1'));
  assert.ok(rows.some((r) => r.kind === 'changed' && r.a!.name === 'signed headers'));
  assert.match(summarize(compareCanonical(a, a)), /identical/);
});

test('side B may be the service error body: its canonical request is lined up and the cause named', async () => {
  const servers = await startServers();
  try {
    const recipe = RECIPES.find((r) => r.id === 'proxy-rewrites-header')!;
    const { answer } = await run(servers, recipe, 'broken');
    assert.ok(looksLikeErrorBody(answer.body));
    const settings = { ...SUITE_SETTINGS, service: 'ecr' };
    const inputs = await compareInputs(wireText((await recipe.signed()).wire), answer.body, settings);
    assert.ok(inputs.ok);
    if (!inputs.ok) return;
    assert.is(inputs.cause?.code, 'HEADER_VALUE_CHANGED');
    assert.match(inputs.reconstruction ?? '', /needs your secret access key, which this page never asks for/);
    const changed = compareCanonical(inputs.a, inputs.b!).filter((r) => r.kind !== 'same');
    assert.equal(
      changed.map((r) => r.b!.text),
      ['content-type:application/x-amz-json-1.1; charset=utf-8'],
    );

    // An error that quotes no canonical request still gets its cause named.
    const skew = RECIPES.find((r) => r.id === 'clock-skew')!;
    const skewed = await compareInputs(wireText((await skew.signed()).wire), (await run(servers, skew, 'broken')).answer.body, settings);
    assert.ok(skewed.ok && skewed.b === undefined && skewed.cause?.code === 'CLOCK_SKEW');
  } finally {
    await servers.close();
  }
});

test('the advice for an unrecognised error names what to do in the page, not a library option', async () => {
  const v = vector('get-vanilla');
  const sts = v.sts.split('\n');
  sts[3] = '0'.repeat(64); // the server hashed another canonical request, and does not quote it
  const s3 = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><StringToSign>${sts.join('\n')}</StringToSign></Error>`;
  const quoted = await compareInputs(v.req, s3, SUITE_SETTINGS);
  assert.ok(quoted.ok && quoted.cause?.code === 'UNKNOWN');
  if (!quoted.ok) return;
  assert.match(quoted.cause!.fix, /^Paste the request you sent in the Explain tab and check its canonical request step/);
  const silent = await compareInputs(v.req, '{"__type":"InvalidSignatureException","message":"no details"}', SUITE_SETTINGS);
  assert.ok(silent.ok);
  if (!silent.ok) return;
  assert.match(silent.cause!.fix, /^Paste the signed request in the Explain tab, with the secret that signed it in the form/);
  for (const fix of [quoted.cause!.fix, silent.cause!.fix]) assert.not.match(fix, /trace: true|glassbox diff/);
});

test.run();
