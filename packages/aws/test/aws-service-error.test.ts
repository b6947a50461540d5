import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsServiceError, hintFor, isClockSkewError, isRetryableServiceError, parseServiceError } from '../src/aws-service-error.ts';

// [status, headers, body, code, message, requestId]
const parseRows: Array<[number, Record<string, string>, string, string, string, string | undefined]> = [
  [
    400,
    { 'x-amzn-RequestId': 'r1' },
    '{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}',
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
    'r1',
  ],
  [
    400,
    {},
    '{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"expired"}',
    'ExpiredTokenException',
    'expired',
    undefined,
  ],
  [
    400,
    {},
    '{"__type":"com.amazonaws.ecr#InvalidParameterException:http://internal/","Message":"bad"}',
    'InvalidParameterException',
    'bad',
    undefined,
  ],
  [400, {}, '{"__type":"a#b#AccessDeniedException","message":"no"}', 'AccessDeniedException', 'no', undefined],
  [503, { 'x-amz-request-id': 'r2' }, '', '503', 'HTTP 503', 'r2'],
  [502, {}, '<html>Bad Gateway</html>', '502', 'HTTP 502: <html>Bad Gateway</html>', undefined],
  [
    400,
    { 'x-amzn-ErrorType': 'ThrottlingException:http://x/' },
    '{"message":"Rate exceeded"}',
    'ThrottlingException',
    'Rate exceeded',
    undefined,
  ],
  [500, {}, '[]', '500', 'HTTP 500', undefined],
];

test('parses JSON-protocol errors as botocore does', () => {
  for (const [status, headers, body, code, message, requestId] of parseRows) {
    assert.equal(parseServiceError(status, headers, body), { code, message, requestId }, body);
  }
});

// [code, status, retryable]
const retryRows: Array<[string, number, boolean]> = [
  ['ThrottlingException', 400, true],
  ['Throttling', 400, true],
  ['TooManyRequestsException', 429, true],
  ['ServerException', 500, true],
  ['ServiceUnavailable', 503, true],
  ['500', 500, true],
  ['502', 502, true],
  ['429', 429, true],
  ['InvalidParameterException', 400, false],
  ['UnrecognizedClientException', 400, false],
  ['UnrecognizedClientException', 503, false],
  ['InvalidSignatureException', 400, false],
  ['ExpiredTokenException', 400, false],
  ['AccessDeniedException', 500, false],
  ['MissingAuthenticationTokenException', 403, false],
  ['400', 400, false],
];

test('decides retries by code, and never retries authentication codes', () => {
  for (const [code, status, retryable] of retryRows) assert.is(isRetryableServiceError(code, status), retryable, `${code} ${status}`);
});

test('tells clock skew from a wrong signature', () => {
  assert.ok(
    isClockSkewError(
      'InvalidSignatureException',
      'Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)',
    ),
  );
  assert.ok(
    isClockSkewError(
      'InvalidSignatureException',
      'Signature not yet current: 20260101T003000Z is still later than 20260101T001500Z (20260101T001000Z + 5 min.)',
    ),
  );
  assert.ok(isClockSkewError('RequestTimeTooSkewed', 'anything'));
  assert.not.ok(
    isClockSkewError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'),
  );
  assert.not.ok(isClockSkewError('ThrottlingException', 'Signature expired'));
});

test('the error reads like the AWS CLI’s and adds what to do', () => {
  const error = new AwsServiceError({
    code: 'AccessDeniedException',
    message: 'User: arn:aws:iam::1:user/x is not authorized',
    httpStatus: 400,
    requestId: 'r',
    retryable: false,
    attempts: 1,
    service: 'ecr-public',
    operation: 'GetAuthorizationToken',
    hint: hintFor('AccessDeniedException', 'ecr-public'),
  });
  assert.is(error.name, 'AwsServiceError');
  assert.ok(error.message.startsWith('An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User:'));
  assert.match(error.message, 'sts:GetServiceBearerToken');
  assert.is(error.serviceMessage, 'User: arn:aws:iam::1:user/x is not authorized');
  assert.is(hintFor('SomethingElse', 'ecr'), undefined);
});

test.run();
