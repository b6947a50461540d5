import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explain, SUITE_SETTINGS } from '../src/explain.ts';
import { describeProblem } from '../src/plain-errors.ts';

// Each case: the text typed, the settings changed, and the sentence the page must show (written by
// hand: the line numbers are counted in the text, not found by the code under test).
const CASES: { name: string; text: string; settings?: Partial<typeof SUITE_SETTINGS>; says: RegExp }[] = [
  {
    name: 'a request line without a target',
    text: 'GET\nHost:example.amazonaws.com',
    says: /^Line 1: write the request line as a method, a path and the version/,
  },
  {
    name: 'a header line without a colon',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nno colon here',
    says: /^Line 3: this is not a header\. Write it as Name:value/,
  },
  {
    name: 'no host',
    text: 'GET / HTTP/1.1\nX-Amz-Date:20150830T123600Z',
    says: /^Line 1: the request names no host\. Add a header line such as Host:/,
  },
  {
    name: 'a target that is neither a path nor a URL',
    text: 'GET photos HTTP/1.1\nHost:example.amazonaws.com',
    says: /^Line 1: the target after the method must be a path starting with \//,
  },
  {
    name: 'a header name with a space',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy Header:1',
    says: /^Line 3: 'My Header' is not a header name/,
  },
  {
    name: 'a malformed X-Amz-Date',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nUser-Agent:x\nX-Amz-Date:2015-08-30',
    says: /^Line 4: write X-Amz-Date as YYYYMMDDTHHMMSSZ/,
  },
  {
    name: 'a region with a space',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com',
    settings: { region: 'us east' },
    says: /^Region \(in the signing settings\): write a region name/,
  },
  {
    name: 'an empty service',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com',
    settings: { service: '' },
    says: /^Service \(in the signing settings\): write the signing name/,
  },
  {
    name: 'no access key ID',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com',
    settings: { accessKeyId: '' },
    says: /^Access key ID \(in the signing settings\): fill it in/,
  },
  {
    name: 'no secret',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com',
    settings: { secretAccessKey: '' },
    says: /^Secret access key \(in the signing settings\): fill it in/,
  },
  {
    name: 'a bad signing time',
    text: 'GET / HTTP/1.1\nHost:example.amazonaws.com',
    settings: { date: 'soon' },
    says: /^Signing time \(in the signing settings\): write it as YYYYMMDDTHHMMSSZ/,
  },
];

for (const c of CASES) {
  test(`says what to fix, and where, for ${c.name}`, async () => {
    const explained = await explain(c.text, { ...SUITE_SETTINGS, ...c.settings });
    assert.not.ok(explained.ok);
    if (explained.ok) return;
    const said = describeProblem(explained.problem);
    assert.match(said, c.says);
    assert.not.match(said, /[A-Z]+_[A-Z]+|parseHttpRequest|request\.|credentials\./, 'no internal code or API name');
  });
}

test.run();
