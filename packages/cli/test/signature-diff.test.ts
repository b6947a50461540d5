import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareSignatures, diffLines } from '../src/signature-diff.ts';

const creq = (path: string, host: string, hash = 'e3b0'): string => ['GET', path, '', `host:${host}`, 'x-amz-date:20150830T123600Z', '', 'host;x-amz-date', hash].join('\n');
const sts = (scope: string): string => ['AWS4-HMAC-SHA256', '20150830T123600Z', scope, 'abcd'].join('\n');

test('a different path blames the encoding rules', () => {
  const result = compareSignatures({ canonicalRequest: creq('/a%2520b', 'h'), stringToSign: sts('s') }, { canonicalRequest: creq('/a%20b', 'h') });
  assert.equal(result.differences.map((d) => d.part), ['canonical URI']);
  assert.match(result.likelyCause, /S3 encodes the path once/);
});

test('a different host names both hosts', () => {
  const result = compareSignatures({ canonicalRequest: creq('/', 'a.example'), stringToSign: sts('s') }, { canonicalRequest: creq('/', 'b.example') });
  assert.equal(result.differences.map((d) => d.part), ['header host']);
  assert.match(result.likelyCause, /signed for 'a\.example', the service saw 'b\.example'/);
});

test('a different body hash blames the body', () => {
  const result = compareSignatures({ canonicalRequest: creq('/', 'h', '1111'), stringToSign: sts('s') }, { canonicalRequest: creq('/', 'h', '2222') });
  assert.equal(result.differences.map((d) => d.part), ['payload hash']);
  assert.match(result.likelyCause, /body/);
});

test('only the scope differs: blames region or service', () => {
  const result = compareSignatures({ canonicalRequest: creq('/', 'h'), stringToSign: sts('20150830/us-east-1/ecr/aws4_request') }, { canonicalRequest: creq('/', 'h'), stringToSign: sts('20150830/eu-west-1/ecr/aws4_request') });
  assert.equal(result.differences.map((d) => d.part), ['string to sign: credential scope']);
  assert.match(result.likelyCause, /region and service/);
});

test('nothing differs: blames the secret key', () => {
  const result = compareSignatures({ canonicalRequest: creq('/', 'h'), stringToSign: sts('s') }, { canonicalRequest: creq('/', 'h'), stringToSign: sts('s') });
  assert.equal(result.differences, []);
  assert.match(result.likelyCause, /secret access key is wrong/);
});

test('diffLines marks the service side with - and ours with +', () => {
  assert.is(diffLines('a\nb\nc', 'a\nB\nc\nd'), '  a\n- b\n+ B\n  c\n+ d');
});
test.run();
