// The pure-JS side of the hash seam: @aws-crypto/sha256-js adapted, against published vectors and
// node:crypto.
import { createHash, createHmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sha256FromConstructor } from '@glassbox/sigv4';

const hash = sha256FromConstructor(Sha256);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

test('hashes "abc" to the FIPS 180-2 example digest', () => {
  assert.is(hash.hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('computes HMAC-SHA256 test case 2 of RFC 4231', () => {
  assert.is(hex(hash.hmac('Jefe', 'what do ya want for nothing?')), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('agrees with node:crypto on SHA-256 and HMAC of generated strings and bytes', () => {
  const data = fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.uint8Array({ maxLength: 100 }));
  fc.assert(
    fc.property(
      data,
      fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), fc.uint8Array({ minLength: 1, maxLength: 80 })),
      (message, key) => {
        assert.is(hash.hex(message), createHash('sha256').update(message).digest('hex'));
        assert.is(hex(hash.hmac(key, message)), createHmac('sha256', key).update(message).digest('hex'));
      },
    ),
    { numRuns: 300 },
  );
});

test('hashes incrementally to the same digest as in one piece', () => {
  const incremental = hash.incremental();
  incremental.update(new TextEncoder().encode('ab'));
  incremental.update(new TextEncoder().encode('c'));
  assert.is(incremental.hex(), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test.run();
