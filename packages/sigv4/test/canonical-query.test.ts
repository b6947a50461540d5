// Step 1b, the canonical query string: every suite case's query against line 3 of its .creq, the
// parsing rules, and agreement with @smithy/signature-v4's getCanonicalQuery on decoded queries.
import { getCanonicalQuery } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalQueryString, queryParameters } from '@glassbox/sigv4';
import { loadVectors } from '../../../test/vectors.ts';

/** The raw query of a .req request line, without the `?`. */
function requestQuery(req: string): string {
  const line = req.split('\n', 1)[0]!;
  const target = line.slice(line.indexOf(' ') + 1, line.lastIndexOf(' '));
  const q = target.indexOf('?');
  return q === -1 ? '' : target.slice(q + 1);
}

for (const vector of loadVectors()) {
  test(`gives the suite's canonical query string for ${vector.name}`, () => {
    assert.is(canonicalQueryString(queryParameters(requestQuery(vector.req))), vector.creq.split('\n')[2]);
  });
}

const parseTable: [query: string, expected: [string, string][], why: string][] = [
  ['', [], 'an empty query has no parameters'],
  [
    'Param1=value2&Param1=Value1',
    [
      ['Param1', 'value2'],
      ['Param1', 'Value1'],
    ],
    'repeated keys are kept, in order',
  ],
  ['a', [['a', '']], 'a key without = has an empty value'],
  ['a=', [['a', '']], 'a key with = and nothing after has an empty value'],
  [
    'a=1&&b=2',
    [
      ['a', '1'],
      ['b', '2'],
    ],
    'empty pieces are skipped',
  ],
  ['a=b=c', [['a', 'b%3Dc']], 'only the first = splits key from value'],
  ['a+b=c+d', [['a%2Bb', 'c%2Bd']], 'a plus is a literal plus, not a space'],
  ['k=a b', [['k', 'a%20b']], 'a raw space is encoded'],
  ['k=a%20b', [['k', 'a%20b']], 'an existing escape is kept, not encoded again'],
  ['k=%e1%88%b4', [['k', '%E1%88%B4']], 'lower-case escapes come out upper-case'],
  ['k=%7E', [['k', '~']], 'an escaped unreserved character is decoded'],
];
for (const [query, expected, why] of parseTable) {
  test(`queryParameters: ${why}`, () => assert.equal(queryParameters(query), expected));
}

const sortTable: [query: string, expected: string, why: string][] = [
  ['b=2&a=1&a=0', 'a=0&a=1&b=2', 'sorts by key, then by value'],
  ['a=1&B=2', 'B=2&a=1', 'sorts by code point, so upper case before lower case'],
  ['%E1%88%B4=1&Param=2', '%E1%88%B4=1&Param=2', 'sorts the encoded form: % sorts before letters'],
  ['X-Amz-Signature=abc&a=1', 'a=1', 'leaves out X-Amz-Signature, which cannot sign itself'],
  ['a=1&a=1', 'a=1&a=1', 'keeps exact duplicates'],
];
for (const [query, expected, why] of sortTable) {
  test(`canonicalQueryString ${why}`, () => assert.is(canonicalQueryString(queryParameters(query)), expected));
}

// smithy takes a decoded query object; we take the raw query. Encode the object RFC 3986-style to
// get the raw form, and the two must agree.
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
test('agrees with @smithy/signature-v4 getCanonicalQuery on 1,000 generated queries', () => {
  const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((k) => k.toLowerCase() !== 'x-amz-signature');
  const values = fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { minLength: 1, maxLength: 3 });
  fc.assert(
    fc.property(fc.dictionary(key, values, { maxKeys: 5 }), (query) => {
      const raw = Object.entries(query)
        .flatMap(([k, vs]) => vs.map((v) => `${rfc3986(k)}=${rfc3986(v)}`))
        .join('&');
      const theirs = getCanonicalQuery(new HttpRequest({ query }));
      assert.is(canonicalQueryString(queryParameters(raw)), theirs);
    }),
    { numRuns: 1000 },
  );
});

test.run();
