// Step 4b, the signature: HMAC of every suite .sts under the suite's signing key, against its .authz.
import { createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeSha256, signature } from '@glassbox/sigv4';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';

// The suite's signing key, derived here with node:crypto from the suite's parameters.
let key: Buffer = Buffer.from(`AWS4${suiteParameters.credentials.secretAccessKey}`);
for (const part of ['20150830', suiteParameters.region, suiteParameters.service, 'aws4_request'])
  key = createHmac('sha256', key).update(part).digest();

for (const vector of loadVectors()) {
  test(`signs the suite's string to sign for ${vector.name} with the signature in its .authz`, () => {
    assert.is(signature(key, vector.sts, nodeSha256), /Signature=([0-9a-f]{64})/.exec(vector.authz)![1]);
  });
}

test.run();
