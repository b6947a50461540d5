import { createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Sha256 } from '@aws-crypto/sha256-js';
import { deriveV4aPrivateKey, keyPairFromScalar, sha256FromConstructor, v4aKeyPair } from '@glassbox/sigv4';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// awslabs/aws-c-auth tests/key_derivation_tests.c (credentials_derive_ecc_key_fixed):
// "Values derived in synchronicity with Golang and IAM implementations".
const AWS_C_AUTH = {
  accessKeyId: 'AKISORANDOMAASORANDOM',
  secretAccessKey: 'q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom',
  privateKey: '7fd3bd010c0d9c292141c2b77bfbde1042c92e6836fff749d1269ec890fca1bd',
  publicX: '15d242ceebf8d8169fd6a8b5a746c41140414c3b07579038da06af89190fffcb',
  publicY: '0515242cedd82e94799482e4c0514b505afccf2c0c98d6a553bf539f424c5ec0',
};

test('derives the private key aws-c-auth publishes for its fixed credentials', () => {
  const { scalar, counter } = deriveV4aPrivateKey(AWS_C_AUTH.accessKeyId, AWS_C_AUTH.secretAccessKey);
  assert.is(hex(scalar), AWS_C_AUTH.privateKey);
  assert.is(counter, 1);
});

test('derives the public point aws-c-auth publishes for its fixed credentials', () => {
  const pair = v4aKeyPair(AWS_C_AUTH.accessKeyId, AWS_C_AUTH.secretAccessKey);
  assert.is(pair.publicX, AWS_C_AUTH.publicX);
  assert.is(pair.publicY, AWS_C_AUTH.publicY);
});

test('the derived key signs, and the published public point verifies (node:crypto on both sides)', () => {
  const pair = v4aKeyPair(AWS_C_AUTH.accessKeyId, AWS_C_AUTH.secretAccessKey);
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(AWS_C_AUTH.publicX, 'hex').toString('base64url'),
      y: Buffer.from(AWS_C_AUTH.publicY, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });
  const message = Buffer.from('AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n00');
  const signature = cryptoSign('sha256', message, { key: pair.privateKey, dsaEncoding: 'der' });
  assert.ok(cryptoVerify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature));
});

// smithy-lang/smithy-typescript packages/signature-v4a/src/credentialDerivation.spec.ts ("should get signing key").
// That test calls getSigV4aSigningKey(sha256, accessKey, secretKey) with its variables in the other
// order, so the access key ID is "test-secret" and the secret "test-access-key".
test('derives the key smithy-typescript signature-v4a publishes', () => {
  const expected = [
    107, 171, 179, 226, 62, 241, 77, 131, 240, 163, 149, 40, 120, 236, 169, 100, 28, 130, 40, 97, 214, 239, 24, 15, 158, 224, 37, 30, 241,
    83, 119, 174,
  ];
  assert.equal([...deriveV4aPrivateKey('test-secret', 'test-access-key').scalar], expected);
});

test('the pure-JS hash derives the same key as node:crypto', () => {
  const js = deriveV4aPrivateKey(AWS_C_AUTH.accessKeyId, AWS_C_AUTH.secretAccessKey, sha256FromConstructor(Sha256));
  assert.is(hex(js.scalar), AWS_C_AUTH.privateKey);
});

test('a key pair built from a PEM scalar round-trips through JWK', () => {
  // aws-c-auth tests/aws-signing-test-suite/v4a/get-slash-dot-slash-unnormalized/key.pem @ 0385a643
  const pem =
    '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIEpgk4tfoSDrILbOaumZQT85i67bd/VXYrpSMcgHIxv1oAoGCCqGSM49AwEHoUQDQgAEpisc\nKYBmIH+6mwC3Lm5uFM4IW4OXZc9rH9ONIjdYf6AgQ97TGgeB29BAdKbjmO1lTuqUNJFzwMS9wNiNmwdN\nWA==\n-----END EC PRIVATE KEY-----\n';
  const d = createPrivateKey(pem).export({ format: 'jwk' }).d!;
  const pair = keyPairFromScalar(Buffer.from(d, 'base64url'));
  assert.equal(pair.publicKey.export({ format: 'jwk' }), createPublicKey(pem).export({ format: 'jwk' }));
});

test.run();
