// Step 1, the canonical request: the six parts of every suite .creq, joined back, give the .creq.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalRequest } from '@glassbox/sigv4';
import { loadVectors } from '../../../test/vectors.ts';

for (const vector of loadVectors()) {
  test(`joins the parts of ${vector.name} into the suite's canonical request`, () => {
    const lines = vector.creq.split('\n');
    const blank = lines.indexOf('', 3);
    const parts = {
      method: lines[0]!,
      canonicalUri: lines[1]!,
      canonicalQueryString: lines[2]!,
      canonicalHeaders: lines.slice(3, blank).join('\n') + '\n',
      signedHeaders: lines[blank + 1]!,
      payloadHash: lines[blank + 2]!,
    };
    assert.fixture(canonicalRequest(parts), vector.creq);
  });
}

test('leaves a blank line between the headers and the signed header names', () => {
  const text = canonicalRequest({
    method: 'GET',
    canonicalUri: '/',
    canonicalQueryString: '',
    canonicalHeaders: 'host:h\n',
    signedHeaders: 'host',
    payloadHash: 'p',
  });
  assert.is(text, 'GET\n/\n\nhost:h\n\nhost\np');
});

test.run();
