// diagnose() with the captured request and credentials: the client side of each case is signed by an
// independent signer that behaves one way (reconstruct-cases.ts); the server side canonicalises the
// request it received as AWS does (serverComputed, @smithy/signature-v4 with the client's SignedHeaders)
// and answers in its protocol's error shape. The diagnosis must name the behaviour, not just "mismatch";
// and the secret is blamed only on evidence.
import * as assert from 'uvu/assert';
import { canonicalByRules, diagnose, type SignedRequestInput } from '../src/index.ts';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import {
  CASES,
  correctlySigned,
  CREDENTIALS,
  replaceHeader,
  serverComputed,
  smithyClient,
  WRONG_SECRET,
  type Arrived,
} from './reconstruct-cases.ts';

const test = suiteNeeding('diagnose with reconstruction', ['curl']);

const input = (arrived: Arrived): SignedRequestInput => ({
  method: arrived.method,
  url: arrived.url,
  headers: arrived.headers,
  ...(arrived.body === undefined ? {} : { body: arrived.body }),
});
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The error the service answers with: S3's XML, or the JSON protocols' message quoting both strings. */
function errorBody(service: string, server: { canonicalRequest: string; stringToSign: string }, provided: string): string {
  if (service === 's3') {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId><StringToSign>${xml(server.stringToSign)}</StringToSign><SignatureProvided>${provided}</SignatureProvided><CanonicalRequest>${xml(server.canonicalRequest)}</CanonicalRequest><RequestId>0</RequestId></Error>`;
  }
  return JSON.stringify({
    __type: 'InvalidSignatureException',
    message: `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${server.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${server.stringToSign}'\n`,
  });
}

const signatureOf = (arrived: Arrived): string =>
  /Signature=([0-9a-f]{64})/.exec(arrived.headers.find(([n]) => n.toLowerCase() === 'authorization')![1])![1]!;

for (const c of CASES) {
  test(`${c.id}: diagnose names ${c.expected[0]} from the server's error and the request as sent`, async () => {
    const arrived = await c.arrived();
    const server = await serverComputed(arrived);
    if (server === undefined) return; // presigned: reconstruct.test.ts covers it
    const request = input(arrived);
    const diagnosis = diagnose(canonicalByRules(request), errorBody(c.service, server, signatureOf(arrived)), {
      request,
      credentials: CREDENTIALS,
      credentialsSource: 'environment',
    });
    assert.is(diagnosis.reconstruction?.code, 'REPRODUCED');
    assert.is(diagnosis.likelyCause.code, diagnosis.reconstruction!.candidate!.behaviours[0]!.diagnosis);
    assert.is(diagnosis.likelyCause.message, diagnosis.reconstruction!.explanation);
    assert.is(diagnosis.serverCheck?.text.consistent, true, "the server's own text holds together");
    assert.not.equal(diagnosis.likelyCause.code, 'SECRET_KEY');
    // Scope and time change the string to sign only; everything else the canonical request.
    const section = ['scope', 'time'].includes(diagnosis.reconstruction!.candidate!.behaviours[0]!.part)
      ? 'string to sign'
      : 'canonical request';
    assert.ok(diagnosis.lineDiff.includes(`--- client (reconstructed): ${section}\n+++ server: ${section}\n`), diagnosis.lineDiff);
    assert.not.ok(JSON.stringify(diagnosis).includes(CREDENTIALS.secretAccessKey));
  });
}

test("an S3-compatible server that quotes nothing (Ceph RGW, MinIO): reconstructed, and diffed against S3's rules", async () => {
  const arrived = await CASES.find((c) => c.id === 'PATH_ENCODED_TWICE')!.arrived();
  const request = input(arrived);
  const bare =
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message></Message><RequestId>tx0000</RequestId><HostId>h</HostId></Error>';
  const without = diagnose(canonicalByRules(request), bare);
  assert.is(without.likelyCause.code, 'UNKNOWN');
  assert.match(without.likelyCause.message, /does not quote what it computed/);
  assert.match(without.likelyCause.fix, /credentials that signed it/);
  const withCredentials = diagnose(canonicalByRules(request), bare, { request, credentials: CREDENTIALS });
  assert.is(withCredentials.likelyCause.code, 'PATH_ENCODING');
  assert.is(
    withCredentials.likelyCause.message,
    'Your client encoded the path twice, as services other than S3 do; s3 expects it encoded once.',
  );
  assert.match(withCredentials.lineDiff, /^--- client \(reconstructed\): canonical request\n\+\+\+ s3 rules: canonical request$/m);
  assert.match(withCredentials.lineDiff, /^-\/my%2520photo\.jpg$\n^\+\/my%20photo\.jpg$/m);
});

test('a correctly signed request the server refuses: its copy of the secret differs (SECRET_KEY on evidence)', async () => {
  const arrived = await correctlySigned();
  const request = input(arrived);
  const server = (await serverComputed(arrived))!;
  const diagnosis = diagnose(canonicalByRules(request), errorBody('execute-api', server, signatureOf(arrived)), {
    request,
    credentials: CREDENTIALS,
    credentialsSource: 'shared-credentials-file (profile dev)',
  });
  assert.is(diagnosis.serverCheck?.expected?.requestCarriesExpected, true);
  assert.is(diagnosis.likelyCause.code, 'SECRET_KEY');
  assert.match(diagnosis.likelyCause.message, /server's copy of the secret for this access key ID differs/);
  assert.match(diagnosis.likelyCause.message, /profile dev/);
});

test('a client with another secret than the profile: NOT_REPRODUCED names both causes and the source, never SECRET_KEY', async () => {
  const arrived = await correctlySigned();
  const request = input(arrived);
  const server = (await serverComputed(arrived))!;
  const diagnosis = diagnose(canonicalByRules(request), errorBody('execute-api', server, signatureOf(arrived)), {
    request,
    credentials: WRONG_SECRET,
    credentialsSource: 'environment',
  });
  assert.is(diagnosis.reconstruction?.code, 'NOT_REPRODUCED');
  assert.is(diagnosis.serverCheck?.expected?.requestCarriesExpected, false);
  assert.is(diagnosis.likelyCause.code, 'NOT_REPRODUCED');
  assert.match(
    diagnosis.likelyCause.message,
    /another secret access key, or by a rule Glassbox does not try.*credentials from environment/,
  );
  assert.not.ok(diagnosis.causes.some((c) => c.code === 'SECRET_KEY'));
});

test('without credentials, equal canonical requests do not blame the secret', async () => {
  const arrived = await CASES.find((c) => c.id === 'PATH_ENCODED_ONCE')!.arrived();
  const request = input(arrived);
  const server = (await serverComputed(arrived))!;
  const diagnosis = diagnose(canonicalByRules(request), errorBody('execute-api', server, signatureOf(arrived)));
  assert.is(diagnosis.matched, true);
  assert.is(diagnosis.likelyCause.code, 'SIGNATURE_UNEXPLAINED');
  assert.match(diagnosis.likelyCause.fix, /credentials that signed the request/);
});

test('a presigned upload whose signed Content-Type no common value reproduces: the header and the value sent are named', async () => {
  const presigned = await smithyClient({
    method: 'PUT',
    host: 'examplebucket.s3.amazonaws.com',
    path: '/uploads/a.bin',
    service: 's3',
    uriEscapePath: false,
    presign: true,
    headers: { 'content-type': 'application/vnd.example.rare', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  const arrived = { ...replaceHeader(presigned, 'content-type', 'application/octet-stream'), body: 'bytes' };
  const bare =
    '<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>';
  const request = input(arrived);
  const diagnosis = diagnose(canonicalByRules(request), bare, { request, credentials: CREDENTIALS });
  assert.is(diagnosis.reconstruction?.code, 'NOT_REPRODUCED');
  assert.is(diagnosis.likelyCause.code, 'HEADER_VALUE_CHANGED');
  assert.match(
    diagnosis.likelyCause.message,
    /The URL signs content-type \(X-Amz-SignedHeaders=content-type;host\), and the upload sent 'application\/octet-stream'/,
  );
  assert.ok(diagnosis.causes.some((c) => c.code === 'NOT_REPRODUCED'));
});

test.run();
