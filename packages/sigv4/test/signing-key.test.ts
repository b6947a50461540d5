// Step 4a, the signing key: the AWS documentation's example, an HMAC chain built here with
// node:crypto, smithy's getSigningKey, and the bounded cache.
import { createHmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { Hash } from '@smithy/hash-node';
import { getSigningKey } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveSigningKey, nodeSha256, sha256FromConstructor, SigningKeyCache } from '@glassbox/sigv4';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** The chain from the specification, written out with node:crypto. */
function chain(secret: string, date: string, region: string, service: string): string {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest('hex');
}
class NodeSha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

for (const [name, hash] of [
  ['node:crypto', nodeSha256],
  ['@aws-crypto/sha256-js', sha256FromConstructor(Sha256)],
] as const) {
  test(`derives the AWS documentation's example key (20120215, us-east-1, iam) with ${name}`, () => {
    // "Examples of how to derive a signing key for Signature Version 4", AWS General Reference.
    assert.is(
      hex(deriveSigningKey(DOC_SECRET, '20120215', 'us-east-1', 'iam', hash)),
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    );
  });
  test(`derives the same key as the HMAC chain of the specification, with ${name}`, () => {
    for (const [secret, date, region, service] of [
      [DOC_SECRET, '20150830', 'us-east-1', 'service'],
      ['ünïcode secret', '20991231', 'ap-southeast-2', 'execute-api'],
    ] as const) {
      assert.is(hex(deriveSigningKey(secret, date, region, service, hash)), chain(secret, date, region, service));
    }
  });
}

test('derives the same key as @smithy/signature-v4 getSigningKey', async () => {
  const theirs = await getSigningKey(
    NodeSha256,
    { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: DOC_SECRET },
    '20150830',
    'us-east-1',
    'service',
  );
  assert.is(hex(deriveSigningKey(DOC_SECRET, '20150830', 'us-east-1', 'service', nodeSha256)), hex(theirs));
});

test('the cache returns the derived key, and a new key when the scope changes', () => {
  const cache = new SigningKeyCache(10);
  const credentials = { accessKeyId: 'AKID', secretAccessKey: DOC_SECRET };
  assert.is(
    hex(cache.get(credentials, '20150830', 'us-east-1', 'service', nodeSha256)),
    chain(DOC_SECRET, '20150830', 'us-east-1', 'service'),
  );
  assert.is(
    hex(cache.get(credentials, '20150831', 'us-east-1', 'service', nodeSha256)),
    chain(DOC_SECRET, '20150831', 'us-east-1', 'service'),
  );
  assert.is(
    hex(cache.get(credentials, '20150830', 'eu-west-1', 'service', nodeSha256)),
    chain(DOC_SECRET, '20150830', 'eu-west-1', 'service'),
  );
  assert.is(hex(cache.get(credentials, '20150830', 'us-east-1', 'ecr', nodeSha256)), chain(DOC_SECRET, '20150830', 'us-east-1', 'ecr'));
  assert.is(cache.size, 4);
});

test('the cache derives a new key when the secret of the same access key ID rotates', () => {
  const cache = new SigningKeyCache(10);
  cache.get({ accessKeyId: 'AKID', secretAccessKey: 'old secret' }, '20150830', 'us-east-1', 'service', nodeSha256);
  const key = cache.get({ accessKeyId: 'AKID', secretAccessKey: 'new secret' }, '20150830', 'us-east-1', 'service', nodeSha256);
  assert.is(hex(key), chain('new secret', '20150830', 'us-east-1', 'service'));
});

test('the cache holds at most maxEntries keys, and clear() empties it', () => {
  const cache = new SigningKeyCache(3);
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 's' };
  for (let day = 10; day < 20; day++) cache.get(credentials, `201508${day}`, 'us-east-1', 'service', nodeSha256);
  assert.is(cache.size, 3);
  // The oldest went first: an early day is derived again, and still correct.
  assert.is(hex(cache.get(credentials, '20150810', 'us-east-1', 'service', nodeSha256)), chain('s', '20150810', 'us-east-1', 'service'));
  cache.clear();
  assert.is(cache.size, 0);
});

test('the cache never holds the raw secret in what inspect() shows', async () => {
  const { inspect } = await import('node:util');
  const cache = new SigningKeyCache(3);
  cache.get({ accessKeyId: 'AKID', secretAccessKey: 'the-raw-secret-value' }, '20150830', 'us-east-1', 'service', nodeSha256);
  assert.not.ok(inspect(cache, { depth: 10, showHidden: true }).includes('the-raw-secret-value'));
});

test.run();
