// readServerError() on error bodies as people actually have them: each shape a real service or tool
// produces, the same server computation inside, and the fields read back exactly. Then diagnose()'s
// check of the server's own text (its canonical request must hash to its string to sign).
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnose, nodeSha256, readServerError } from '../src/index.ts';

const CREQ =
  'GET\n/prod/items\n\nhost:abc123.execute-api.us-east-1.amazonaws.com\nx-amz-date:20260115T093000Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const STS = `AWS4-HMAC-SHA256\n20260115T093000Z\n20260115/us-east-1/execute-api/aws4_request\n${createHash('sha256').update(CREQ).digest('hex')}`;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MESSAGE = `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${CREQ}'\n\nThe String-to-Sign should have been\n'${STS}'\n`;
const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const hex = (text: string): string => [...Buffer.from(text)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const escaped = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/'/g, "\\'");

const SHAPES: { name: string; body: string; format: string; code: string }[] = [
  {
    name: 'API Gateway / SP-API {"errors":[{"message","code"}]}',
    body: JSON.stringify({ errors: [{ message: MESSAGE, code: 'InvalidSignature' }] }),
    format: 'json',
    code: 'InvalidSignature',
  },
  {
    name: 'AWS JSON with a namespaced __type',
    body: JSON.stringify({ __type: 'com.amazon.coral.service#InvalidSignatureException', message: MESSAGE }),
    format: 'json',
    code: 'InvalidSignatureException',
  },
  {
    name: '{"Message": …} with the code in x-amzn-ErrorType (the whole HTTP response)',
    body: `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nx-amzn-RequestId: 1234\r\nx-amzn-ErrorType: InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/\r\n\r\n${JSON.stringify({ Message: MESSAGE })}`,
    format: 'json',
    code: 'InvalidSignatureException',
  },
  {
    name: 'query protocol <ErrorResponse><Error>',
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${xml(MESSAGE)}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
    format: 'query-xml',
    code: 'SignatureDoesNotMatch',
  },
  {
    name: 'S3 XML with <CanonicalRequest>',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><StringToSign>${xml(STS)}</StringToSign><SignatureProvided>${'a'.repeat(64)}</SignatureProvided><CanonicalRequest>${xml(CREQ)}</CanonicalRequest></Error>`,
    format: 's3-xml',
    code: 'SignatureDoesNotMatch',
  },
  {
    name: 'S3 XML with only the byte forms',
    body: `<Error><Code>SignatureDoesNotMatch</Code><StringToSignBytes>${hex(STS)}</StringToSignBytes><CanonicalRequestBytes>${hex(CREQ)}</CanonicalRequestBytes></Error>`,
    format: 's3-xml',
    code: 'SignatureDoesNotMatch',
  },
  {
    name: "the AWS CLI's printed error",
    body: `\nAn error occurred (InvalidSignatureException) when calling the GetAuthorizationToken operation: ${MESSAGE}`,
    format: 'text',
    code: 'InvalidSignatureException',
  },
  {
    name: 'botocore ClientError with its prefix, retries, escaped \\n',
    body: `botocore.exceptions.ClientError: An error occurred (InvalidSignatureException) when calling the Invoke operation (reached max retries: 4): ${escaped(MESSAGE)}`,
    format: 'text',
    code: 'InvalidSignatureException',
  },
  {
    name: 'a Python repr of the exception',
    body: `ClientError('An error occurred (InvalidSignatureException) when calling the Invoke operation: ${escaped(MESSAGE)}')`,
    format: 'text',
    code: 'InvalidSignatureException',
  },
  {
    name: 'a quoted JSON string of the message',
    body: JSON.stringify(`An error occurred (InvalidSignatureException) when calling the Invoke operation: ${MESSAGE}`),
    format: 'text',
    code: 'InvalidSignatureException',
  },
  {
    name: "the JS SDK's console.log of an S3 error (stack and fields)",
    body: `SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your key and signing method.\n    at throwDefaultError (node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)\n    at async /app/index.js:12:3 {\n  '$fault': 'client',\n  Code: 'SignatureDoesNotMatch',\n  StringToSign: '${escaped(STS)}',\n  SignatureProvided: '${'a'.repeat(64)}',\n  CanonicalRequest: '${escaped(CREQ)}',\n  RequestId: 'R1'\n}`,
    format: 'text',
    code: 'SignatureDoesNotMatch',
  },
  {
    name: 'a JSON dump of a JS SDK exception',
    body: JSON.stringify({
      name: 'SignatureDoesNotMatch',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, requestId: 'R1' },
      Code: 'SignatureDoesNotMatch',
      StringToSign: STS,
      CanonicalRequest: CREQ,
      message: 'The request signature we calculated does not match the signature you provided.',
    }),
    format: 'json',
    code: 'SignatureDoesNotMatch',
  },
];

for (const shape of SHAPES) {
  test(`reads ${shape.name}: code, canonical request and string to sign, exactly`, () => {
    const { format, server } = readServerError(shape.body);
    assert.is(format, shape.format);
    assert.is(server.code, shape.code);
    assert.is(server.canonicalRequest, CREQ);
    assert.is(server.stringToSign, STS);
  });
}

test('reads the request id from the x-amzn-RequestId header of a whole response', () => {
  assert.is(readServerError(SHAPES[2]!.body).server.requestId, '1234');
});

test('a bare SignatureDoesNotMatch with an empty message (Ceph RGW, MinIO): the code, no empty message', () => {
  const { format, server } = readServerError(
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message></Message><RequestId>tx1</RequestId><HostId>x</HostId></Error>',
  );
  assert.is(format, 's3-xml');
  assert.is(server.code, 'SignatureDoesNotMatch');
  assert.is(server.message, undefined);
  assert.is(server.canonicalRequest, undefined);
});

test('text that is no error at all stays unknown', () => {
  assert.is(readServerError('<html><body>502 Bad Gateway</body></html>').format, 'unknown');
  assert.is(readServerError('hello').format, 'unknown');
});

test('a re-wrapped body whose canonical request does not hash to its string to sign: SERVER_TEXT_INCONSISTENT', () => {
  // A terminal copy lost the trailing newline structure: CRLF line ends inside the canonical request.
  const pasted = `<Error><Code>SignatureDoesNotMatch</Code><StringToSign>${xml(STS)}</StringToSign><CanonicalRequest>${xml(CREQ.replace(/\n/g, '\r\n'))}</CanonicalRequest></Error>`;
  const ours = { canonicalRequest: CREQ, stringToSign: STS };
  const diagnosis = diagnose(ours, pasted, { sha256: nodeSha256 });
  assert.is(diagnosis.serverCheck?.text.consistent, false);
  assert.is(diagnosis.likelyCause.code, 'SERVER_TEXT_INCONSISTENT');
  assert.match(diagnosis.likelyCause.message, /does not hash to the last line of its string to sign/);
  // Without a hash the check is not made (a browser page without one can still read the body).
  assert.is(diagnose(ours, pasted).serverCheck, undefined);
});

test('the byte forms win when the text was damaged and the bytes hold together', () => {
  const damaged = `<Error><Code>SignatureDoesNotMatch</Code><StringToSign>${xml(STS)}</StringToSign><CanonicalRequest>${xml(CREQ.replace('x-amz-date:', 'x-amz-date: '))}</CanonicalRequest><CanonicalRequestBytes>${hex(CREQ)}</CanonicalRequestBytes></Error>`;
  const diagnosis = diagnose({ canonicalRequest: CREQ, stringToSign: STS }, damaged, { sha256: nodeSha256 });
  assert.is(diagnosis.serverCheck?.text.consistent, true);
  assert.is(diagnosis.serverCheck?.text.source, 'bytes');
  assert.is(diagnosis.server.canonicalRequest, CREQ);
  assert.is(diagnosis.matched, true);
});

test.run();
