// Raw HTTP/1.1 text: every suite .req parses and serialises back to itself, and the parser's rules.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHttpRequest, serializeHttpRequest, SigV4Error } from '@glassbox/sigv4';
import { loadVectors } from '../../../test/vectors.ts';

for (const vector of loadVectors()) {
  test(`round-trips ${vector.name}.req through parse and serialize`, () => {
    const parsed = parseHttpRequest(vector.req);
    const text = serializeHttpRequest(parsed);
    // We write `Name:value` with no space (as most suite files do) and no trailing newline.
    const expected = vector.req.replace(/\n$/, '').replace(/^([!#$%&'*+\-.^_`|~0-9A-Za-z]+): /gm, '$1:');
    assert.fixture(text, expected);
    assert.equal(parseHttpRequest(text), parsed);
  });
}

test('reads the method, the target with its spaces, and the headers of get-space', () => {
  const vector = loadVectors().find((v) => v.name === 'normalize-path/get-space')!;
  assert.equal(parseHttpRequest(vector.req), {
    method: 'GET',
    url: '/example space/',
    headers: { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' },
  });
});

test('keeps obs-folded continuation lines in the value (get-header-value-multiline)', () => {
  const vector = loadVectors().find((v) => v.name === 'get-header-value-multiline')!;
  assert.is(parseHttpRequest(vector.req).headers['My-Header1'], 'value1\n  value2\n     value3');
});

test('makes a repeated header an array in the order sent (get-header-key-duplicate)', () => {
  const vector = loadVectors().find((v) => v.name === 'get-header-key-duplicate')!;
  assert.equal(parseHttpRequest(vector.req).headers['My-Header1'], ['value2', 'value2', 'value1']);
});

test('reads the body after the blank line (post-x-www-form-urlencoded)', () => {
  const vector = loadVectors().find((v) => v.name === 'post-x-www-form-urlencoded')!;
  assert.is(parseHttpRequest(vector.req).body, 'Param1=value1');
});

const table: [text: string, expected: ReturnType<typeof parseHttpRequest>, why: string][] = [
  ['GET / HTTP/1.1\r\nHost: h\r\n\r\n', { method: 'GET', url: '/', headers: { Host: 'h' }, body: '' }, 'accepts CRLF line ends'],
  ['GET /a HTTP/1.1\nHost:h\nX-Empty:', { method: 'GET', url: '/a', headers: { Host: 'h', 'X-Empty': '' } }, 'accepts an empty header value'],
  ['GET /a HTTP/1.1\nHost:h\nhost:i', { method: 'GET', url: '/a', headers: { Host: ['h', 'i'] } }, 'merges names case-insensitively, keeping the first spelling'],
  ['GET /ሴ HTTP/1.1\nHost:h', { method: 'GET', url: '/ሴ', headers: { Host: 'h' } }, 'keeps raw UTF-8 in the target'],
  ['GET https://h/x?y HTTP/1.1', { method: 'GET', url: 'https://h/x?y', headers: {} }, 'accepts an absolute-form target without a Host header'],
  ['GET /x\nHost:h', { method: 'GET', url: '/x', headers: { Host: 'h' } }, 'accepts a request line without a version'],
];
for (const [text, expected, why] of table) {
  test(`parseHttpRequest ${why}`, () => assert.equal(parseHttpRequest(text), expected));
}

const bad: [text: unknown, why: string][] = [
  ['', 'empty text'],
  ['GET', 'a request line without a target'],
  ['GET / HTTP/1.1\nno colon here', 'a header line without a colon'],
  ['GET / HTTP/1.1\nHost:h\0', 'a NUL byte'],
  ['GET / HTTP/1.1\nBad Name:v\nHost:h', 'a header name with a space'],
  ['GET nohost HTTP/1.1', 'a target that is neither a path nor a URL'],
  [42, 'something other than text'],
];
for (const [text, why] of bad) {
  test(`parseHttpRequest rejects ${why} with a SigV4Error`, () => {
    try {
      parseHttpRequest(text as string);
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, SigV4Error);
      assert.ok(['INVALID_REQUEST', 'INVALID_HEADER'].includes((error as SigV4Error).code));
    }
  });
}

test('serializeHttpRequest writes Host from an absolute URL, the origin-form target and a string body', () => {
  assert.is(
    serializeHttpRequest({ method: 'POST', url: 'https://example.amazonaws.com/a?b=c', headers: { 'Content-Type': 'text/plain' }, body: 'hi' }),
    'POST /a?b=c HTTP/1.1\nHost:example.amazonaws.com\nContent-Type:text/plain\n\nhi',
  );
});

// Serialising writes an origin-form target, drops a fragment and an empty `?`: none of them is signed.
test('anything parseHttpRequest accepts with an origin-form target parses back the same after serializeHttpRequest', () => {
  const piece = fc.constantFrom('a', 'B', '/', '?', '&', '=', '%', ' ', '\n', '\r\n', '\t', ':', 'é', 'HTTP/1.1', 'GET ', 'Host:', '\n ', '\n\n', '\n\t', ' \n');
  fc.assert(
    fc.property(fc.string({ unit: piece, maxLength: 30 }), (raw) => {
      let parsed;
      try {
        parsed = parseHttpRequest(raw);
      } catch (error) {
        assert.instance(error, SigV4Error);
        return;
      }
      if (!parsed.url.startsWith('/') || parsed.url.endsWith('?')) return;
      assert.equal(parseHttpRequest(serializeHttpRequest(parsed)), parsed);
    }),
    { numRuns: 5000 },
  );
});

test.run();
