// Step 5, the Authorization header: rebuilt from the parts of every suite .authz, and read back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authorizationHeader, readAuthorizationHeader } from '@glassbox/sigv4';
import { loadVectors } from '../../../test/vectors.ts';

for (const vector of loadVectors()) {
  test(`writes the suite's Authorization header for ${vector.name}`, () => {
    const [, keyId, scope, names, sig] = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\S+), SignedHeaders=(\S+), Signature=(\S+)$/.exec(
      vector.authz,
    )!;
    assert.is(authorizationHeader(keyId!, scope!, names!, sig!), vector.authz);
  });

  test(`reads the suite's Authorization header for ${vector.name} back into its parts`, () => {
    const [, keyId, scope, names, sig] = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\S+), SignedHeaders=(\S+), Signature=(\S+)$/.exec(
      vector.authz,
    )!;
    assert.equal(readAuthorizationHeader(vector.authz), {
      algorithm: 'AWS4-HMAC-SHA256',
      credential: `${keyId}/${scope}`,
      signedHeaders: names,
      signature: sig,
    });
  });
}

test('reads the fields in any order, with or without spaces after the commas, around the equals signs or the header', () => {
  const read = readAuthorizationHeader(
    '  AWS4-HMAC-SHA256 Signature=abc,SignedHeaders = host;x-amz-date ,  Credential=AKID/20150830/us-east-1/s3/aws4_request  ',
  );
  assert.equal(read, {
    algorithm: 'AWS4-HMAC-SHA256',
    credential: 'AKID/20150830/us-east-1/s3/aws4_request',
    signedHeaders: 'host;x-amz-date',
    signature: 'abc',
  });
});

test('reads a SigV4a header, and leaves a missing field undefined for the caller to report', () => {
  assert.equal(readAuthorizationHeader('AWS4-ECDSA-P256-SHA256 Credential=AKID/20150830/s3/aws4_request, Signature=3045'), {
    algorithm: 'AWS4-ECDSA-P256-SHA256',
    credential: 'AKID/20150830/s3/aws4_request',
    signedHeaders: undefined,
    signature: '3045',
  });
});

test('is undefined for a header that is not an algorithm followed by fields', () => {
  assert.is(readAuthorizationHeader(''), undefined);
  assert.is(readAuthorizationHeader('AWS4-HMAC-SHA256'), undefined);
  assert.is(readAuthorizationHeader('   '), undefined);
});

test.run();
