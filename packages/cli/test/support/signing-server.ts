/**
 * A 127.0.0.1 HTTP server for `glassbox sign --send` tests that records each request exactly as it
 * arrived (raw header bytes, body bytes) and recomputes its signature independently with the AWS
 * SDK's signer, @smithy/signature-v4, over those bytes. It answers with whatever the test sets.
 * Not a test file (scripts/test.mjs runs only `*.test.ts`).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../run-bin.ts';

/** One request as the server read it. */
export interface Received {
  method: string;
  /** The request target, as sent. */
  target: string;
  /** Header names and values as the bytes on the wire (read as latin1, one char per byte). */
  rawHeaders: [string, string][];
  body: Buffer;
  /** Whether @smithy/signature-v4 computes the same Authorization from these bytes. */
  signatureMatches: boolean;
  /** Smithy's Authorization, for messages. */
  expectedAuthorization: string | undefined;
}

/** The answer the server gives. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

export interface SigningServer {
  url: string;
  received: Received[];
  answer: Answer;
  close(): Promise<void>;
}

const require = createRequire(join(repoRoot, 'packages', 'sigv4', 'package.json'));
const { SignatureV4 } = (await import(
  pathToFileURL(require.resolve('@smithy/signature-v4')).href
)) as typeof import('@smithy/signature-v4');
const { Sha256 } = (await import(pathToFileURL(require.resolve('@aws-crypto/sha256-js')).href)) as {
  Sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
};

/** Starts the server; `credentials` are the keys the CLI signs with. */
export async function startSigningServer(credentials: { accessKeyId: string; secretAccessKey: string }): Promise<SigningServer> {
  const received: Received[] = [];
  const state: SigningServer = { url: '', received, answer: { status: 200, body: 'ok' }, close: async () => undefined };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const record = await check(request, body, credentials);
    received.push(record);
    response.writeHead(state.answer.status, state.answer.headers ?? {});
    response.end(state.answer.body === undefined ? undefined : Buffer.from(state.answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

async function check(
  request: IncomingMessage,
  body: Buffer,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<Received> {
  const rawHeaders: [string, string][] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) rawHeaders.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
  const target = request.url ?? '/';
  const base = { method: request.method ?? '', target, rawHeaders, body };
  const authorization = request.headers.authorization;
  const scope = /Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=/.exec(authorization ?? '');
  const amzDate = request.headers['x-amz-date'];
  if (!scope || typeof amzDate !== 'string') return { ...base, signatureMatches: false, expectedAuthorization: undefined };
  const signed = new Set(scope[4]!.split(';'));
  // The signed headers exactly as received; a repeated name joined with "," as SigV4 does.
  const headers: Record<string, string> = {};
  for (const [name, value] of rawHeaders) {
    const lower = name.toLowerCase();
    if (!signed.has(lower)) continue;
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const question = target.indexOf('?');
  const query: Record<string, string | string[]> = {};
  if (question !== -1) {
    for (const [key, value] of new URLSearchParams(target.slice(question + 1))) {
      const existing = query[key];
      query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  const signer = new SignatureV4({
    credentials,
    region: scope[2]!,
    service: scope[3]!,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: scope[3] !== 's3',
  });
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const ours = await signer.sign(
    {
      method: request.method ?? 'GET',
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: question === -1 ? target : target.slice(0, question),
      query,
      headers,
      body: new Uint8Array(body),
    },
    { signingDate: date, signableHeaders: signed, unsignableHeaders: new Set(Object.keys(headers).filter((name) => !signed.has(name))) },
  );
  const expected = (ours.headers as Record<string, string>).authorization;
  return { ...base, signatureMatches: expected === authorization, expectedAuthorization: expected };
}
