// diagnose() on error bodies made by a real peer: @smithy/signature-v4 computes the canonical request
// and string to sign the server would have (for the request as the server received it), our sign()
// signs the request as the client did, and the server's strings are wrapped in the three formats AWS
// answers in. Each case asserts the cause diagnose names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnose, sign, SigV4Error, type SignOptions, type SignResult } from '../src/index.ts';
import { peerSign, type PeerOptions, type PeerRequest } from './smithy-peer.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYDIAGNOSEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjENT//////////wEaCXVzLWVhc3QtMSJHMEUCIQDtokenDIAGNOSE';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
const DATE = new Date('2026-11-29T05:00:00Z');
const HOST = 'api.ecr.us-east-1.amazonaws.com';
const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
// Quotes, ampersand and angle brackets: the XML bodies must decode entities, the JSON message must not
// stop at the first apostrophe.
const NOTE = `a&b <"c"> 'd'`;

interface Side {
  method?: string;
  hostname?: string;
  path?: string;
  query?: Record<string, string>;
  rawQuery?: string;
  headers?: Record<string, string>;
  body?: string;
}

function peerRequest(side: Side): PeerRequest {
  const hostname = side.hostname ?? HOST;
  return {
    method: side.method ?? 'POST',
    hostname,
    path: side.path ?? '/',
    ...(side.query ? { query: side.query } : {}),
    headers: {
      host: hostname,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': TARGET,
      'x-amz-meta-note': NOTE,
      ...side.headers,
    },
    body: side.body ?? '{}',
  };
}

async function ourSign(side: Side, options: Partial<SignOptions> = {}): Promise<SignResult> {
  const request = peerRequest(side);
  const query = side.rawQuery ?? new URLSearchParams(side.query ?? {}).toString();
  return sign(
    {
      method: request.method,
      url: `https://${request.hostname}${request.path}${query ? `?${query}` : ''}`,
      headers: request.headers,
      body: request.body,
    },
    { credentials, region: 'us-east-1', service: 'ecr', date: DATE, ...options },
  );
}

async function server(
  side: Side,
  options: Partial<PeerOptions> = {},
  date = DATE,
): Promise<{ canonicalRequest: string; stringToSign: string }> {
  return peerSign(peerRequest(side), { credentials, region: 'us-east-1', service: 'ecr', ...options }, date);
}

// --- The three formats, as AWS writes them. ---
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const xml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const hexBytes = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const embedded = (s: { canonicalRequest: string; stringToSign: string }): string =>
  `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${s.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${s.stringToSign}'\n`;

const FORMATS = {
  's3-xml': (s: { canonicalRequest: string; stringToSign: string }, provided = '0'.repeat(64)) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId><StringToSign>${xml(s.stringToSign)}</StringToSign><SignatureProvided>${provided}</SignatureProvided><StringToSignBytes>${hexBytes(s.stringToSign)}</StringToSignBytes><CanonicalRequest>${xml(s.canonicalRequest)}</CanonicalRequest><CanonicalRequestBytes>${hexBytes(s.canonicalRequest)}</CanonicalRequestBytes><RequestId>4442587FB7D0A2F9</RequestId><HostId>host-id</HostId></Error>`,
  json: (s: { canonicalRequest: string; stringToSign: string }) =>
    JSON.stringify({ __type: 'InvalidSignatureException', message: embedded(s) }),
  'query-xml': (s: { canonicalRequest: string; stringToSign: string }) =>
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>SignatureDoesNotMatch</Code>\n    <Message>${xml(embedded(s))}</Message>\n  </Error>\n  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n</ErrorResponse>\n`,
} as const;

function noSecrets(value: unknown): void {
  const text = JSON.stringify(value);
  assert.not.ok(text.includes(SECRET), 'the secret access key appears in the diagnosis');
  assert.not.ok(text.includes(TOKEN) || text.includes(encodeURIComponent(TOKEN)), 'the session token appears in the diagnosis');
}

// --- One case per cause, each in the three formats. ---
interface Case {
  name: string;
  code: string;
  step: string;
  ours: () => Promise<Pick<SignResult, 'canonicalRequest' | 'stringToSign'> & { signature?: string }>;
  theirs: () => Promise<{ canonicalRequest: string; stringToSign: string }>;
  message?: RegExp;
  fix?: RegExp;
}

const cases: Case[] = [
  {
    name: 'a header the server signs and we left unsigned',
    code: 'HEADER_NOT_SIGNED',
    step: 'headers-to-sign',
    ours: () => ourSign({}, { unsignableHeaders: ['x-amz-target'] }),
    theirs: () => server({}),
    message: /'x-amz-target'/,
  },
  {
    name: 'a header value signed without collapsing white space (hand-built canonical request)',
    code: 'HEADER_VALUE_WHITESPACE',
    step: 'canonical-headers',
    ours: async () => {
      // What a signer that skips trimming writes: the raw value, inner spaces and all.
      const r = await ourSign({ headers: { 'x-amz-meta-color': '  light   blue ' } });
      return { ...r, canonicalRequest: r.canonicalRequest.replace('x-amz-meta-color:light blue\n', 'x-amz-meta-color:  light   blue \n') };
    },
    theirs: () => server({ headers: { 'x-amz-meta-color': '  light   blue ' } }),
    message: /'x-amz-meta-color'/,
  },
  {
    name: 'a Host header rewritten by a proxy',
    code: 'HEADER_VALUE_CHANGED',
    step: 'canonical-headers',
    ours: () => ourSign({}),
    theirs: () => server({ hostname: 'ecr-proxy.internal:8443' }),
    message: /'host'.*proxy.*ecr-proxy\.internal:8443/,
  },
  {
    name: 'a path encoded once for a service that encodes twice',
    code: 'PATH_ENCODING',
    step: 'canonical-uri',
    ours: () => ourSign({ path: '/v2/my%20repo/manifests/a:b' }, { doubleEncode: false }),
    theirs: () => server({ path: '/v2/my%20repo/manifests/a:b' }),
    fix: /doubleEncode: true/,
  },
  {
    name: 'a path encoded twice for S3, which encodes once',
    code: 'PATH_ENCODING',
    step: 'canonical-uri',
    ours: () => ourSign({ path: '/bucket/my%20key.txt' }),
    theirs: () => server({ path: '/bucket/my%20key.txt' }, { uriEscapePath: false }),
    fix: /doubleEncode: false/,
  },
  {
    name: 'dot segments signed as written for a service that normalises',
    code: 'PATH_NOT_NORMALIZED',
    step: 'canonical-uri',
    ours: () => ourSign({ path: '/a/./b/../c' }, { normalizePath: false }),
    theirs: () => server({ path: '/a/./b/../c' }),
    fix: /normalizePath: true/,
  },
  {
    name: 'query parameters left in the order written (hand-built canonical request)',
    code: 'QUERY_ORDER',
    step: 'canonical-query',
    ours: async () => {
      const r = await ourSign({ rawQuery: 'maxResults=10&filter=tag' });
      return { ...r, canonicalRequest: r.canonicalRequest.replace('\nfilter=tag&maxResults=10\n', '\nmaxResults=10&filter=tag\n') };
    },
    theirs: () => server({ query: { maxResults: '10', filter: 'tag' } }),
  },
  {
    name: 'a space form-encoded as + in the query',
    code: 'QUERY_ENCODING',
    step: 'canonical-query',
    ours: () => ourSign({ rawQuery: 'q=light+blue' }),
    theirs: () => server({ query: { q: 'light blue' } }),
    message: /q=light%2Bblue.*q=light%20blue/,
  },
  {
    name: 'a body changed after signing',
    code: 'PAYLOAD_HASH',
    step: 'payload-hash',
    ours: () => ourSign({ body: '{"registryIds":["123456789012"]}' }),
    theirs: () => server({ body: '{"registryIds": ["123456789012"]}' }),
  },
  {
    name: 'another signing time',
    code: 'CLOCK_SKEW',
    step: 'signing-time',
    ours: () => ourSign({}),
    theirs: () => server({}, {}, new Date(DATE.getTime() + 10 * 60_000)),
  },
  {
    name: 'the wrong region in the scope',
    code: 'WRONG_REGION',
    step: 'credential-scope',
    ours: () => ourSign({}),
    theirs: () => server({}, { region: 'eu-west-1' }),
    message: /'us-east-1'.*'eu-west-1'/,
  },
  {
    name: 'the wrong service in the scope',
    code: 'WRONG_SERVICE',
    step: 'credential-scope',
    ours: () => ourSign({}, { service: 'ec2' }),
    theirs: () => server({}),
    message: /'ec2'.*'ecr'/,
  },
  {
    name: 'temporary credentials signed without their session token',
    code: 'SESSION_TOKEN_MISSING',
    step: 'credentials',
    ours: () => ourSign({}),
    theirs: () => server({}, { credentials: { ...credentials, sessionToken: TOKEN } }),
  },
  {
    name: 'everything matches but the signature: the secret',
    code: 'SECRET_KEY',
    step: 'signing-key',
    ours: () => ourSign({}, { credentials: { ...credentials, secretAccessKey: 'another-secret-of-another-key' } }),
    theirs: () => server({}),
  },
];

for (const c of cases) {
  for (const [format, wrap] of Object.entries(FORMATS)) {
    test(`names ${c.code} for ${c.name} (${format})`, async () => {
      const ours = await c.ours();
      const theirs = await c.theirs();
      // S3 quotes the signature it received: the one we sent.
      const diagnosis = diagnose(ours, wrap(theirs, ours.signature));
      assert.is(diagnosis.format, format);
      assert.is(diagnosis.server.stringToSign, theirs.stringToSign, 'the string to sign is read back exactly');
      assert.is(diagnosis.likelyCause.code, c.code, JSON.stringify(diagnosis.causes, null, 1));
      assert.is(diagnosis.firstDifferentStep, c.step);
      assert.is(diagnosis.matched, c.code === 'SECRET_KEY');
      if (c.message) assert.match(diagnosis.likelyCause.message, c.message);
      if (c.fix) assert.match(diagnosis.likelyCause.fix, c.fix);
      assert.ok(diagnosis.likelyCause.fix.length > 10);
      if (c.code !== 'SECRET_KEY') assert.match(diagnosis.lineDiff, /^--- ours: /m);
      noSecrets(diagnosis);
    });
  }
}

test('reads the canonical request back exactly from every format (entities, quotes, S3 byte form)', async () => {
  const theirs = await server({ headers: { 'x-amz-meta-color': 'blue' } });
  assert.ok(theirs.canonicalRequest.includes(`x-amz-meta-note:${NOTE}`));
  for (const wrap of Object.values(FORMATS)) {
    assert.is(diagnose(await ourSign({}), wrap(theirs)).server.canonicalRequest, theirs.canonicalRequest);
  }
  // Only the byte forms: S3 sometimes answers with them alone.
  const bytesOnly = `<Error><Code>SignatureDoesNotMatch</Code><StringToSignBytes>${hexBytes(theirs.stringToSign)}</StringToSignBytes><CanonicalRequestBytes>${hexBytes(theirs.canonicalRequest)}</CanonicalRequestBytes></Error>`;
  const fromBytes = diagnose(await ourSign({}), bytesOnly);
  assert.is(fromBytes.server.canonicalRequest, theirs.canonicalRequest);
  assert.is(fromBytes.server.stringToSign, theirs.stringToSign);
  assert.is(fromBytes.likelyCause.code, 'HEADER_NOT_SIGNED');
});

test("the line diff marks our lines - and the server's +, with trailing white space visible", async () => {
  const ours = await ourSign({ path: '/a%20b' }, { doubleEncode: false });
  const diagnosis = diagnose(ours, FORMATS.json(await server({ path: '/a%20b' })));
  assert.match(diagnosis.lineDiff, /^--- ours: canonical request\n\+\+\+ server: canonical request\n POST\n-\/a%20b\n\+\/a%2520b\n/);
  assert.match(diagnosis.lineDiff, /^-[0-9a-f]{64}$/m); // the hash line of the string to sign
  const spaced = diagnose(
    { canonicalRequest: 'GET\n/\n\nhost:a \n\nhost\n-', stringToSign: 'x' },
    FORMATS.json({ canonicalRequest: 'GET\n/\n\nhost:a\n\nhost\n-', stringToSign: 'x' }),
  );
  assert.match(spaced.lineDiff, /^-host:a·$/m);
  assert.is(spaced.likelyCause.code, 'HEADER_VALUE_WHITESPACE');
});

test('a signed session token never appears, on either side of the diff', async () => {
  const theirs = await server({}, { credentials: { ...credentials, sessionToken: TOKEN } });
  const ours = await ourSign({}, { credentials: { ...credentials, sessionToken: `${TOKEN}X` } });
  const diagnosis = diagnose(ours, FORMATS['s3-xml'](theirs));
  assert.is(diagnosis.likelyCause.code, 'SESSION_TOKEN_INVALID');
  assert.match(diagnosis.lineDiff, /x-amz-security-token:\[redacted: session token, \d+ chars\]/);
  noSecrets(diagnosis);
});

// --- Causes AWS names in the message itself (no canonical request to compare). ---
const messageCases: {
  name: string;
  body: (ours: SignResult) => string;
  format: string;
  code: string;
  step: string;
  check?: (d: ReturnType<typeof diagnose>) => void;
}[] = [
  {
    name: 'Signature expired (JSON)',
    format: 'json',
    code: 'CLOCK_SKEW',
    step: 'signing-time',
    body: (o) =>
      JSON.stringify({
        __type: 'InvalidSignatureException',
        message: `Signature expired: ${o.amzDate} is now earlier than 20261129T051000Z (20261129T051500Z - 5 min.)`,
      }),
    check: (d) => assert.is(d.server.serverTime, '20261129T051500Z'),
  },
  {
    name: 'Signature not yet current (query XML)',
    format: 'query-xml',
    code: 'CLOCK_SKEW',
    step: 'signing-time',
    body: (o) =>
      `<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature not yet current: ${o.amzDate} is still later than 20261129T045000Z (20261129T044500Z + 5 min.)</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
  },
  {
    name: 'RequestTimeTooSkewed (S3)',
    format: 's3-xml',
    code: 'CLOCK_SKEW',
    step: 'signing-time',
    body: () =>
      '<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20261129T050000Z</RequestTime><ServerTime>2026-11-29T05:20:00Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>',
    check: (d) => assert.match(d.likelyCause.message, /2026-11-29T05:20:00Z/),
  },
  {
    name: 'Request has expired (S3 presigned URL)',
    format: 's3-xml',
    code: 'EXPIRED',
    step: 'signing-time',
    body: () =>
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires><Expires>2026-11-29T06:00:00Z</Expires><ServerTime>2026-11-29T06:12:09Z</ServerTime><RequestId>R</RequestId><HostId>H</HostId></Error>',
  },
  {
    name: 'a region the service refuses (JSON)',
    format: 'json',
    code: 'WRONG_REGION',
    step: 'credential-scope',
    body: () =>
      JSON.stringify({ __type: 'InvalidSignatureException', message: "Credential should be scoped to a valid region, not 'us-east-1'. " }),
    check: (d) => assert.is(d.server.rejectedRegion, 'us-east-1'),
  },
  {
    name: 'a region S3 refuses',
    format: 's3-xml',
    code: 'WRONG_REGION',
    step: 'credential-scope',
    body: () =>
      "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region><RequestId>R</RequestId></Error>",
    check: (d) => assert.match(d.likelyCause.message, /'us-east-1'.*'eu-west-1'/),
  },
  {
    name: 'the wrong service (JSON)',
    format: 'json',
    code: 'WRONG_SERVICE',
    step: 'credential-scope',
    body: () =>
      JSON.stringify({
        __type: 'com.amazon.coral.service#InvalidSignatureException',
        message: "Credential should be scoped to correct service: 'ecr'. ",
      }),
    check: (d) => {
      assert.is(d.server.code, 'InvalidSignatureException');
      assert.match(d.likelyCause.fix, /'ecr'/);
    },
  },
  {
    name: 'an invalid security token with none signed (JSON)',
    format: 'json',
    code: 'SESSION_TOKEN_MISSING',
    step: 'credentials',
    body: () =>
      JSON.stringify({ __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }),
  },
  {
    name: 'an expired security token (query XML)',
    format: 'query-xml',
    code: 'SESSION_TOKEN_EXPIRED',
    step: 'credentials',
    body: () =>
      '<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>',
  },
  {
    name: 'headers sent but not signed (S3)',
    format: 's3-xml',
    code: 'HEADER_NOT_SIGNED',
    step: 'headers-to-sign',
    body: () =>
      '<Error><Code>AccessDenied</Code><Message>There were headers present in the request which were not signed</Message><HeadersNotSigned>x-amz-server-side-encryption, x-amz-acl</HeadersNotSigned></Error>',
    check: (d) => assert.equal(d.server.headersNotSigned, ['x-amz-server-side-encryption', 'x-amz-acl']),
  },
  {
    name: 'an unknown access key (S3)',
    format: 's3-xml',
    code: 'UNKNOWN_ACCESS_KEY',
    step: 'credentials',
    body: () =>
      '<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId></Error>',
  },
];

for (const c of messageCases) {
  test(`names ${c.code} from the message: ${c.name}`, async () => {
    const ours = await ourSign({});
    const diagnosis = diagnose(ours, c.body(ours));
    assert.is(diagnosis.format, c.format);
    assert.is(diagnosis.likelyCause.code, c.code, JSON.stringify(diagnosis.causes));
    assert.is(diagnosis.firstDifferentStep, c.step);
    assert.is(diagnosis.matched, false);
    assert.match(diagnosis.lineDiff, /did not send its canonical request/);
    c.check?.(diagnosis);
  });
}

test('an invalid token with a token signed is SESSION_TOKEN_INVALID', async () => {
  const ours = await ourSign({}, { credentials: { ...credentials, sessionToken: TOKEN } });
  const diagnosis = diagnose(
    ours,
    JSON.stringify({ __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }),
  );
  assert.is(diagnosis.likelyCause.code, 'SESSION_TOKEN_INVALID');
  noSecrets(diagnosis);
});

test('UNKNOWN when the body says nothing it can use, quoting the server', async () => {
  const ours = await ourSign({});
  const html = diagnose(ours, '<html><body>502 Bad Gateway</body></html>');
  assert.is(html.format, 'unknown');
  assert.is(html.likelyCause.code, 'UNKNOWN');
  assert.is(html.firstDifferentStep, undefined);
  const bare = diagnose(ours, JSON.stringify({ __type: 'InvalidSignatureException', message: MISMATCH }));
  assert.is(bare.format, 'json');
  assert.is(bare.likelyCause.code, 'UNKNOWN');
  assert.match(bare.likelyCause.message, /does not match the signature you provided/);
  assert.is(diagnose(ours, '').likelyCause.code, 'UNKNOWN');
  assert.is(diagnose(ours, '{not json').format, 'unknown');
});

test('a string to sign alone (no canonical request) still names scope causes', async () => {
  const ours = await ourSign({});
  const sameRequest = await server({}, { region: 'eu-west-1' });
  const sameHash = diagnose(
    ours,
    `<Error><Code>SignatureDoesNotMatch</Code><StringToSign>${sameRequest.stringToSign}</StringToSign></Error>`,
  );
  assert.equal(
    sameHash.causes.map((c) => c.code),
    ['WRONG_REGION'],
  );
  const theirs = await server({ path: '/other' }, { region: 'eu-west-1' });
  const onlySts = `<Error><Code>SignatureDoesNotMatch</Code><StringToSign>${theirs.stringToSign}</StringToSign></Error>`;
  const diagnosis = diagnose(ours, onlySts);
  assert.is(diagnosis.likelyCause.code, 'WRONG_REGION');
  assert.ok(diagnosis.causes.some((c) => c.code === 'UNKNOWN' && c.step === 'canonical-request'));
});

test('bad arguments throw SigV4Error INVALID_OPTION', () => {
  for (const [ours, body] of [
    [undefined, ''],
    [{}, ''],
    [{ canonicalRequest: 'x', stringToSign: 'y' }, 42],
  ] as const) {
    try {
      diagnose(ours as never, body as never);
      assert.unreachable('should throw');
    } catch (error) {
      assert.instance(error, SigV4Error);
      assert.is((error as SigV4Error).code, 'INVALID_OPTION');
    }
  }
});

test.run();
