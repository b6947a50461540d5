// The recipes of docs/debugging-signature-does-not-match.md as code: each one signs a request, breaks
// it the way real clients, proxies and clocks do, sends it to a real local server (the ECR emulator,
// or a small S3-style server built on verify()), and then sends the fixed version. The guide shows
// what these runs print (scripts/gen-guide.ts); test/cookbook.test.ts checks that each breaks and
// each fix works.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  canonicalByRules,
  diagnose,
  presign,
  sign,
  verify,
  type DiagnoseInput,
  type Diagnosis,
  type PresignOptions,
  type SignResult,
} from '../packages/sigv4/src/index.ts';
import {
  CASES,
  CREDENTIALS as RECONSTRUCT_CREDENTIALS,
  serverComputed,
  type ReconstructCase,
} from '../packages/sigv4/test/reconstruct-cases.ts';
import { startEcrEmulator } from '../packages/ecr/src/emulator.ts';
import { suiteParameters } from './vectors.ts';

/** The time every recipe's server believes it is. */
export const COOKBOOK_NOW = Date.parse('2026-01-15T09:30:00Z');
const credentials = suiteParameters.credentials;
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';
const ECR_HOST = 'api.ecr.us-east-1.amazonaws.com';
const S3_HOST = 'examplebucket.s3.amazonaws.com';
const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';

/** What goes over the wire: a request target, headers in order (repeats allowed), a body. */
export interface Wire {
  method: string;
  target: string;
  headers: [string, string][];
  body: string;
}

/** A request as the client signed it, with what its signer computed (for diagnose()). */
export interface Signed {
  wire: Wire;
  ours: DiagnoseInput;
}

/** A server's answer. */
export interface Answer {
  status: number;
  body: string;
}

/** One cause of SignatureDoesNotMatch, reproduced. */
export interface Recipe {
  id: string;
  title: string;
  server: 'ecr' | 's3';
  /** The error code the service answers the broken request with. */
  code: string;
  /** The request as the client signed it (what its logs would show), and its signer's working. */
  signed(): Promise<Signed>;
  /** What happens to it on the way, when the mistake is in transit rather than in the signing. */
  transit?(wire: Wire): Wire;
  /** The request once the fix is applied. */
  fixed(): Promise<Wire>;
}

/** The request as it reaches the service: the signed one, after transit. */
export async function broken(recipe: Recipe): Promise<Wire> {
  const { wire } = await recipe.signed();
  return recipe.transit ? recipe.transit(wire) : wire;
}

function toWire(result: SignResult): Wire {
  const signed = result.request;
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(signed.headers))
    for (const one of Array.isArray(value) ? value : [value]) headers.push([name, one]);
  return { method: signed.method, target: signed.url, headers, body: typeof signed.body === 'string' ? signed.body : '' };
}

const signedOf = (result: SignResult): Signed => ({ wire: toWire(result), ours: result });

const ecrOptions = (over: Partial<PresignOptions> = {}): PresignOptions => ({
  credentials,
  region: 'us-east-1',
  service: 'ecr',
  date: COOKBOOK_NOW,
  ...over,
});
const s3Options = (over: Partial<PresignOptions> = {}): PresignOptions => ({
  credentials,
  region: 'us-east-1',
  service: 's3',
  date: COOKBOOK_NOW,
  doubleEncode: false,
  normalizePath: false,
  contentSha256Header: true,
  ...over,
});

function ecrRequest(extra: Record<string, string | string[]> = {}) {
  return {
    method: 'POST',
    url: '/',
    headers: { Host: ECR_HOST, 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': ECR_TARGET, ...extra },
    body: '{}',
  };
}

const replaceHeader = (wire: Wire, name: string, value: string): Wire => ({
  ...wire,
  headers: wire.headers.map(([n, v]) => [n, n.toLowerCase() === name.toLowerCase() ? value : v] as [string, string]),
});

/** Every recipe, in the order of the guide. */
export const RECIPES: readonly Recipe[] = [
  {
    id: 'unsigned-headers',
    title: 'A header added after signing',
    server: 's3',
    code: 'AccessDenied',
    async signed() {
      return signedOf(await sign({ method: 'PUT', url: '/notes/hello.txt', headers: { Host: S3_HOST }, body: 'hello' }, s3Options()));
    },
    // The application adds metadata after the request was signed.
    transit: (wire) => ({ ...wire, headers: [...wire.headers, ['X-Amz-Meta-Owner', 'alice']] }),
    async fixed() {
      return toWire(
        await sign(
          { method: 'PUT', url: '/notes/hello.txt', headers: { Host: S3_HOST, 'X-Amz-Meta-Owner': 'alice' }, body: 'hello' },
          s3Options(),
        ),
      );
    },
  },
  {
    id: 'repeated-headers',
    title: 'Repeated headers joined or re-ordered in transit',
    server: 'ecr',
    code: 'InvalidSignatureException',
    async signed() {
      return signedOf(await sign(ecrRequest({ 'X-Trace-Tag': ['blue', 'green'] }), ecrOptions()));
    },
    // A proxy folds the two X-Trace-Tag lines into one, joined with ", " (RFC 9110 allows it).
    transit(wire) {
      const tags = wire.headers.filter(([n]) => n === 'X-Trace-Tag').map(([, v]) => v);
      const others = wire.headers.filter(([n]) => n !== 'X-Trace-Tag');
      return { ...wire, headers: [...others, ['X-Trace-Tag', tags.join(', ')]] };
    },
    async fixed() {
      // Send the value as one header, the way it will arrive, and sign that.
      return toWire(await sign(ecrRequest({ 'X-Trace-Tag': 'blue, green' }), ecrOptions()));
    },
  },
  {
    id: 'proxy-rewrites-header',
    title: 'A client or proxy rewrites a signed header',
    server: 'ecr',
    code: 'InvalidSignatureException',
    async signed() {
      return signedOf(await sign(ecrRequest(), ecrOptions()));
    },
    // The HTTP client appends a charset after the signer has run.
    transit: (wire) => replaceHeader(wire, 'Content-Type', 'application/x-amz-json-1.1; charset=utf-8'),
    async fixed() {
      return toWire(await sign(ecrRequest({ 'Content-Type': 'application/x-amz-json-1.1; charset=utf-8' }), ecrOptions()));
    },
  },
  {
    id: 'whitespace-body',
    title: 'White space: a newline added to the body',
    server: 'ecr',
    code: 'InvalidSignatureException',
    async signed() {
      return signedOf(await sign(ecrRequest(), ecrOptions()));
    },
    // The body went through `echo` (or a file saved with a final newline) after signing.
    transit: (wire) => ({ ...wire, body: '{}\n' }),
    async fixed() {
      return toWire(await sign({ ...ecrRequest(), body: '{}\n' }, ecrOptions()));
    },
  },
  {
    id: 's3-double-encoding',
    title: 'Double encoding: S3 encodes the path once',
    server: 's3',
    code: 'SignatureDoesNotMatch',
    async signed() {
      // Signed with the rules of every other service: the already-encoded %20 is encoded again.
      return signedOf(
        await sign(
          { method: 'GET', url: '/my%20photo.jpg', headers: { Host: S3_HOST } },
          s3Options({ doubleEncode: true, normalizePath: true }),
        ),
      );
    },
    async fixed() {
      return toWire(await sign({ method: 'GET', url: '/my%20photo.jpg', headers: { Host: S3_HOST } }, s3Options()));
    },
  },
  {
    id: 'path-normalisation',
    title: 'Path normalisation: // and dot segments',
    server: 's3',
    code: 'SignatureDoesNotMatch',
    async signed() {
      // A general-purpose signer collapses // (right for every service but S3); S3 keys may contain it.
      return signedOf(
        await sign({ method: 'GET', url: '/photos//cat.jpg', headers: { Host: S3_HOST } }, s3Options({ normalizePath: true })),
      );
    },
    async fixed() {
      return toWire(await sign({ method: 'GET', url: '/photos//cat.jpg', headers: { Host: S3_HOST } }, s3Options()));
    },
  },
  {
    id: 'query-encoding',
    title: 'Query encoding: a space sent as +',
    server: 's3',
    code: 'SignatureDoesNotMatch',
    async signed() {
      return signedOf(await sign({ method: 'GET', url: '/?list-type=2&prefix=my%20photos%2F', headers: { Host: S3_HOST } }, s3Options()));
    },
    // The URL actually sent is rebuilt with URLSearchParams, which writes a space as +.
    transit: (wire) => ({ ...wire, target: `/?${new URLSearchParams({ 'list-type': '2', prefix: 'my photos/' }).toString()}` }),
    async fixed() {
      return toWire(await sign({ method: 'GET', url: '/?list-type=2&prefix=my%20photos%2F', headers: { Host: S3_HOST } }, s3Options()));
    },
  },
  {
    id: 'payload-hash',
    title: 'Payload hash: the body changed after signing',
    server: 's3',
    code: 'XAmzContentSHA256Mismatch',
    async signed() {
      return signedOf(await sign({ method: 'PUT', url: '/notes/hello.txt', headers: { Host: S3_HOST }, body: 'hello' }, s3Options()));
    },
    // The application edits the body after signing it.
    transit: (wire) => ({ ...wire, body: 'hello, world' }),
    async fixed() {
      return toWire(await sign({ method: 'PUT', url: '/notes/hello.txt', headers: { Host: S3_HOST }, body: 'hello, world' }, s3Options()));
    },
  },
  {
    id: 'clock-skew',
    title: 'Clock skew',
    server: 'ecr',
    code: 'InvalidSignatureException',
    async signed() {
      // The client's clock is 15 minutes slow.
      return signedOf(await sign(ecrRequest(), ecrOptions({ date: COOKBOOK_NOW - 15 * 60_000 })));
    },
    async fixed() {
      return toWire(await sign(ecrRequest(), ecrOptions({ date: COOKBOOK_NOW })));
    },
  },
  {
    id: 'wrong-region',
    title: 'Wrong region in the scope',
    server: 'ecr',
    code: 'InvalidSignatureException',
    async signed() {
      return signedOf(await sign(ecrRequest(), ecrOptions({ region: 'eu-west-1' })));
    },
    async fixed() {
      return toWire(await sign(ecrRequest(), ecrOptions({ region: 'us-east-1' })));
    },
  },
  {
    id: 'wrong-service',
    title: 'Wrong service (signing name) in the scope',
    server: 'ecr',
    code: 'InvalidSignatureException',
    async signed() {
      // The host starts with api.ecr, but the signing name is ecr.
      return signedOf(await sign(ecrRequest(), ecrOptions({ service: 'api.ecr' })));
    },
    async fixed() {
      return toWire(await sign(ecrRequest(), ecrOptions({ service: 'ecr' })));
    },
  },
  {
    id: 'missing-session-token',
    title: 'Temporary credentials without their session token',
    server: 'ecr',
    code: 'UnrecognizedClientException',
    async signed() {
      // Only AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY were copied from an assumed-role session.
      return signedOf(
        await sign(
          ecrRequest(),
          ecrOptions({ credentials: { accessKeyId: 'ASIAEXAMPLETEMPORARY', secretAccessKey: credentials.secretAccessKey } }),
        ),
      );
    },
    async fixed() {
      return toWire(
        await sign(
          ecrRequest(),
          ecrOptions({
            credentials: { accessKeyId: 'ASIAEXAMPLETEMPORARY', secretAccessKey: credentials.secretAccessKey, sessionToken: SESSION_TOKEN },
          }),
        ),
      );
    },
  },
  {
    id: 'expired-presigned-url',
    title: 'An expired presigned URL',
    server: 's3',
    code: 'AccessDenied',
    async signed() {
      // Presigned for 5 minutes, 10 minutes ago.
      const presigned = await presign(
        { method: 'GET', url: `https://${S3_HOST}/reports/q4.pdf` },
        s3Options({ date: COOKBOOK_NOW - 10 * 60_000, expiresIn: 300, contentSha256Header: false, unsignedPayload: true }),
      );
      return {
        wire: { method: 'GET', target: presigned.url.slice(`https://${S3_HOST}`.length), headers: [['Host', S3_HOST]], body: '' },
        ours: presigned,
      };
    },
    async fixed() {
      const { url } = await presign(
        { method: 'GET', url: `https://${S3_HOST}/reports/q4.pdf` },
        s3Options({ expiresIn: 300, contentSha256Header: false, unsignedPayload: true }),
      );
      return { method: 'GET', target: url.slice(`https://${S3_HOST}`.length), headers: [['Host', S3_HOST]], body: '' };
    },
  },
];

/** The servers the recipes talk to, on 127.0.0.1, with their clocks at {@link COOKBOOK_NOW}. */
export interface Servers {
  ecr: string;
  s3: string;
  close(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const ecr = await startEcrEmulator({
    credentials: [
      credentials,
      { accessKeyId: 'ASIAEXAMPLETEMPORARY', secretAccessKey: credentials.secretAccessKey, sessionToken: SESSION_TOKEN },
    ],
    password: 'example-registry-password',
    region: 'us-east-1',
    clock: () => COOKBOOK_NOW,
  });
  const s3 = await startS3StyleServer();
  return {
    ecr: ecr.url,
    s3: s3.url,
    async close() {
      await ecr.close();
      s3.server.closeAllConnections();
      await new Promise((resolve) => s3.server.close(resolve));
    },
  };
}

/** Sends a wire request to a local server exactly as given (headers in order, raw target). */
export function send(base: string, wire: Wire): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const headers = wire.headers.flat();
    const req = httpRequest({ host: hostname, port, method: wire.method, path: wire.target, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('cookbook: the local server did not answer in 5 s')));
    req.end(wire.body);
  });
}

/** Runs a recipe's broken or fixed request against its server. */
export async function run(servers: Servers, recipe: Recipe, which: 'broken' | 'fixed'): Promise<{ wire: Wire; answer: Answer }> {
  const wire = which === 'broken' ? await broken(recipe) : await recipe.fixed();
  return { wire, answer: await send(recipe.server === 'ecr' ? servers.ecr : servers.s3, wire) };
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function s3Error(status: number, code: string, message: string, fields: Record<string, string>): Answer {
  const extra = Object.entries(fields)
    .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
    .join('');
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>${extra}<RequestId>0000000000000000</RequestId></Error>`,
  };
}

/**
 * A stand-in for S3's authentication, for the recipes: verify() with S3's canonical URI rules, and
 * S3's error codes and XML shape (SignatureDoesNotMatch with the canonical request, AccessDenied for
 * unsigned x-amz-* headers and expired URLs, XAmzContentSHA256Mismatch). It stores nothing.
 */
async function startS3StyleServer(): Promise<{ server: Server; url: string }> {
  const answer = async (req: IncomingMessage, body: Buffer): Promise<Answer> => {
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const authorization = headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1] ?? '';
    const signedNames = /SignedHeaders=([^,\s]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    // S3 requires every x-amz-* header to be signed (header authentication).
    const unsigned =
      authorization === '' ? [] : headers.map(([n]) => n.toLowerCase()).filter((n) => n.startsWith('x-amz-') && !signedNames.includes(n));
    if (unsigned.length > 0)
      return s3Error(403, 'AccessDenied', 'There were headers present in the request which were not signed', {
        HeadersNotSigned: unsigned.join(', '),
      });
    const result = await verify(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers, body: new Uint8Array(body) },
      {
        credentials: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined),
        now: COOKBOOK_NOW,
        region: 'us-east-1',
        service: 's3',
        doubleEncode: false,
        normalizePath: false,
      },
    );
    if (result.ok) return { status: 200, body: '' };
    switch (result.reason) {
      case 'SIGNATURE_MISMATCH':
        return s3Error(
          403,
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          {
            AWSAccessKeyId: credentials.accessKeyId,
            StringToSign: result.stringToSign ?? '',
            SignatureProvided: result.actual ?? '',
            CanonicalRequest: result.canonicalRequest ?? '',
          },
        );
      case 'PAYLOAD_HASH_MISMATCH':
        return s3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
          ClientComputedContentSHA256: result.actual ?? '',
          S3ComputedContentSHA256: result.expected ?? '',
        });
      case 'EXPIRED': {
        const expires = new URL(req.url ?? '/', 'http://s3').searchParams;
        const signedAt = expires.get('X-Amz-Date') ?? '';
        const seconds = Number(expires.get('X-Amz-Expires'));
        const at = Date.UTC(
          +signedAt.slice(0, 4),
          +signedAt.slice(4, 6) - 1,
          +signedAt.slice(6, 8),
          +signedAt.slice(9, 11),
          +signedAt.slice(11, 13),
          +signedAt.slice(13, 15),
        );
        return s3Error(403, 'AccessDenied', 'Request has expired', {
          'X-Amz-Expires': String(seconds),
          Expires: new Date(at + seconds * 1000).toISOString().replace('.000', ''),
          ServerTime: new Date(COOKBOOK_NOW).toISOString().replace('.000', ''),
        });
      }
      case 'CLOCK_SKEW':
        return s3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {});
      case 'UNKNOWN_ACCESS_KEY':
        return s3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {});
      default:
        return s3Error(400, 'AuthorizationHeaderMalformed', result.message, {});
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      answer(req, Buffer.concat(chunks)).then(
        (out) => res.writeHead(out.status, { 'content-type': 'application/xml' }).end(out.body),
        (error: unknown) =>
          res
            .writeHead(400, { 'content-type': 'application/xml' })
            .end(s3Error(400, 'InvalidRequest', error instanceof Error ? error.message : 'bad request', {}).body),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// ---------------------------------------------------------------------------------------------
// Part 2 of the guide: requests signed by other clients, one recipe per signer behaviour. The cases are
// those of packages/sigv4/test/reconstruct-cases.ts (each signed by smithy, curl or by hand to behave
// that way); the server's side is canonicalised as AWS does, and diagnose() is given the request and
// the credentials, as `glassbox diff` gives it those from the credential chain.

/** The behaviours the guide's second part shows, in its order. */
export const RECONSTRUCTION_RECIPES: readonly ReconstructCase[] = CASES;

const SIGNERS: Record<ReconstructCase['signer'], string> = {
  smithy: "@smithy/signature-v4 (the AWS SDK for JavaScript's signer)",
  curl: 'curl 7.88 --aws-sigv4',
  hand: 'a hand-written signer',
};

/** What diagnose() says of a recipe's request, with the server's error (a bare S3 error for presigned URLs). */
export async function reconstructionDiagnosis(recipe: ReconstructCase): Promise<Diagnosis> {
  const arrived = await recipe.arrived();
  const request = {
    method: arrived.method,
    url: arrived.url,
    headers: arrived.headers,
    ...(arrived.body === undefined ? {} : { body: arrived.body }),
  };
  const server = await serverComputed(arrived);
  const body =
    server === undefined
      ? '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>'
      : JSON.stringify({
          __type: 'InvalidSignatureException',
          message: `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'${server.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${server.stringToSign}'\n`,
        });
  return diagnose(canonicalByRules(request), body, { request, credentials: RECONSTRUCT_CREDENTIALS, credentialsSource: 'environment' });
}

/** The guide's block for one recipe: who signed, what Glassbox says, the fix, and the lines that differ. */
export async function reconstructionBlock(recipe: ReconstructCase): Promise<string> {
  const diagnosis = await reconstructionDiagnosis(recipe);
  const found = diagnosis.reconstruction!;
  const behaviours = found.candidate?.behaviours ?? [];
  // Only the changed lines: the rest (and curl's port and clock) would bury them.
  const sections = diagnosis.lineDiff.split(/\n(?=--- )/);
  const changed = (section: string | undefined): string[] =>
    (section ?? '').split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
  const lines = changed(sections[0]).length > 0 ? changed(sections[0]) : changed(sections[1]);
  return [
    `signed by   ${SIGNERS[recipe.signer]}`,
    `found       ${found.code}: ${behaviours.map((b) => b.code).join(', ')}`,
    `says        ${found.explanation}`,
    `cause       ${diagnosis.likelyCause.code} (step ${diagnosis.likelyCause.step ?? '-'})`,
    `fix         ${diagnosis.likelyCause.fix}`,
    ...(lines.length === 0 ? [] : ['', ...lines]),
  ].join('\n');
}
