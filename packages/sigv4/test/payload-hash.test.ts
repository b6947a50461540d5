// Step 1e, the payload hash: hex SHA-256 of the body, whatever form the body takes, with both hash
// implementations. Expected values come from node:crypto in the test, FIPS 180-2 and the suite.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Sha256 } from '@aws-crypto/sha256-js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EMPTY_BODY_SHA256, nodeSha256, payloadHash, sha256FromConstructor, SigV4Error, type Body } from '@glassbox/sigv4';
import { loadVectors } from '../../../test/vectors.ts';

const hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);

const hashes = [
  ['node:crypto', nodeSha256],
  ['@aws-crypto/sha256-js', sha256FromConstructor(Sha256)],
] as const;

test('the empty-body hash is the one every body-less suite case signs', () => {
  const getVanilla = loadVectors().find((v) => v.name === 'get-vanilla')!;
  assert.is(EMPTY_BODY_SHA256, getVanilla.creq.split('\n').at(-1));
});

for (const [hashName, hash] of hashes) {
  const cases: [name: string, body: () => Body, expected: string][] = [
    ['no body', () => undefined, hex('')],
    ['null', () => null, hex('')],
    ['an empty string', () => '', hex('')],
    ["'abc' (the FIPS 180-2 example)", () => 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['a UTF-8 string', () => 'Grüße, ሴ 😀', hex('Grüße, ሴ 😀')],
    ['a Uint8Array', () => bytes.slice(), hex(bytes)],
    ['a Buffer', () => Buffer.from(bytes), hex(bytes)],
    ['an ArrayBuffer', () => bytes.slice().buffer, hex(bytes)],
    [
      'a view into the middle of a larger buffer',
      () => {
        const big = new Uint8Array(320).fill(0xee);
        big.set(bytes, 10);
        return big.subarray(10, 310);
      },
      hex(bytes),
    ],
    ['a DataView', () => new DataView(bytes.slice().buffer), hex(bytes)],
    [
      'a Node Readable of Buffers',
      () => Readable.from([Buffer.from(bytes.subarray(0, 100)), Buffer.from(bytes.subarray(100))]),
      hex(bytes),
    ],
    [
      'an async iterable of strings and bytes',
      () =>
        (async function* () {
          yield 'ab';
          yield new Uint8Array([0x63]);
        })(),
      hex('abc'),
    ],
    ['an empty stream', () => Readable.from([]), hex('')],
  ];
  for (const [name, body, expected] of cases) {
    test(`hashes ${name} with ${hashName}`, async () => assert.is(await payloadHash(body(), hash), expected));
  }
  test(`hashes every suite body as the suite does, with ${hashName}`, async () => {
    for (const vector of loadVectors()) {
      const blank = vector.req.indexOf('\n\n');
      const body = blank === -1 ? undefined : vector.req.slice(blank + 2);
      assert.is(await payloadHash(body, hash), vector.creq.split('\n').at(-1), vector.name);
    }
  });
}

const bad: [name: string, body: unknown][] = [
  ['a number', 42],
  ['a plain object', { a: 1 }],
  ['an array of numbers', [1, 2, 3]],
  [
    'a stream of numbers',
    (async function* () {
      yield 1;
    })(),
  ],
];
for (const [name, body] of bad) {
  test(`rejects ${name} with INVALID_BODY`, async () => {
    try {
      await payloadHash(body as Body, nodeSha256);
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, SigV4Error);
      assert.is((error as SigV4Error).code, 'INVALID_BODY');
    }
  });
}

// The last small string body's hash is remembered (JSON-protocol clients resend `{}`): alternating,
// repeating and near-identical bodies must each still get their own hash, with either hash.
for (const [hashName, hash] of hashes) {
  test(`small string bodies that alternate or repeat each get their own hash, with ${hashName}`, async () => {
    const bodies = ['{}', '{"registryIds":["123456789012"]}', '{}', '{}', '{ }', 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(256), '{}'];
    for (const body of bodies) assert.is(await payloadHash(body, hash), hex(body), JSON.stringify(body.slice(0, 20)));
  });
}

test.run();
