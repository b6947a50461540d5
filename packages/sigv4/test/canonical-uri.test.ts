// Step 1a, the canonical URI: every suite case's request path against line 2 of its .creq, then the
// switches S3 turns off.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalUri, removeDotSegments } from '@glassbox/sigv4';
import { loadVectors } from '../../../test/vectors.ts';

/** The path of a .req request line (`METHOD target HTTP/1.1`; the target may hold spaces). */
function requestPath(req: string): string {
  const line = req.split('\n', 1)[0]!;
  const target = line.slice(line.indexOf(' ') + 1, line.lastIndexOf(' '));
  return target.split('?', 1)[0]!;
}

for (const vector of loadVectors()) {
  test(`gives the suite's canonical URI for ${vector.name}`, () => {
    assert.is(canonicalUri(requestPath(vector.req)), vector.creq.split('\n')[1]);
  });
}

const table: [path: string, options: Parameters<typeof canonicalUri>[1], expected: string, why: string][] = [
  ['/', {}, '/', 'keeps the root'],
  ['', {}, '/', 'an empty path is the root'],
  ['/a%20b', {}, '/a%2520b', 'double-encodes an already-encoded path by default'],
  ['/a%20b', { doubleEncode: false, normalizePath: false }, '/a%20b', 'encodes an S3 path once, keeping its escapes'],
  ['/a b', { doubleEncode: false, normalizePath: false }, '/a%20b', 'encodes raw characters of an S3 path'],
  ['//a/./b/../c', {}, '/a/c', 'resolves dot segments and collapses // by default'],
  ['//a/./b/../c', { doubleEncode: false, normalizePath: false }, '//a/./b/../c', 'signs an S3 path as sent, dots and // included'],
  ['/a/b/', {}, '/a/b/', 'keeps a trailing slash'],
  ['/a/..', {}, '/', 'does not climb above the root'],
  ['/*:@', {}, '/%2A%3A%40', 'encodes * : @, the classic SignatureDoesNotMatch characters'],
  ['/a%2Fb', { doubleEncode: false, normalizePath: false }, '/a%2Fb', 'keeps an encoded slash in an S3 key'],
];
for (const [path, options, expected, why] of table) {
  test(`${why}: ${JSON.stringify(path)} → ${expected}`, () => assert.is(canonicalUri(path, options), expected));
}

// RFC 3986 §5.4 normal examples ("mid" and "content" are from §5.4.1), on absolute paths.
const dotTable: [input: string, expected: string][] = [
  ['/a/b/c/./../../g', '/a/g'],
  ['/mid/content=5/../6', '/mid/6'],
  ['/b/c/./g', '/b/c/g'],
  ['/b/c/../../../g', '/g'],
  ['/b/c/g/.', '/b/c/g'],
  ['/b/c/..', '/b'],
];
for (const [input, expected] of dotTable) {
  test(`removeDotSegments resolves ${input} as RFC 3986 §5.2.4 does`, () => assert.is(removeDotSegments(input), expected));
}

test.run();
