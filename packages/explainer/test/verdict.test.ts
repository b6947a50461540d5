import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareSide, explain, SUITE_SETTINGS } from '../src/explain.ts';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';

/** Signed by @smithy/signature-v4 (an independent signer), Content-Type left out of SignedHeaders. */
async function smithySigned(): Promise<string> {
  const signer = new SignatureV4({ credentials: suiteParameters.credentials, region: 'eu-west-2', service: 'ecr', sha256: Sha256 });
  const host = 'api.ecr.eu-west-2.amazonaws.com';
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: host,
      path: '/',
      headers: { host, 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    }),
    { signingDate: new Date('2015-08-30T12:36:00Z'), unsignableHeaders: new Set(['content-type']) },
  );
  return `POST / HTTP/1.1\n${Object.entries(signed.headers)
    .map(([n, v]) => `${n}:${v}`)
    .join('\n')}\n\n{}`;
}

test('a suite request pasted with its Authorization matches, with the example secret', async () => {
  const v = loadVectors().find((x) => x.name === 'get-vanilla-query')!;
  const explained = await explain(v.sreq, SUITE_SETTINGS);
  assert.ok(explained.ok && explained.verdict?.match === true);
});

test('the page signs a pasted request over its own SignedHeaders, and names the scope fields when they differ', async () => {
  const text = await smithySigned();
  const inScope = await explain(text, { ...SUITE_SETTINGS, region: 'eu-west-2', service: 'ecr' });
  assert.ok(inScope.ok);
  if (!inScope.ok) return;
  assert.is(inScope.result.signedHeaders, 'host;x-amz-content-sha256;x-amz-date');
  assert.is(inScope.verdict?.match, true);
  const defaults = await explain(text, SUITE_SETTINGS);
  assert.ok(defaults.ok && defaults.verdict?.step === 'string to sign' && defaults.verdict.row?.a?.name === 'credential scope');
});

test('a wrong secret is a difference at the signature, the two signatures whole', async () => {
  const explained = await explain(await smithySigned(), {
    ...SUITE_SETTINGS,
    region: 'eu-west-2',
    service: 'ecr',
    secretAccessKey: 'another-secret',
  });
  assert.ok(explained.ok);
  if (!explained.ok) return;
  assert.is(explained.verdict?.step, 'signature');
  assert.is(explained.verdict?.row?.whole, true);
  assert.equal(explained.verdict?.row?.charsB, [{ text: /Signature=([0-9a-f]{64})/.exec(await smithySigned())![1]!, differs: true }]);
});

test("a signature listing a header the request lacks stops at the canonical headers, in verify's words", async () => {
  const text = (await smithySigned()).replace('SignedHeaders=host;', 'SignedHeaders=accept;host;');
  const explained = await explain(text, { ...SUITE_SETTINGS, region: 'eu-west-2', service: 'ecr' });
  assert.ok(explained.ok);
  if (!explained.ok) return;
  assert.is(explained.verdict?.match, false);
  assert.match(
    explained.verdict?.text ?? '',
    /canonical headers: The header 'accept' is listed in SignedHeaders but is not in the request/,
  );
});

test('compare reads a signed side by its own SignedHeaders and scope, whatever the form says', async () => {
  const read = await compareSide(await smithySigned(), SUITE_SETTINGS);
  assert.ok(read.ok);
  if (!read.ok) return;
  assert.is(read.side.source, 'signed');
  assert.is(read.side.canonicalRequest.split('\n').at(-2), 'host;x-amz-content-sha256;x-amz-date');
  assert.is(read.side.stringToSign?.split('\n')[2], '20150830/eu-west-2/ecr/aws4_request');
});

test.run();
