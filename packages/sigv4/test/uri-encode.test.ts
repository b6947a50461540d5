// URI encoding as SigV4 defines it: RFC 3986 unreserved characters kept, every other UTF-8 byte %XY.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uriEncode, uriEncodeOnce } from '@glassbox/sigv4';

// Expected values are hand-derived: the UTF-8 bytes of each character, in upper-case hex.
const encodeTable: [input: string, expected: string, why: string][] = [
  ['', '', 'the empty string stays empty'],
  ['AZaz09-_.~', 'AZaz09-_.~', 'unreserved characters are kept'],
  ['a b', 'a%20b', 'a space is %20, never +'],
  ['+', '%2B', 'a plus is encoded, so it cannot be read as a space'],
  ["!'()*", '%21%27%28%29%2A', 'the sub-delims encodeURIComponent leaves alone are encoded'],
  ['/', '%2F', 'a slash is encoded (paths are encoded segment by segment)'],
  ['%', '%25', 'a percent sign is encoded, which is what makes double encoding'],
  ['%20', '%2520', 'an existing escape is encoded again'],
  ['=&?#', '%3D%26%3F%23', 'query and fragment delimiters are encoded'],
  ['é', '%C3%A9', 'two-byte UTF-8'],
  ['ሴ', '%E1%88%B4', "three-byte UTF-8 (the suite's get-utf8 character)"],
  ['😀', '%F0%9F%98%80', 'four-byte UTF-8 (a surrogate pair in JavaScript)'],
  ['\u0000\t\u007f', '%00%09%7F', 'control characters'],
];
for (const [input, expected, why] of encodeTable) {
  test(`uriEncode: ${why}`, () => assert.is(uriEncode(input), expected));
}

const onceTable: [input: string, expected: string, why: string][] = [
  ['a%20b c', 'a%20b%20c', 'an escape is kept and a raw space is encoded'],
  ['%c3%a9', '%C3%A9', 'lower-case escapes come out upper-case'],
  ['%41', 'A', 'an escaped unreserved character is decoded'],
  ['%2F', '%2F', 'an escaped slash stays escaped'],
  ['%zz', '%25zz', 'a % that starts no valid escape is a literal percent sign'],
  ['100%', '100%25', 'a trailing % is a literal percent sign'],
  ['é', '%C3%A9', 'raw UTF-8 is encoded'],
  ['a+b', 'a%2Bb', 'a plus is a literal plus (RFC 3986, not HTML forms)'],
];
for (const [input, expected, why] of onceTable) {
  test(`uriEncodeOnce: ${why}`, () => assert.is(uriEncodeOnce(input), expected));
}

// encodeURIComponent plus the five characters it leaves alone is the RFC 3986 rule spelled out.
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

test("uriEncode equals encodeURIComponent with ! ' ( ) * also encoded, for any well-formed string", () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => uriEncode(s) === rfc3986(s)),
    { numRuns: 2000 },
  );
});

test('uriEncodeOnce of an RFC 3986-encoded string gives it back unchanged', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => uriEncodeOnce(rfc3986(s)) === rfc3986(s)),
    { numRuns: 2000 },
  );
});

test('uriEncodeOnce of a raw string (no %) equals uriEncode of it', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('%')),
      (s) => uriEncodeOnce(s) === rfc3986(s),
    ),
    { numRuns: 1000 },
  );
});

test.run();
