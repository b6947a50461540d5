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
  [
    'GET /a HTTP/1.1\nHost:h\nX-Empty:',
    { method: 'GET', url: '/a', headers: { Host: 'h', 'X-Empty': '' } },
    'accepts an empty header value',
  ],
  [
    'GET /a HTTP/1.1\nHost:h\nhost:i',
    { method: 'GET', url: '/a', headers: { Host: ['h', 'i'] } },
    'merges names case-insensitively, keeping the first spelling',
  ],
  ['GET /ሴ HTTP/1.1\nHost:h', { method: 'GET', url: '/ሴ', headers: { Host: 'h' } }, 'keeps raw UTF-8 in the target'],
  [
    'GET https://h/x?y HTTP/1.1',
    { method: 'GET', url: 'https://h/x?y', headers: {} },
    'accepts an absolute-form target without a Host header',
  ],
  ['GET /x\nHost:h', { method: 'GET', url: '/x', headers: { Host: 'h' } }, 'accepts a request line without a version'],
];
for (const [text, expected, why] of table) {
  test(`parseHttpRequest ${why}`, () => assert.equal(parseHttpRequest(text), expected));
}

const bad: [text: unknown, why: string][] = [
  ['', 'empty text'],
  ['GET', 'a request line without a target'],
  ['GET / HTTP/1.1\nno colon here', 'a header line without a colon'],
  ['GET / HTTP/1.1\nHost:h\0', 'a NUL byte in a header'],
  ['GET /\0 HTTP/1.1\nHost:h\n\nbody', 'a NUL byte in the request line'],
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
    serializeHttpRequest({
      method: 'POST',
      url: 'https://example.amazonaws.com/a?b=c',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hi',
    }),
    'POST /a?b=c HTTP/1.1\nHost:example.amazonaws.com\nContent-Type:text/plain\n\nhi',
  );
});

// Serialising writes an origin-form target, drops a fragment and an empty `?`: none of them is signed.
test('anything parseHttpRequest accepts with an origin-form target parses back the same after serializeHttpRequest', () => {
  const piece = fc.constantFrom(
    'a',
    'B',
    '/',
    '?',
    '&',
    '=',
    '%',
    ' ',
    '\n',
    '\r\n',
    '\t',
    ':',
    'é',
    'HTTP/1.1',
    'GET ',
    'Host:',
    '\n ',
    '\n\n',
    '\n\t',
    ' \n',
  );
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

// Bytes in, bytes out: a captured request's body is signed over the bytes on disk.
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

for (const vector of loadVectors()) {
  test(`reads ${vector.name}.req the same as bytes and as text`, () => {
    const fromText = parseHttpRequest(vector.req);
    const fromBytes = parseHttpRequest(Buffer.from(vector.req, 'utf8'));
    const { body, ...rest } = fromBytes;
    const { body: textBody, ...textRest } = fromText;
    assert.equal(rest, textRest);
    assert.is(body === undefined ? undefined : Buffer.from(body).toString('utf8'), textBody);
  });
}

test('keeps a bytes body exactly: CRLF, NUL, lone CR and bytes that are not UTF-8', () => {
  const body = [0x2d, 0x2d, 0x0d, 0x0a, 0x00, 0xff, 0xfe, 0x0d, 0x0d, 0x0a, 0x0a, 0x0d, 0x0a, 0xc3];
  const parsed = parseHttpRequest(bytes('POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\n', body));
  assert.instance(parsed.body, Uint8Array);
  assert.equal([...parsed.body!], body);
  assert.equal(parsed.headers, { Host: 'h', 'Content-Type': 'multipart/form-data; boundary=x' });
});

test('ends the header section at the first empty line, whether the lines end with LF or CRLF', () => {
  for (const [head, blank] of [
    ['\n', '\n'],
    ['\r\n', '\r\n'],
    ['\n', '\r\n'],
    ['\r\n', '\n'],
  ] as const) {
    const parsed = parseHttpRequest(bytes(`PUT /k HTTP/1.1${head}Host: h${head}X-A: 1${head}${blank}`, 'a\r\n\r\nb\n'));
    assert.equal(parsed.headers, { Host: 'h', 'X-A': '1' });
    assert.is(Buffer.from(parsed.body!).toString('latin1'), 'a\r\n\r\nb\n');
  }
});

test('keeps CRLF in a text body too (it used to become LF)', () => {
  assert.is(parseHttpRequest('POST / HTTP/1.1\r\nHost:h\r\n\r\n--x\r\ncontent\r\n--x--\r\n').body, '--x\r\ncontent\r\n--x--\r\n');
});

test('an empty body after the blank line is an empty byte array, no blank line is no body', () => {
  assert.equal([...parseHttpRequest(bytes('GET / HTTP/1.1\r\nHost:h\r\n\r\n')).body!], []);
  assert.is(parseHttpRequest(bytes('GET / HTTP/1.1\nHost:h\n')).body, undefined);
});

test('reads raw UTF-8 in the request line and header values from bytes', () => {
  const parsed = parseHttpRequest(bytes('GET /\u1234 HTTP/1.1\nHost:h\nX-Name: caf\u00e9\n'));
  assert.is(parsed.url, '/\u1234');
  assert.is(parsed.headers['X-Name'], 'caf\u00e9');
});

test('rejects a header section that is not UTF-8 (a replacement character would be signed)', () => {
  try {
    parseHttpRequest(bytes('GET / HTTP/1.1\nHost:h\nX-A: ', [0xe9], '\n\n'));
    assert.unreachable('accepted');
  } catch (error) {
    assert.instance(error, SigV4Error);
    assert.match((error as SigV4Error).message, /not valid UTF-8/);
  }
});

test('a lone CR at the end of a header line is refused, not taken as a line end', () => {
  assert.throws(
    () => parseHttpRequest('GET / HTTP/1.1\nHost:h\nX-A: v\r'),
    (error: unknown) => error instanceof SigV4Error,
  );
});

test('a header named __proto__ is a header, not the prototype', () => {
  const parsed = parseHttpRequest('GET / HTTP/1.1\nHost:h\n__proto__: a\n__proto__: b');
  assert.equal(Object.getPrototypeOf(parsed.headers), Object.prototype);
  assert.equal(Object.entries(parsed.headers), [
    ['Host', 'h'],
    ['__proto__', ['a', 'b']],
  ]);
});

// Sizes from the adversarial report (1 MB of inner spaces, 50,000 headers); how long they take is
// measured by bench/sigv4/parse.ts, not here.
test('reads a 1 MB header value full of inner spaces, trimming only its ends', () => {
  const inner = `a${' '.repeat(1_000_000)}b${' \t'.repeat(1000)}c`;
  const parsed = parseHttpRequest(`GET / HTTP/1.1\nHost:h\nX-Spaces: \t ${inner} \t \n`);
  const value = parsed.headers['X-Spaces'] as string;
  assert.is(value.length, inner.length);
  assert.ok(value === inner, 'the inner run is kept');
});

test('reads a value of only spaces as empty', () => {
  assert.is(parseHttpRequest(`GET / HTTP/1.1\nHost:h\nX-Blank:${' '.repeat(100_000)}`).headers['X-Blank'], '');
});

test('reads 50,000 headers, distinct and repeated, in order', () => {
  const lines = ['GET / HTTP/1.1', 'Host: h'];
  for (let i = 0; i < 25_000; i++) lines.push(`X-H${i}: v${i}`, `X-Same: ${i}`);
  const parsed = parseHttpRequest(`${lines.join('\r\n')}\r\n\r\n`);
  const names = Object.keys(parsed.headers);
  assert.is(names.length, 25_002);
  assert.is(names[1], 'X-H0');
  assert.is(names[25_001], 'X-H24999');
  assert.is(parsed.headers['X-H12345'], 'v12345');
  const same = parsed.headers['X-Same'] as string[];
  assert.is(same.length, 25_000);
  assert.ok(
    same.every((value, i) => value === String(i)),
    'repeated values in the order read',
  );
});

test('refuses something that is neither text nor bytes', () => {
  assert.throws(() => parseHttpRequest({} as unknown as string), /text or bytes/);
});

test.run();
