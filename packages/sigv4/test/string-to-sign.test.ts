// Step 3, the string to sign: every suite .sts from its .creq, hashed here with node:crypto.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALGORITHM, stringToSign } from '@glassbox/sigv4';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';

for (const vector of loadVectors()) {
  test(`builds the suite's string to sign for ${vector.name} from its canonical request`, () => {
    const hash = createHash('sha256').update(vector.creq).digest('hex');
    assert.fixture(stringToSign(suiteParameters.date, '20150830/us-east-1/service/aws4_request', hash), vector.sts);
  });
}

test('puts the algorithm, time, scope and hash on four lines, with no trailing newline', () => {
  assert.is(stringToSign('20150830T123600Z', 's', 'h'), 'AWS4-HMAC-SHA256\n20150830T123600Z\ns\nh');
  assert.is(ALGORITHM, 'AWS4-HMAC-SHA256');
});

test.run();
