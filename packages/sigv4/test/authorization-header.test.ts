// Step 5, the Authorization header: rebuilt from the parts of every suite .authz.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authorizationHeader } from '@glassbox/sigv4';
import { loadVectors } from '../../../test/vectors.ts';

for (const vector of loadVectors()) {
  test(`writes the suite's Authorization header for ${vector.name}`, () => {
    const [, keyId, scope, names, sig] = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\S+), SignedHeaders=(\S+), Signature=(\S+)$/.exec(
      vector.authz,
    )!;
    assert.is(authorizationHeader(keyId!, scope!, names!, sig!), vector.authz);
  });
}

test.run();
