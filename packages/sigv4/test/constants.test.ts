// The constants the specification and the AWS SDK fix, checked against @smithy/signature-v4 and
// node:crypto rather than restated.
import { createHash } from 'node:crypto';
import {
  ALGORITHM_IDENTIFIER,
  ALWAYS_UNSIGNABLE_HEADERS,
  MAX_PRESIGNED_TTL,
  UNSIGNED_PAYLOAD as SMITHY_UNSIGNED_PAYLOAD,
} from '@smithy/signature-v4';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALGORITHM, EMPTY_BODY_SHA256, MAX_PRESIGN_SECONDS, UNSIGNABLE_HEADERS, UNSIGNED_PAYLOAD } from '@glassbox/sigv4';

test("the algorithm name is the SDK's", () => assert.is(ALGORITHM, ALGORITHM_IDENTIFIER));
test('UNSIGNED-PAYLOAD is spelled as the SDK spells it', () => assert.is(UNSIGNED_PAYLOAD, SMITHY_UNSIGNED_PAYLOAD));
test("the longest presign lifetime is the SDK's one week", () => assert.is(MAX_PRESIGN_SECONDS, MAX_PRESIGNED_TTL));
test('the empty-body hash is SHA-256 of nothing', () => assert.is(EMPTY_BODY_SHA256, createHash('sha256').digest('hex')));
test('every header the AWS SDK for JavaScript never signs is unsignable here too', () => {
  for (const name of Object.keys(ALWAYS_UNSIGNABLE_HEADERS)) assert.ok(UNSIGNABLE_HEADERS.has(name), name);
});
test('unsignable header names are lower case, as they are compared', () => {
  for (const name of UNSIGNABLE_HEADERS) assert.is(name, name.toLowerCase());
});

test.run();
