// The node:crypto side of the hash seam: SHA-256 and HMAC against published vectors and against
// node:crypto called directly, including the HMAC shortcut for keys used more than once.
import { createHash, createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeSha256 } from '@glassbox/sigv4';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

test('hashes "abc" to the FIPS 180-2 example digest', () => {
  assert.is(nodeSha256.hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('hashes strings as UTF-8 and bytes as given', () => {
  for (const data of ['', 'ሴ😀', new Uint8Array([0, 255, 1])])
    assert.is(nodeSha256.hex(data), createHash('sha256').update(data).digest('hex'));
});

test('computes HMAC-SHA256 test case 2 of RFC 4231', () => {
  assert.is(
    hex(nodeSha256.hmac('Jefe', 'what do ya want for nothing?')),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
});

test('gives the same HMAC on every use of a byte key (the reused-pad shortcut of hmacHex from the second use on)', () => {
  for (const length of [1, 32, 64, 65, 131]) {
    const key = Uint8Array.from({ length }, (_, i) => (i * 31 + length) % 256);
    for (let use = 0; use < 4; use++) {
      const expected = createHmac('sha256', key).update(`message ${use}`).digest('hex');
      assert.is(hex(nodeSha256.hmac(key, `message ${use}`)), expected, `hmac, key of ${length} bytes, use ${use}`);
      assert.is(nodeSha256.hmacHex!(key, `message ${use}`), expected, `hmacHex, key of ${length} bytes, use ${use}`);
    }
  }
});

test('hmacHex under one key: same-length messages with different content, and lengths that shrink and grow again', () => {
  const key = new Uint8Array(32).fill(9);
  for (const message of [
    'a'.repeat(120),
    'b'.repeat(120),
    'c'.repeat(40),
    'd'.repeat(300),
    'e'.repeat(120),
    'f'.repeat(300),
    'g'.repeat(120),
  ]) {
    assert.is(nodeSha256.hmacHex!(key, message), createHmac('sha256', key).update(message).digest('hex'), message.slice(0, 3));
  }
});

test('hmacHex handles messages longer than its pad buffer and UTF-8 text', () => {
  const key = new Uint8Array(32).fill(7);
  // A lone surrogate is written as U+FFFD, as createHmac does.
  for (const message of ['x'.repeat(1000), 'ሴ😀 string to sign', '', 'y'.repeat(5000), 'a\ud800b', '😀'.repeat(400)]) {
    nodeSha256.hmacHex!(key, message);
    assert.is(nodeSha256.hmacHex!(key, message), createHmac('sha256', key).update(message).digest('hex'));
  }
});

test('hmacHex grows its pads for a message that could outgrow them, even to a byte length it had before', () => {
  const key = new Uint8Array(32).fill(8);
  // A key's pads start with 512 bytes of room and grow when three bytes per character would not
  // fit: 170 three-byte characters fit in 510 bytes; 510 ASCII characters (510 bytes too) make them grow.
  for (const message of ['z', 'z', 'ሴ'.repeat(170), 'b'.repeat(510), 'ሴ'.repeat(171), 'c'.repeat(40)]) {
    assert.is(nodeSha256.hmacHex!(key, message), createHmac('sha256', key).update(message).digest('hex'), message.slice(0, 3));
  }
});

test('gives the right HMAC when a caller reuses the same array for a different key', () => {
  const key = new Uint8Array(32).fill(1);
  for (let use = 0; use < 3; use++) nodeSha256.hmacHex!(key, 'a');
  key.fill(2);
  assert.is(nodeSha256.hmacHex!(key, 'a'), createHmac('sha256', key).update('a').digest('hex'));
  assert.is(nodeSha256.hmacHex!(key, 'a'), createHmac('sha256', key).update('a').digest('hex'));
});

test('hashes incrementally to the same digest as in one piece', () => {
  const incremental = nodeSha256.incremental();
  incremental.update(new TextEncoder().encode('ab'));
  incremental.update(new TextEncoder().encode('c'));
  assert.is(incremental.hex(), nodeSha256.hex('abc'));
});

test.run();
