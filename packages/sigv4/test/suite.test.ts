import { Sha256 } from '@aws-crypto/sha256-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHttpRequest, sign, type SignOptions } from '@glassbox/sigv4';
import { loadVectors, sessionTokenFor, suiteParameters } from '../../../test/vectors.ts';

const vectors = loadVectors();

for (const [hashName, sha256] of [
  ['node:crypto', undefined],
  ['@aws-crypto/sha256-js', Sha256],
] as const) {
  const test = suite(`official suite (${hashName})`);
  test('has all 34 cases', () => assert.is(vectors.length, 34));
  for (const vector of vectors) {
    const { sessionToken, signSessionToken } = sessionTokenFor(vector);
    const options: SignOptions = {
      ...suiteParameters,
      credentials: { ...suiteParameters.credentials, ...(sessionToken === undefined ? {} : { sessionToken }) },
      signSessionToken,
      sha256,
    };
    test(`${vector.name} › canonical request`, async () => {
      assert.fixture((await sign(parseHttpRequest(vector.req), options)).canonicalRequest, vector.creq);
    });
    test(`${vector.name} › string to sign`, async () => {
      assert.fixture((await sign(parseHttpRequest(vector.req), options)).stringToSign, vector.sts);
    });
    test(`${vector.name} › authorization`, async () => {
      assert.is((await sign(parseHttpRequest(vector.req), options)).authorization, vector.authz);
    });
    test(`${vector.name} › signed request`, async () => {
      const signed = (await sign(parseHttpRequest(vector.req), options)).request;
      const expected = parseHttpRequest(vector.sreq);
      // The suite's .sreq for get-vanilla-with-session-token carries a stale signature (see its
      // README): compare its Authorization against the .authz instead.
      expected.headers.Authorization = vector.authz;
      assert.equal(lowerCaseHeaders(signed.headers), lowerCaseHeaders(expected.headers), 'headers');
      assert.is(signed.method, expected.method);
      assert.is(signed.url, expected.url);
      assert.is(signed.body ?? '', expected.body ?? '');
    });
  }
  test.run();
}

function lowerCaseHeaders(headers: Record<string, string | string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) (out[name.toLowerCase()] ??= []).push(...(Array.isArray(value) ? value : [value]));
  return out;
}
