// Steps 1c and 1d, canonical and signed headers: every suite case against its .creq, the value and
// merge rules, which headers are signed, and agreement with @smithy/signature-v4's getCanonicalHeaders.
import { getCanonicalHeaders } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  canonicalHeaderEntries,
  canonicalHeaders,
  canonicalHeaderValue,
  headersToSign,
  parseHttpRequest,
  signedHeaders,
  type HeaderEntry,
} from '@glassbox/sigv4';
import { loadVectors, sessionTokenFor } from '../../../test/vectors.ts';
import { signedHeaderNames } from '../src/canonical-headers.ts';

for (const vector of loadVectors()) {
  test(`gives the suite's canonical and signed headers for ${vector.name}`, () => {
    const lines = vector.creq.split('\n');
    const blank = lines.indexOf('', 3);
    const expectedHeaders = lines.slice(3, blank).join('\n') + '\n';
    const expectedSigned = lines[blank + 1];
    const entries: HeaderEntry[] = Object.entries(parseHttpRequest(vector.req).headers).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((v): HeaderEntry => [name, v]),
    );
    // Where the token is signed but not in the .req, the signer adds it.
    const { sessionToken, signSessionToken } = sessionTokenFor(vector);
    const hasToken = entries.some(([name]) => name.toLowerCase() === 'x-amz-security-token');
    if (sessionToken !== undefined && signSessionToken && !hasToken) entries.push(['X-Amz-Security-Token', sessionToken]);
    const canonical = canonicalHeaderEntries(headersToSign(entries).signed);
    assert.fixture(canonicalHeaders(canonical), expectedHeaders);
    assert.is(signedHeaders(canonical), expectedSigned);
  });
}

const valueTable: [input: string, expected: string, why: string][] = [
  ['value', 'value', 'leaves a plain value alone'],
  ['  a   b  ', 'a b', 'trims and collapses runs of spaces'],
  ['\ta\t\tb\t', 'a b', 'treats tabs as spaces'],
  ['value1\n  value2\n     value3', 'value1 value2 value3', 'joins obs-folded lines with one space (get-header-value-multiline)'],
  ['"a   b"', '"a b"', "collapses spaces inside quotes too (the suite's rule, unlike the original spec)"],
  ['', '', 'keeps an empty value empty'],
  ['   ', '', 'reduces an all-space value to empty'],
];
for (const [input, expected, why] of valueTable) {
  test(`canonicalHeaderValue ${why}`, () => assert.is(canonicalHeaderValue(input), expected));
}

test('canonicalHeaderEntries lower-cases names, sorts them and merges repeated names in the order sent', () => {
  const entries: HeaderEntry[] = [
    ['My-Header1', 'value2'],
    ['Host', 'h'],
    ['my-header1', ' value1 '],
    ['MY-HEADER1', 'value2'],
  ];
  assert.equal(canonicalHeaderEntries(entries), [
    ['host', 'h'],
    ['my-header1', 'value2,value1,value2'],
  ]);
});

test('canonicalHeaders writes one name:value line per header, each ending in a newline', () => {
  assert.is(
    canonicalHeaders([
      ['a', '1'],
      ['b', ''],
    ]),
    'a:1\nb:\n',
  );
});

test('signedHeaders joins the names with ;', () => {
  assert.is(
    signedHeaders([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]),
    'a;b;c',
  );
});

const signTable: [name: string, signed: boolean][] = [
  ['Host', true],
  ['X-Amz-Date', true],
  ['Content-Type', true],
  ['X-Amz-Target', true],
  ['User-Agent', false],
  ['Authorization', false],
  ['Connection', false],
  ['Expect', false],
  ['Transfer-Encoding', false],
  ['X-Amzn-Trace-Id', false],
  ['Proxy-Authorization', false],
  ['Sec-Fetch-Mode', false],
];
for (const [name, signed] of signTable) {
  test(`headersToSign ${signed ? 'signs' : 'leaves out'} ${name}`, () => {
    const result = headersToSign([[name, 'v']]);
    assert.is(result.signed.length === 1, signed);
    assert.is(result.decisions[0]!.signed, signed);
    assert.ok(signed ? result.decisions[0]!.reason === 'signed' : result.decisions[0]!.reason.startsWith('not signed'));
  });
}

test('headersToSign signs an unsignable header the caller asks for, and leaves out one the caller excludes', () => {
  const result = headersToSign(
    [
      ['User-Agent', 'a'],
      ['X-Custom', 'b'],
    ],
    { signable: new Set(['user-agent']), unsignable: new Set(['x-custom']) },
  );
  assert.equal(result.signed, [['User-Agent', 'a']]);
  assert.match(result.decisions[1]!.reason, /excluded by the caller/);
});

// smithy's canonicalisation of a plain header object (one value per name) is the reference.
test('agrees with @smithy/signature-v4 getCanonicalHeaders on 1,000 generated header sets', () => {
  const name = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,10}$/),
    fc.constantFrom('User-Agent', 'proxy-x', 'sec-x', 'Expect', 'Content-Type'),
  );
  const value = fc
    .string({
      unit: fc.oneof(
        fc.constantFrom(' ', '  ', '\t', '\r\n '),
        fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      ),
      maxLength: 12,
    })
    .filter((v) => !/^[\r\n]/.test(v));
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(name, value), { maxLength: 6, selector: ([n]) => n.toLowerCase() }), (pairs) => {
      const theirs = getCanonicalHeaders(new HttpRequest({ headers: Object.fromEntries(pairs) }));
      const ours = canonicalHeaderEntries(headersToSign(pairs).signed);
      assert.equal(Object.fromEntries(ours), { ...theirs });
      assert.is(signedHeaders(ours), Object.keys(theirs).sort().join(';'));
      // What a presigned URL announces before the canonical request exists must be the same list.
      assert.is(signedHeaderNames(pairs, {}), signedHeaders(ours));
    }),
    { numRuns: 1000 },
  );
});

test('signedHeaderNames lists each signable name once, lower-cased and sorted, as presigning needs before step 1', () => {
  const headers: HeaderEntry[] = [
    ['X-Amz-Meta-B', '1'],
    ['Host', 'h'],
    ['x-amz-meta-b', '2'],
    ['User-Agent', 'curl'],
    ['A', ' '],
  ];
  assert.is(signedHeaderNames(headers, {}), 'a;host;x-amz-meta-b');
  assert.is(signedHeaderNames(headers, { signable: new Set(['user-agent']), unsignable: new Set(['a']) }), 'host;user-agent;x-amz-meta-b');
});

test('many headers (past the insertion limit) are sorted and merged the same way, repeated names in the order sent', () => {
  const headers: HeaderEntry[] = [];
  for (let i = 99; i >= 0; i--) headers.push([`X-H${String(i).padStart(3, '0')}`, ` v${i}  x `]);
  headers.push(['x-h050', 'second'], ['X-H050', 'third']);
  const entries = canonicalHeaderEntries(headers);
  assert.is(entries.length, 100);
  assert.equal(entries[0], ['x-h000', 'v0 x']);
  assert.equal(entries[99], ['x-h099', 'v99 x']);
  assert.equal(entries[50], ['x-h050', 'v50 x,second,third']);
  assert.ok(
    entries.every((entry, i) => i === 0 || entries[i - 1]![0] < entry[0]),
    'sorted by name',
  );
});

test.run();
