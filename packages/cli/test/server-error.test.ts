import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseServerError } from '../src/server-error.ts';

test('reads an S3 XML error, decoding entities', () => {
  const parsed = parseServerError('<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><StringToSign>AWS4-HMAC-SHA256\nx</StringToSign><CanonicalRequest>GET\n/a&amp;b\n\nhost:h\n\nhost\nabc</CanonicalRequest></Error>');
  assert.equal(parsed, { code: 'SignatureDoesNotMatch', message: 'm', canonicalRequest: 'GET\n/a&b\n\nhost:h\n\nhost\nabc', stringToSign: 'AWS4-HMAC-SHA256\nx' });
});

test('reads a JSON-protocol error with a namespaced __type and the canonical string in the message', () => {
  const message = "The request signature we calculated does not match.\n\nThe Canonical String for this request should have been\n'POST\n/\n\nhost:h\n\nhost\nabc'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20240101T000000Z\nscope\ndef'\n";
  const parsed = parseServerError(JSON.stringify({ __type: 'com.amazon.coral.service#InvalidSignatureException', message }));
  assert.is(parsed?.code, 'InvalidSignatureException');
  assert.is(parsed?.canonicalRequest, 'POST\n/\n\nhost:h\n\nhost\nabc');
  assert.is(parsed?.stringToSign, 'AWS4-HMAC-SHA256\n20240101T000000Z\nscope\ndef');
});

test('reads a Query-protocol error (STS) with Message', () => {
  const parsed = parseServerError('<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>nope</Message></Error></ErrorResponse>');
  assert.equal(parsed, { code: 'SignatureDoesNotMatch', message: 'nope' });
});

test('text that is no error body is undefined', () => {
  for (const text of ['', 'hello', '{not json', '[1,2]', '<html></html>']) assert.is(parseServerError(text), undefined, text);
});
test.run();
