import { createHash, createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { portableSha256 } from '../src/hash-portable.ts';

// Expected values come from node:crypto (OpenSSL), never from the code under test.
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Uint8Array | string, data: Uint8Array | string) => new Uint8Array(createHmac('sha256', key).update(data).digest());
const bytes = (length: number, seed = 7) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

test("FIPS 180-4's examples: 'abc' and the two-block message", () => {
  assert.is(portableSha256.hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(
    portableSha256.hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
});

test('hashes every length across the padding boundaries (0 to 200 bytes) and 1 MiB as node:crypto does', () => {
  for (let length = 0; length <= 200; length++) assert.is(portableSha256.hex(bytes(length)), sha256(bytes(length)), `length ${length}`);
  const big = bytes(1 << 20);
  assert.is(portableSha256.hex(big), sha256(big));
  assert.is(portableSha256.hex('naïve ✓ 𝄞'), sha256('naïve ✓ 𝄞'), 'strings are UTF-8');
});

test('incremental hashing in uneven chunks equals the one-shot hash', () => {
  const data = bytes(1000);
  const hash = portableSha256.incremental();
  for (let offset = 0, size = 1; offset < data.length; offset += size, size = ((size * 3) % 97) + 1)
    hash.update(data.subarray(offset, offset + size));
  assert.is(hash.hex(), sha256(data));
});

test('HMAC under keys shorter than, equal to and longer than a block (hashed first, RFC 2104)', () => {
  for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
    for (const dataLength of [0, 55, 64, 300]) {
      assert.equal(
        portableSha256.hmac(bytes(keyLength, 3), bytes(dataLength)),
        hmac(bytes(keyLength, 3), bytes(dataLength)),
        `key ${keyLength}, data ${dataLength}`,
      );
    }
  }
  assert.equal(portableSha256.hmac('AWS4secret', '20150830'), hmac('AWS4secret', '20150830'), 'string key and data are UTF-8');
});

test.run();
