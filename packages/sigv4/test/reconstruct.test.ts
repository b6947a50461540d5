// reconstruct() against requests signed by independent signers made to behave one way each
// (reconstruct-cases.ts): it must name that behaviour, and for hand-built canonical requests give back
// exactly the canonical request the client signed. Negative cases: a correctly signed request, a wrong
// secret (nothing may be invented), another access key, and the budget.
import * as assert from 'uvu/assert';
import { reconstruct, SigV4Error, type SignedRequestInput } from '../src/index.ts';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import { CASES, correctlySigned, CREDENTIALS, smithyClient, WRONG_SECRET, type Arrived } from './reconstruct-cases.ts';

const test = suiteNeeding('reconstruct', ['curl']);

const input = (arrived: Arrived): SignedRequestInput => ({
  method: arrived.method,
  url: arrived.url,
  headers: arrived.headers,
  ...(arrived.body === undefined ? {} : { body: arrived.body }),
});

for (const c of CASES) {
  test(`names ${c.expected.join(' + ')} for a request signed by ${c.signer} that way (${c.title})`, async () => {
    const found = reconstruct(input(await c.arrived()), CREDENTIALS);
    assert.is(found.code, 'REPRODUCED', found.explanation);
    assert.equal(
      found.candidate!.behaviours.map((b) => b.code),
      c.expected,
    );
    if (c.clientCanonical !== undefined)
      assert.is(found.candidate!.canonicalRequest, c.clientCanonical, 'the canonical request the client signed, exactly');
    assert.match(found.explanation, /^Your client .+\.$/);
    assert.ok(found.tried >= 1 && found.tried <= found.space);
    assert.not.ok(JSON.stringify(found).includes(CREDENTIALS.secretAccessKey), 'the secret appears in the result');
  });
}

test('an API Gateway request signed with S3 path rules: the sentence says so', async () => {
  const found = reconstruct(input(await CASES.find((c) => c.id === 'PATH_ENCODED_ONCE')!.arrived()), CREDENTIALS);
  assert.is(found.explanation, 'Your client encoded the path once, as S3 does; execute-api expects it encoded twice.');
  assert.match(found.candidate!.canonicalRequest, /^GET\n\/prod\/my%20file\.txt\n/);
  assert.match(found.rules.canonicalRequest, /^GET\n\/prod\/my%2520file\.txt\n/);
});

test('a presigned upload with another Content-Type: names the header and the value the URL was signed with', async () => {
  const changed = reconstruct(input(await CASES.find((c) => c.id === 'PRESIGNED_HEADER_CHANGED')!.arrived()), CREDENTIALS);
  assert.match(changed.explanation, /presigned the URL with content-type: 'image\/png'; the upload sent 'application\/octet-stream'/);
  const missing = reconstruct(input(await CASES.find((c) => c.id === 'PRESIGNED_HEADER_MISSING')!.arrived()), CREDENTIALS);
  assert.match(missing.explanation, /presigned the URL with content-type: 'image\/png'; the upload sent no content-type/);
  assert.match(missing.candidate!.behaviours[0]!.fix, /Send content-type: image\/png/);
});

test('a correctly signed request: reproduced by the rules, no behaviour named', async () => {
  const found = reconstruct(input(await correctlySigned()), CREDENTIALS);
  assert.is(found.code, 'REPRODUCED');
  assert.equal(found.candidate!.behaviours, []);
  assert.is(found.tried, 1, 'the rules are the first candidate');
  assert.is(found.candidate!.canonicalRequest, found.rules.canonicalRequest);
  assert.is(found.explanation, "Your client signed this request by execute-api's rules.");
});

test('a wrong secret: no candidate reproduces it, none is invented, and what was ruled out is listed', async () => {
  const found = reconstruct(input(await CASES[0]!.arrived()), WRONG_SECRET);
  assert.is(found.code, 'NOT_REPRODUCED');
  assert.is(found.candidate, undefined);
  assert.is(found.exhausted, false);
  assert.is(found.tried, found.space, 'the whole space was tried');
  assert.match(found.explanation, /another secret access key, or by a rule Glassbox does not try/);
  const path = found.ruledOut.find((r) => r.label === 'path')!;
  assert.ok(path.tried.includes('encoded the path once, as S3 does'), JSON.stringify(path));
  assert.ok(found.ruledOut.some((r) => r.label === 'payload hash' && r.tried.some((t) => t.startsWith('signed UNSIGNED-PAYLOAD'))));
  assert.not.ok(JSON.stringify(found).includes(WRONG_SECRET.secretAccessKey));
});

test('the search stops at its candidate budget and says so', async () => {
  const found = reconstruct(input(await CASES[0]!.arrived()), WRONG_SECRET, { maxCandidates: 5 });
  assert.is(found.code, 'NOT_REPRODUCED');
  assert.is(found.tried, 5);
  assert.is(found.exhausted, true);
  assert.match(found.explanation, /stopped at its budget, after 5 of \d+ candidates/);
});

test('the search stops at its time budget, by the clock it is given', async () => {
  let now = 0;
  const found = reconstruct(input(await CASES[0]!.arrived()), WRONG_SECRET, { timeBudgetMs: 10, now: () => (now += 100) });
  assert.is(found.exhausted, true);
  assert.ok(found.tried > 0 && found.tried < found.space, `${found.tried} of ${found.space}`);
});

test('the credentials of another access key: nothing tried, and it says whose key signed', async () => {
  const found = reconstruct(input(await CASES[0]!.arrived()), {
    accessKeyId: 'AKIAOTHERKEY00000000',
    secretAccessKey: CREDENTIALS.secretAccessKey,
  });
  assert.is(found.code, 'ACCESS_KEY_MISMATCH');
  assert.is(found.tried, 0);
  assert.match(found.explanation, /signed by access key AKIDEXAMPLE/);
});

test('an unsigned request or a bad budget is a typed error naming what to give', async () => {
  const unsigned = () => reconstruct({ method: 'GET', url: 'https://example.com/' }, CREDENTIALS);
  assert.throws(
    unsigned,
    (e: unknown) =>
      e instanceof SigV4Error && e.code === 'INVALID_REQUEST' && /neither an Authorization header nor X-Amz-Signature/.test(e.message),
  );
  const signed = input(await CASES[0]!.arrived());
  assert.throws(
    () => reconstruct(signed, CREDENTIALS, { maxCandidates: 0 }),
    (e: unknown) => e instanceof SigV4Error && e.code === 'INVALID_OPTION',
  );
});

test('a signed session token never appears in the result, reproduced or not', async () => {
  const token = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENreconstruct0001';
  const arrived = await smithyClient({
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    path: '/prod/my%20file.txt',
    service: 'execute-api',
    uriEscapePath: false,
    sessionToken: token,
  });
  assert.ok(
    arrived.headers.some(([n, v]) => n.toLowerCase() === 'x-amz-security-token' && v === token),
    'the token is signed in a header',
  );
  const found = reconstruct(input(arrived), CREDENTIALS);
  assert.is(found.code, 'REPRODUCED');
  assert.match(found.candidate!.canonicalRequest, /^x-amz-security-token:\[redacted: session token, \d+ chars\]$/m);
  const missed = reconstruct(input(arrived), WRONG_SECRET);
  for (const result of [found, missed]) assert.not.ok(JSON.stringify(result).includes(token), 'the session token appears in the result');
});

test.run();
