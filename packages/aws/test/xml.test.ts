import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveCredentials } from '../src/credentials/chain.ts';
import { AwsError } from '../src/errors.ts';
import { decodeXmlText, xmlElementText } from '../src/xml.ts';
import { startServer, tempHome } from './credentials-fixtures.ts';

const cases: Array<[string, string, string, string | undefined]> = [
  ['a plain element', '<Error><Code>AccessDenied</Code></Error>', 'Code', 'AccessDenied'],
  ['the first of two', '<A><Code>One</Code><Code>Two</Code></A>', 'Code', 'One'],
  ['an element with attributes', '<Message xml:lang="en">hi</Message>', 'Message', 'hi'],
  ['a CDATA section, as is', '<Message><![CDATA[a < b &amp; c]]></Message>', 'Message', 'a < b &amp; c'],
  ['the five named entities', '<M>&lt;&gt;&amp;&quot;&apos;</M>', 'M', '<>&"\''],
  ['decimal and hex references', '<M>&#65;&#x42;&#X43;</M>', 'M', 'ABC'],
  ['the last code point', '<M>&#x10FFFF;</M>', 'M', '\u{10FFFF}'],
  ['a reference past the last code point stays as written', '<M>a &#x110000; b &#1114112;</M>', 'M', 'a &#x110000; b &#1114112;'],
  ['an unknown entity stays as written', '<M>&nbsp;</M>', 'M', '&nbsp;'],
  ['no such element', '<Error></Error>', 'Code', undefined],
  ['a longer name is not the element', '<CodeX>1</CodeX>', 'Code', undefined],
];
for (const [name, xml, element, expected] of cases) {
  test(`xmlElementText: ${name}`, () => {
    assert.is(xmlElementText(xml, element), expected);
  });
}

test('decodeXmlText never throws on a reference to no code point (String.fromCodePoint would)', () => {
  assert.throws(() => String.fromCodePoint(0x110000), RangeError);
  assert.is(decodeXmlText('&#x110000;'), '&#x110000;');
});

test('STS: an error message with a reference past the last code point is the service error, not a RangeError', async () => {
  const home = await tempHome();
  const sts = await startServer((_request, response) => {
    response.writeHead(403, { 'content-type': 'text/xml' });
    response.end(
      '<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized &#x110000; to assume</Message></Error></ErrorResponse>',
    );
  });
  try {
    const tokenFile = await home.write('token', 'eyJhbGciOiJSUzI1NiJ9.TOKEN-guard.sig\n');
    const error = await resolveCredentials({
      env: {
        ...home.env,
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/guard',
      },
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(error, AwsError);
    assert.is((error as AwsError).code, 'WEB_IDENTITY_FAILED');
    assert.ok((error as AwsError).message.includes('AccessDenied: Not authorized &#x110000; to assume'), (error as AwsError).message);
  } finally {
    await sts.close();
    await home.cleanup();
  }
});

test.run();
