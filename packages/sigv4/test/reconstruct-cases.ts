// One generated case per signer behaviour that reconstruct() names. The client side is produced by an
// independent signer made to behave that way: @smithy/signature-v4 with its options, curl's
// --aws-sigv4 against a capture server on 127.0.0.1, or a deliberately wrong canonical request written
// out here by hand and signed with node:crypto's HMAC directly. Nothing here calls the code under test.
// The server side (serverComputed) canonicalises the request as received, with the client's
// SignedHeaders, the way AWS does: @smithy/signature-v4 with the service's path rules.
// Used by reconstruct.test.ts, diagnose-reconstruct.test.ts and the debugging cookbook.
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HeaderBag, HttpRequest as SmithyRequest } from '@smithy/types';
import { CapturingSignatureV4 } from './smithy-peer.ts';

export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const WRONG_SECRET = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-secret-that-signed-this-request-0000' };
const AMZ_DATE = '20260115T093000Z';
const DAY = '20260115';
const SIGNING_DATE = new Date('2026-01-15T09:30:00Z');
const API = 'abc123.execute-api.us-east-1.amazonaws.com';
const S3 = 'examplebucket.s3.amazonaws.com';
const ECR = 'api.ecr.us-east-1.amazonaws.com';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** A signed request as it reached the server. */
export interface Arrived {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

export interface ReconstructCase {
  /** The behaviour the case is about, and the cookbook anchor. */
  id: string;
  title: string;
  signer: 'smithy' | 'curl' | 'hand';
  /** The service whose rules the server applies. */
  service: string;
  /** What reconstruct() must name, in order. */
  expected: string[];
  /** The request as the server received it, signed by the client. */
  arrived(): Promise<Arrived>;
  /** For hand-built cases: the canonical request the client signed, exactly. */
  clientCanonical?: string;
}

// --- A hand-built client: a canonical request written out, signed with node:crypto. ---------------

interface HandOptions {
  /** The scope the key and string to sign use; the Credential sent may differ (credentialScope). */
  scope?: [date: string, region: string, service: string];
  credentialScope?: [date: string, region: string, service: string];
  /** The time line of the string to sign (default: X-Amz-Date). */
  time?: string;
}

function handSign(request: Arrived, canonical: string, options: HandOptions = {}): Arrived {
  const [date, region, service] = options.scope ?? [DAY, 'us-east-1', serviceOf(request)];
  const scope = `${date}/${region}/${service}/aws4_request`;
  const sts = `AWS4-HMAC-SHA256\n${options.time ?? AMZ_DATE}\n${scope}\n${sha256(canonical)}`;
  let key: Buffer = createHmac('sha256', `AWS4${CREDENTIALS.secretAccessKey}`).update(date).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(sts).digest('hex');
  const signed = canonical.split('\n').at(-2)!;
  const credential = (options.credentialScope ?? [date, region, service]).join('/');
  return {
    ...request,
    headers: [
      ...request.headers,
      [
        'Authorization',
        `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${credential}/aws4_request, SignedHeaders=${signed}, Signature=${signature}`,
      ],
    ],
  };
}

function serviceOf(request: Arrived): string {
  const host = request.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? '';
  return host.includes('execute-api') ? 'execute-api' : host.includes('.s3.') || host.startsWith('127.') ? 's3' : 'ecr';
}

const creq = (method: string, path: string, query: string, headers: string[], signed: string, payload: string): string =>
  [method, path, query, ...headers, '', signed, payload].join('\n');

const get = (host: string, target: string, extra: [string, string][] = []): Arrived => ({
  method: 'GET',
  url: `https://${host}${target}`,
  headers: [['Host', host], ['X-Amz-Date', AMZ_DATE], ...extra],
});

function hand(id: string, title: string, expected: string[], request: Arrived, canonical: string, options?: HandOptions): ReconstructCase {
  return {
    id,
    title,
    signer: 'hand',
    service: serviceOf(request),
    expected,
    clientCanonical: canonical,
    arrived: async () => handSign(request, canonical, options),
  };
}

// --- @smithy/signature-v4 as the client. ----------------------------------------------------------

interface SmithyClient {
  method?: string;
  host: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  service: string;
  uriEscapePath: boolean;
  presign?: boolean;
  signableHeaders?: string[];
  sessionToken?: string;
}

export async function smithyClient(c: SmithyClient): Promise<Arrived> {
  const signer = new SignatureV4({
    credentials: { ...CREDENTIALS, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) },
    region: 'us-east-1',
    service: c.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: c.uriEscapePath,
    applyChecksum: false,
  });
  const request = new HttpRequest({
    method: c.method ?? 'GET',
    protocol: 'https:',
    hostname: c.host.replace(/:\d+$/, ''),
    path: c.path,
    query: c.query ?? {},
    headers: { host: c.host, ...c.headers },
    ...(c.body === undefined ? {} : { body: c.body }),
  });
  const options = { signingDate: SIGNING_DATE, ...(c.signableHeaders ? { signableHeaders: new Set(c.signableHeaders) } : {}) };
  const signed = (
    c.presign ? await signer.presign(request, { ...options, expiresIn: 600 }) : await signer.sign(request, options)
  ) as HttpRequest;
  const query = Object.entries(signed.query)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${sdkEscape(k)}=${sdkEscape(String(one))}`))
    .join('&');
  return {
    method: signed.method,
    url: `https://${c.host.replace(/:\d+$/, '')}${signed.path}${query ? `?${query}` : ''}`,
    headers: Object.entries(signed.headers).map(([n, v]) => [n, String(v)] as [string, string]),
    ...(c.body === undefined ? {} : { body: c.body }),
  };
}

/** How the AWS SDK writes a query value into the URL (smithy `escapeUri`). */
const sdkEscape = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

export const replaceHeader = (arrived: Arrived, name: string, value: string | undefined): Arrived => ({
  ...arrived,
  headers: arrived.headers.flatMap(([n, v]) =>
    n.toLowerCase() !== name ? [[n, v] as [string, string]] : value === undefined ? [] : [[n, value] as [string, string]],
  ),
});

// --- curl --aws-sigv4 as the client, captured on 127.0.0.1. ----------------------------------------

/** Runs curl against a one-shot capture server on 127.0.0.1 and returns the request it received. */
export async function curlClient(provider: string, target: string, extra: string[] = []): Promise<Arrived & { port: number }> {
  const captured = new Promise<{ arrived: Arrived; port: number }>((resolve, reject) => {
    const server = createServer((req, res) => {
      let body = '';
      req
        .setEncoding('utf8')
        .on('data', (c: string) => (body += c))
        .on('end', () => {
          const headers: [string, string][] = [];
          for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
          const port = (server.address() as AddressInfo).port;
          res.end('captured');
          server.close();
          resolve({ arrived: { method: req.method!, url: req.url!, headers, ...(body === '' ? {} : { body }) }, port });
        });
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      const child = spawn(
        'curl',
        [
          '-sS',
          '--noproxy',
          '*',
          '--max-time',
          '5',
          '-o',
          '/dev/null',
          '--aws-sigv4',
          provider,
          '--user',
          `${CREDENTIALS.accessKeyId}:${CREDENTIALS.secretAccessKey}`,
          ...extra,
          `http://127.0.0.1:${port}${target}`,
        ],
        { stdio: 'ignore', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
      );
      child.on('error', reject);
    });
  });
  const { arrived, port } = await captured;
  return { ...arrived, port };
}

// --- The cases. --------------------------------------------------------------------------------------

const apiHeaders = (host = API): string[] => [`host:${host}`, `x-amz-date:${AMZ_DATE}`];

export const CASES: readonly ReconstructCase[] = [
  // Path.
  {
    id: 'PATH_ENCODED_ONCE',
    title: "An API Gateway request signed with S3's path rules",
    signer: 'smithy',
    service: 'execute-api',
    expected: ['PATH_ENCODED_ONCE'],
    arrived: () => smithyClient({ host: API, path: '/prod/my%20file.txt', service: 'execute-api', uriEscapePath: false }),
  },
  {
    id: 'PATH_ENCODED_TWICE',
    title: 'An S3 request signed by a generic signer',
    signer: 'smithy',
    service: 's3',
    expected: ['PATH_ENCODED_TWICE'],
    arrived: () =>
      smithyClient({ host: S3, path: '/my%20photo.jpg', service: 's3', uriEscapePath: true, headers: { 'x-amz-content-sha256': EMPTY } }),
  },
  {
    id: 'PATH_NORMALIZED',
    title: 'An S3 key with // normalised away by the signer',
    signer: 'smithy',
    service: 's3',
    expected: ['PATH_NORMALIZED'],
    arrived: () =>
      smithyClient({ host: S3, path: '/photos//cat.jpg', service: 's3', uriEscapePath: true, headers: { 'x-amz-content-sha256': EMPTY } }),
  },
  {
    id: 'PATH_NOT_NORMALIZED',
    title: 'Dot segments kept where the service resolves them',
    signer: 'smithy',
    service: 'execute-api',
    expected: ['PATH_NOT_NORMALIZED'],
    arrived: () => smithyClient({ host: API, path: '/prod/./items', service: 'execute-api', uriEscapePath: false }),
  },
  hand(
    'PATH_TRAILING_SLASH_DROPPED',
    'A trailing slash dropped by the signer',
    ['PATH_TRAILING_SLASH_DROPPED'],
    get(API, '/prod/items/'),
    creq('GET', '/prod/items', '', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'PATH_PLUS_AS_SPACE',
    "A '+' in the path read as a space",
    ['PATH_PLUS_AS_SPACE'],
    get(API, '/prod/a+b'),
    creq('GET', '/prod/a%2520b', '', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'PATH_RESERVED_NOT_ENCODED',
    "! ' ( ) * left unencoded in the path (encodeURIComponent)",
    ['PATH_RESERVED_NOT_ENCODED'],
    get(API, "/prod/it's%20(me)"),
    creq('GET', "/prod/it's%2520(me)", '', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'PATH_NOT_ENCODED',
    'The path signed as written, unencoded',
    ['PATH_NOT_ENCODED'],
    { ...get(S3, '/docs/a:b@c.txt', [['X-Amz-Content-Sha256', EMPTY]]) },
    creq(
      'GET',
      '/docs/a:b@c.txt',
      '',
      [`host:${S3}`, `x-amz-content-sha256:${EMPTY}`, `x-amz-date:${AMZ_DATE}`],
      'host;x-amz-content-sha256;x-amz-date',
      EMPTY,
    ),
  ),
  // Query.
  {
    id: 'QUERY_UNSORTED',
    title: 'Query parameters signed in the order sent (curl 7.88)',
    signer: 'curl',
    service: 'execute-api',
    expected: ['QUERY_UNSORTED'],
    arrived: async () => {
      const { port, ...arrived } = await curlClient('aws:amz:us-east-1:execute-api', '/prod/items?limit=10&filter=new');
      return { ...arrived, url: `http://127.0.0.1:${port}${arrived.url}` };
    },
  },
  hand(
    'QUERY_SORTED_BY_NAME_ONLY',
    'Repeated query names kept in the order sent',
    ['QUERY_SORTED_BY_NAME_ONLY'],
    get(API, '/prod/items?z=1&tag=b&tag=a'),
    creq('GET', '/prod/items', 'tag=b&tag=a&z=1', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'QUERY_PLUS_AS_SPACE',
    "A '+' in the query read as a space",
    ['QUERY_PLUS_AS_SPACE'],
    get(API, '/prod/search?q=a+b'),
    creq('GET', '/prod/search', 'q=a%20b', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'QUERY_EMPTY_VALUE_WITHOUT_EQUALS',
    "An empty query value signed without '='",
    ['QUERY_EMPTY_VALUE_WITHOUT_EQUALS'],
    get(S3, '/?acl', [['X-Amz-Content-Sha256', EMPTY]]),
    creq(
      'GET',
      '/',
      'acl',
      [`host:${S3}`, `x-amz-content-sha256:${EMPTY}`, `x-amz-date:${AMZ_DATE}`],
      'host;x-amz-content-sha256;x-amz-date',
      EMPTY,
    ),
  ),
  hand(
    'QUERY_RESERVED_NOT_ENCODED',
    "! ' ( ) * left unencoded in the query",
    ['QUERY_RESERVED_NOT_ENCODED'],
    get(API, '/prod/items?filter=(new)%20only'),
    creq('GET', '/prod/items', 'filter=(new)%20only', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'QUERY_NOT_ENCODED',
    'Query values signed as written, unencoded',
    ['QUERY_NOT_ENCODED'],
    get(API, '/prod/items?path=/a/b'),
    creq('GET', '/prod/items', 'path=/a/b', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'QUERY_DOUBLE_ENCODED',
    'Query values encoded twice',
    ['QUERY_DOUBLE_ENCODED'],
    get(API, '/prod/items?prefix=my%20photos'),
    creq('GET', '/prod/items', 'prefix=my%2520photos', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  {
    id: 'QUERY_TOKEN_ADDED_AFTER_SIGNING',
    title: 'A session token appended to a presigned URL after signing',
    signer: 'smithy',
    service: 's3',
    expected: ['QUERY_TOKEN_ADDED_AFTER_SIGNING'],
    arrived: async () => {
      const arrived = await smithyClient({
        host: S3,
        path: '/reports/q4.pdf',
        service: 's3',
        uriEscapePath: false,
        presign: true,
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      });
      return { ...arrived, url: `${arrived.url}&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKEN` };
    },
  },
  // Headers.
  hand(
    'SIGNED_HEADERS_UNSORTED',
    'Signed headers listed in the order sent',
    ['SIGNED_HEADERS_UNSORTED'],
    get(API, '/prod/items'),
    creq('GET', '/prod/items', '', [`x-amz-date:${AMZ_DATE}`, `host:${API}`], 'x-amz-date;host', EMPTY),
  ),
  hand(
    'HEADER_NOT_TRIMMED',
    'A header value signed untrimmed',
    ['HEADER_NOT_TRIMMED'],
    get(API, '/prod/items', [['X-Note', '  hello']]),
    creq('GET', '/prod/items', '', [...apiHeaders(), 'x-note:  hello'], 'host;x-amz-date;x-note', EMPTY),
  ),
  hand(
    'HEADER_SPACES_NOT_COLLAPSED',
    'Inner spaces of a header value not collapsed',
    ['HEADER_SPACES_NOT_COLLAPSED'],
    get(API, '/prod/items', [['X-Note', 'a   b']]),
    creq('GET', '/prod/items', '', [...apiHeaders(), 'x-note:a   b'], 'host;x-amz-date;x-note', EMPTY),
  ),
  hand(
    'HEADER_REPEATS_JOINED_WITH_SPACE',
    "Repeated header values joined with ', '",
    ['HEADER_REPEATS_JOINED_WITH_SPACE'],
    get(API, '/prod/items', [
      ['X-Tag', 'blue'],
      ['X-Tag', 'green'],
    ]),
    creq('GET', '/prod/items', '', [...apiHeaders(), 'x-tag:blue, green'], 'host;x-amz-date;x-tag', EMPTY),
  ),
  {
    id: 'HOST_PORT_ADDED',
    title: 'The host signed with :443, sent without',
    signer: 'smithy',
    service: 'execute-api',
    expected: ['HOST_PORT_ADDED'],
    arrived: async () =>
      replaceHeader(
        await smithyClient({ host: `${API}:443`, path: '/prod/items', service: 'execute-api', uriEscapePath: true }),
        'host',
        API,
      ),
  },
  hand(
    'HOST_PORT_DROPPED',
    'The host signed without the port it is sent with',
    ['HOST_PORT_DROPPED'],
    get('127.0.0.1:9000', '/bucket/key', [['X-Amz-Content-Sha256', EMPTY]]),
    creq(
      'GET',
      '/bucket/key',
      '',
      ['host:127.0.0.1', `x-amz-content-sha256:${EMPTY}`, `x-amz-date:${AMZ_DATE}`],
      'host;x-amz-content-sha256;x-amz-date',
      EMPTY,
    ),
  ),
  {
    id: 'HEADER_CHARSET_ADDED_AFTER_SIGNING',
    title: 'The HTTP client adds ; charset=utf-8 after signing',
    signer: 'smithy',
    service: 'ecr',
    expected: ['HEADER_CHARSET_ADDED_AFTER_SIGNING'],
    arrived: async () =>
      replaceHeader(
        await smithyClient({
          method: 'POST',
          host: ECR,
          path: '/',
          service: 'ecr',
          uriEscapePath: true,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
          },
          body: '{}',
        }),
        'content-type',
        'application/x-amz-json-1.1; charset=utf-8',
      ),
  },
  {
    id: 'HEADER_DROPPED_AFTER_SIGNING',
    title: 'A signed Expect header dropped by the transport',
    signer: 'smithy',
    service: 'execute-api',
    expected: ['HEADER_DROPPED_AFTER_SIGNING'],
    arrived: async () =>
      replaceHeader(
        await smithyClient({
          method: 'PUT',
          host: API,
          path: '/prod/items',
          service: 'execute-api',
          uriEscapePath: true,
          headers: { expect: '100-continue' },
          signableHeaders: ['expect'],
          body: 'hello',
        }),
        'expect',
        undefined,
      ),
  },
  hand(
    'HEADER_CHANGED_AFTER_SIGNING',
    'Content-Length and body changed after signing (a newline appended)',
    ['HEADER_CHANGED_AFTER_SIGNING', 'PAYLOAD_BODY_CHANGED'],
    {
      method: 'POST',
      url: `https://${API}/prod/items`,
      headers: [
        ['Host', API],
        ['X-Amz-Date', AMZ_DATE],
        ['Content-Length', '3'],
      ],
      body: '{}\n',
    },
    creq(
      'POST',
      '/prod/items',
      '',
      ['content-length:2', `host:${API}`, `x-amz-date:${AMZ_DATE}`],
      'content-length;host;x-amz-date',
      sha256('{}'),
    ),
  ),
  {
    id: 'PRESIGNED_HEADER_CHANGED',
    title: 'A presigned upload sent with another Content-Type than it was presigned with',
    signer: 'smithy',
    service: 's3',
    expected: ['HEADER_CHANGED_AFTER_SIGNING'],
    arrived: async () => ({
      ...replaceHeader(
        await smithyClient({
          method: 'PUT',
          host: S3,
          path: '/uploads/cat.png',
          service: 's3',
          uriEscapePath: false,
          presign: true,
          headers: { 'content-type': 'image/png', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        }),
        'content-type',
        'application/octet-stream',
      ),
      body: 'png',
    }),
  },
  {
    id: 'PRESIGNED_HEADER_MISSING',
    title: 'A presigned upload sent without the Content-Type it was presigned with',
    signer: 'smithy',
    service: 's3',
    expected: ['HEADER_DROPPED_AFTER_SIGNING'],
    arrived: async () => ({
      ...replaceHeader(
        await smithyClient({
          method: 'PUT',
          host: S3,
          path: '/uploads/cat.png',
          service: 's3',
          uriEscapePath: false,
          presign: true,
          headers: { 'content-type': 'image/png', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        }),
        'content-type',
        undefined,
      ),
      body: 'png',
    }),
  },
  // Payload.
  hand(
    'PAYLOAD_UNSIGNED',
    'UNSIGNED-PAYLOAD where the service hashes the body',
    ['PAYLOAD_UNSIGNED'],
    {
      method: 'POST',
      url: `https://${API}/prod/items`,
      headers: [
        ['Host', API],
        ['X-Amz-Date', AMZ_DATE],
      ],
      body: '{}',
    },
    creq('POST', '/prod/items', '', apiHeaders(), 'host;x-amz-date', 'UNSIGNED-PAYLOAD'),
  ),
  hand(
    'PAYLOAD_EMPTY_HASH',
    'The hash of an empty body for a request with one',
    ['PAYLOAD_EMPTY_HASH'],
    {
      method: 'POST',
      url: `https://${API}/prod/items`,
      headers: [
        ['Host', API],
        ['X-Amz-Date', AMZ_DATE],
      ],
      body: '{"a":1}',
    },
    creq('POST', '/prod/items', '', apiHeaders(), 'host;x-amz-date', EMPTY),
  ),
  hand(
    'PAYLOAD_BODY_HASH',
    'The body hash where S3 signs x-amz-content-sha256',
    ['PAYLOAD_BODY_HASH'],
    {
      method: 'PUT',
      url: `https://${S3}/notes/a.txt`,
      headers: [
        ['Host', S3],
        ['X-Amz-Date', AMZ_DATE],
        ['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD'],
      ],
      body: 'hello',
    },
    creq(
      'PUT',
      '/notes/a.txt',
      '',
      [`host:${S3}`, 'x-amz-content-sha256:UNSIGNED-PAYLOAD', `x-amz-date:${AMZ_DATE}`],
      'host;x-amz-content-sha256;x-amz-date',
      sha256('hello'),
    ),
  ),
  hand(
    'PAYLOAD_STREAMING',
    'A STREAMING-* payload value for a plain body',
    ['PAYLOAD_STREAMING'],
    {
      method: 'PUT',
      url: `https://${S3}/notes/a.txt`,
      headers: [
        ['Host', S3],
        ['X-Amz-Date', AMZ_DATE],
        ['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD'],
      ],
      body: 'hello',
    },
    creq(
      'PUT',
      '/notes/a.txt',
      '',
      [`host:${S3}`, 'x-amz-content-sha256:UNSIGNED-PAYLOAD', `x-amz-date:${AMZ_DATE}`],
      'host;x-amz-content-sha256;x-amz-date',
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    ),
  ),
  {
    id: 'PRESIGNED_EMPTY_HASH',
    title: 'An S3 URL presigned by a generic signer (empty-body hash, not UNSIGNED-PAYLOAD)',
    signer: 'smithy',
    service: 's3',
    expected: ['PAYLOAD_EMPTY_HASH'],
    arrived: () => smithyClient({ host: S3, path: '/reports/q4.pdf', service: 's3', uriEscapePath: false, presign: true }),
  },
  // Scope and time.
  hand(
    'SCOPE_REGION',
    "The key derived for the host's region, another one sent in the Credential",
    ['SCOPE_REGION'],
    get(API, '/prod/items'),
    creq('GET', '/prod/items', '', apiHeaders(), 'host;x-amz-date', EMPTY),
    { scope: [DAY, 'us-east-1', 'execute-api'], credentialScope: [DAY, 'eu-west-1', 'execute-api'] },
  ),
  hand(
    'SCOPE_SERVICE',
    'The API id signed as the service name',
    ['SCOPE_SERVICE'],
    get(API, '/prod/items'),
    creq('GET', '/prod/items', '', apiHeaders(), 'host;x-amz-date', EMPTY),
    { scope: [DAY, 'us-east-1', 'abc123'], credentialScope: [DAY, 'us-east-1', 'execute-api'] },
  ),
  hand(
    'SCOPE_DATE',
    'The key derived for the local date',
    ['SCOPE_DATE'],
    get(API, '/prod/items'),
    creq('GET', '/prod/items', '', apiHeaders(), 'host;x-amz-date', EMPTY),
    { scope: ['20260114', 'us-east-1', 'execute-api'], credentialScope: [DAY, 'us-east-1', 'execute-api'] },
  ),
  hand(
    'TIME_FROM_DATE_HEADER',
    'The string to sign timed by the Date header',
    ['TIME_FROM_DATE_HEADER'],
    get(API, '/prod/items', [['Date', 'Thu, 15 Jan 2026 09:29:59 GMT']]),
    creq('GET', '/prod/items', '', apiHeaders(), 'host;x-amz-date', EMPTY),
    { time: '20260115T092959Z' },
  ),
];

/** A request signed by the rules (smithy with the service's own path rule): nothing to reconstruct. */
export const correctlySigned = (): Promise<Arrived> =>
  smithyClient({ host: API, path: '/prod/my%20file.txt', query: { b: '2', a: '1' }, service: 'execute-api', uriEscapePath: true });

/**
 * What the server computes from the request it received, as AWS does: the client's SignedHeaders (a
 * signed header that did not arrive is signed empty), the service's path rule, the query sorted and
 * encoded once, the payload from x-amz-content-sha256 or the body, the scope from the Credential.
 * Presigned requests are not covered (the cases assert reconstruct() alone for those).
 */
export async function serverComputed(arrived: Arrived): Promise<{ canonicalRequest: string; stringToSign: string } | undefined> {
  const authorization = arrived.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1];
  if (authorization === undefined) return undefined;
  const credential = /Credential=([^,\s]+)/.exec(authorization)![1]!.split('/');
  const signed = /SignedHeaders=([^,\s]+)/
    .exec(authorization)![1]!
    .split(';')
    .map((n) => n.toLowerCase());
  const [, , region, service] = credential as [string, string, string, string];
  const target = arrived.url.replace(/^https?:\/\/[^/]+/, '');
  const [path, rawQuery = ''] = target.split('?') as [string, string?];
  const query: Record<string, string | string[]> = {};
  for (const piece of rawQuery.split('&').filter((p) => p !== '')) {
    const [k, v = ''] = piece.split('=') as [string, string?];
    const key = decodeURIComponent(k);
    const value = decodeURIComponent(v);
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const headers: HeaderBag = {};
  for (const name of signed) {
    const values = arrived.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim().replace(/\s+/g, ' '));
    headers[name] = values.join(',');
  }
  const once = service === 's3';
  const signer = new CapturingSignatureV4({ credentials: CREDENTIALS, region, service, uriEscapePath: !once });
  const amzDate = arrived.headers.find(([n]) => n.toLowerCase() === 'x-amz-date')![1];
  const date = new Date(
    Date.UTC(
      +amzDate.slice(0, 4),
      +amzDate.slice(4, 6) - 1,
      +amzDate.slice(6, 8),
      +amzDate.slice(9, 11),
      +amzDate.slice(11, 13),
      +amzDate.slice(13, 15),
    ),
  );
  // S3 encodes the path it received exactly once (smithy, told not to escape, would take it as is).
  const serverPath = once
    ? path
        .split('/')
        .map((segment) => sdkEscape(decodeURIComponent(segment)))
        .join('/')
    : path;
  const request = new HttpRequest({
    method: arrived.method,
    protocol: 'https:',
    hostname: headers['host'] ?? 'localhost',
    path: serverPath,
    query,
    headers,
    ...(arrived.body === undefined ? {} : { body: arrived.body }),
  }) as SmithyRequest;
  await signer.sign(request, { signingDate: date, signableHeaders: new Set(signed) });
  return { canonicalRequest: signer.canonicalRequest, stringToSign: signer.stringToSign };
}
