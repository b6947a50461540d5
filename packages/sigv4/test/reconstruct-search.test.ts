// The search and the server checks underneath reconstruct(): candidates come cheapest first and each
// exactly once; the expected signature is the HMAC chain computed here with node:crypto.
import { createHash, createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeSha256 } from '../src/index.ts';
import { searchCandidates, type SpaceLayout } from '../src/diagnose/candidate-search.ts';
import type { Dimension } from '../src/diagnose/candidate-space.ts';
import { checkServerText, expectedSignature } from '../src/diagnose/server-check.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const hmacChain = (date: string, region: string, service: string, sts: string): string => {
  let key: Buffer = createHmac('sha256', `AWS4${SECRET}`).update(date).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(sts).digest('hex');
};
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

// A small space: three paths, three queries, two payloads; one header, one scope, one time.
const variant = (value: string, cost: number) => ({ value, cost, behaviours: [] });
const dimensions: Dimension[] = [
  { part: 'path', label: 'path', variants: [variant('/a', 0), variant('/b', 1), variant('/c', 3)] },
  { part: 'query', label: 'query', variants: [variant('', 0), variant('x=1', 1), variant('y=2', 2)] },
  { part: 'headers', label: 'SignedHeaders order', variants: [variant('host', 0)] },
  { part: 'headers', label: 'header host', header: 'host', variants: [variant('example.com', 0)] },
  { part: 'payload', label: 'payload hash', variants: [variant('UNSIGNED-PAYLOAD', 0), variant('STREAMING-UNSIGNED-PAYLOAD-TRAILER', 2)] },
  {
    part: 'scope',
    label: 'credential scope',
    variants: [
      { ...variant('20260115/us-east-1/s3/aws4_request', 0), scope: { dateStamp: '20260115', region: 'us-east-1', service: 's3' } },
    ],
  },
  { part: 'time', label: 'signing time', variants: [variant('20260115T093000Z', 0)] },
];
const layout: SpaceLayout = { path: 0, query: 1, signedList: 2, headers: new Map([['host', 3]]), payload: 4, scope: 5, time: 6 };
const budget = { maxCandidates: 1000, timeBudgetMs: 1000, now: () => 0 };

/** The signature of one choice, built here by hand. */
function signatureOf(path: string, query: string, payload: string): string {
  const creq = `GET\n${path}\n${query}\nhost:example.com\n\nhost\n${payload}`;
  return hmacChain('20260115', 'us-east-1', 's3', `AWS4-HMAC-SHA256\n20260115T093000Z\n20260115/us-east-1/s3/aws4_request\n${sha(creq)}`);
}

test('every candidate is tried exactly once when none matches', () => {
  const outcome = searchCandidates('GET', dimensions, layout, SECRET, '0'.repeat(64), nodeSha256, budget);
  assert.is(outcome.space, 18);
  assert.is(outcome.tried, 18);
  assert.is(outcome.hit, undefined);
  assert.is(outcome.exhausted, false);
  assert.equal([...outcome.triedAlone[0]!].sort(), [1, 2], 'each other path tried on its own');
});

test('candidates come cheapest first: the hit is reached after every cheaper one and before any dearer', () => {
  const costs = [
    [0, 1, 3],
    [0, 1, 2],
    [0, 2],
  ];
  for (const [p, q, y] of [
    [1, 1, 0],
    [0, 2, 0],
    [2, 0, 1],
    [2, 2, 1],
  ] as const) {
    const target = signatureOf(
      ['/a', '/b', '/c'][p]!,
      ['', 'x=1', 'y=2'][q]!,
      ['UNSIGNED-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'][y]!,
    );
    const outcome = searchCandidates('GET', dimensions, layout, SECRET, target, nodeSha256, budget);
    const cost = costs[0]![p]! + costs[1]![q]! + costs[2]![y]!;
    let cheaper = 0;
    let asCheap = 0;
    for (const a of costs[0]!)
      for (const b of costs[1]!)
        for (const c of costs[2]!) {
          if (a + b + c < cost) cheaper++;
          if (a + b + c <= cost) asCheap++;
        }
    assert.ok(outcome.hit !== undefined, `found ${p},${q},${y}`);
    assert.ok(
      outcome.tried > cheaper && outcome.tried <= asCheap,
      `${p},${q},${y}: tried ${outcome.tried}, cheaper ${cheaper}, as cheap ${asCheap}`,
    );
    assert.equal(
      outcome.hit!.choices.slice(0, 2).map((v) => v.value),
      [['/a', '/b', '/c'][p], ['', 'x=1', 'y=2'][q]],
    );
  }
});

test('the count budget stops the search and says so', () => {
  const outcome = searchCandidates('GET', dimensions, layout, SECRET, '0'.repeat(64), nodeSha256, { ...budget, maxCandidates: 4 });
  assert.is(outcome.tried, 4);
  assert.is(outcome.exhausted, true);
});

test("the expected signature is the HMAC of the server's string to sign under the user's key", () => {
  const creq = 'GET\n/\n\nhost:example.com\n\nhost\nUNSIGNED-PAYLOAD';
  const sts = `AWS4-HMAC-SHA256\n20260115T093000Z\n20260115/eu-west-1/s3/aws4_request\n${sha(creq)}`;
  const expected = hmacChain('20260115', 'eu-west-1', 's3', sts);
  assert.equal(expectedSignature({ stringToSign: sts }, SECRET, nodeSha256, expected), {
    expectedSignature: expected,
    signatureProvided: expected,
    requestCarriesExpected: true,
  });
  assert.is(expectedSignature({ stringToSign: sts, signatureProvided: 'f'.repeat(64) }, SECRET, nodeSha256)?.requestCarriesExpected, false);
  assert.is(
    expectedSignature({ stringToSign: sts }, SECRET, nodeSha256)?.requestCarriesExpected,
    undefined,
    "unknown without the request's signature",
  );
  assert.is(expectedSignature({ stringToSign: 'not a string to sign' }, SECRET, nodeSha256), undefined);
  assert.is(checkServerText({ canonicalRequest: creq, stringToSign: sts }, nodeSha256).consistent, true);
  assert.is(checkServerText({ canonicalRequest: `${creq} `, stringToSign: sts }, nodeSha256).consistent, false);
  assert.is(checkServerText({ stringToSign: sts }, nodeSha256).consistent, undefined);
});

test.run();
