// A local stand-in for AWS on 127.0.0.1 that checks every request twice — with Glassbox's verify
// (and verifyChunked for aws-chunked bodies) and with an independent recomputation by
// @smithy/signature-v4, the AWS SDK's own signer — and answers like the service would, enough for
// the operations the tests use: S3 (path-style buckets and objects, multipart, copy, delete,
// S3 Express CreateSession), STS GetCallerIdentity (query protocol), ECR GetAuthorizationToken
// (JSON), and Transcribe streaming's input event stream (over HTTP/2, see startVerifyingServer).
//
// Bodies are decoded here by hand, not with Glassbox: aws-chunked (every mode, the trailer and its
// checksum) and event streams (every event's signature, chained from the seed). Each check that
// fails is written to the request's `problems`, so a test asserts that none did.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Message } from '@smithy/types';
import { verify, verifyChunked, type VerifyResult } from '../../src/index.ts';

/** What the server saw of one request, and what each check concluded. */
export interface Seen {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The lower-case headers as received (pseudo-headers of HTTP/2 included). */
  headers: Record<string, string>;
  /** The signing name of the credential scope (`s3`, `sts`, `ecr`, `transcribe`), if signed. */
  service: string | undefined;
  /** The operation the server recognised, e.g. `PutObject`. */
  operation: string;
  /** The declared `x-amz-content-sha256`. */
  contentSha256: string | undefined;
  /** Glassbox's verdict on the request (header or query authentication). */
  glassbox: VerifyResult | undefined;
  /** The signature @smithy/signature-v4 recomputed from the request as received. */
  smithySignature: string | undefined;
  /** The decoded body, byte for byte as the client meant it. */
  body: Buffer;
  /** aws-chunked: how many data chunks, and the trailing headers. */
  chunked?: { chunks: number; trailers: Record<string, string> };
  /** Event streams: the payload of every event, in order. */
  events?: Message[];
  /** Every check that failed; empty when the request was signed and sent right. */
  problems: string[];
  /** The HTTP status the server answered. */
  status: number;
}

/** A running verifying server. */
export interface VerifyingServer {
  /** `http://127.0.0.1:PORT`: the `endpoint` of an SDK client (S3 with `forcePathStyle: true`). */
  endpoint: string;
  /** Every request, in order. */
  seen: Seen[];
  /** Access key ID → secret. S3 Express CreateSession adds its session keys here. */
  keys: Map<string, string>;
  /** Stored objects by `bucket/key`. */
  objects: Map<string, Buffer>;
  /** Stops the server (and its open connections). */
  close(): Promise<void>;
}

export interface VerifyingServerOptions {
  /** Access key ID → secret access key of the identities the server knows. */
  keys: Record<string, string>;
  /** The region the server answers for. */
  region: string;
  /** Serve HTTP/2 without TLS (h2c), as the SDK's NodeHttp2Handler speaks to an http:// endpoint. */
  http2?: boolean;
}

const ACCOUNT = '123456789012';
const sha256Ctor = Hash.bind(null, 'sha256');
const codec = new EventStreamCodec(
  (b) => Buffer.from(b).toString('utf8'),
  (s) => new Uint8Array(Buffer.from(s, 'utf8')),
);

/**
 * Starts the server on 127.0.0.1 and an ephemeral port.
 *
 * @example
 * ```ts
 * const server = await startVerifyingServer({ keys: { AKID: secret }, region: 'us-east-1' });
 * const s3 = new S3Client({ endpoint: server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials, signer });
 * ```
 */
export async function startVerifyingServer(options: VerifyingServerOptions): Promise<VerifyingServer> {
  const state: State = {
    keys: new Map(Object.entries(options.keys)),
    region: options.region,
    objects: new Map(),
    uploads: new Map(),
    sessions: new Map(),
    seen: [],
  };
  const handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    handle(state, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String((error as Error)?.stack ?? error));
    });
  };
  const server = options.http2 ? createHttp2Server(handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sessions = new Set<{ destroy(): void }>();
  server.on(options.http2 ? 'session' : 'connection', (s: { destroy(): void; on(e: string, f: () => void): void }) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen: state.seen,
    keys: state.keys,
    objects: state.objects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

interface State {
  keys: Map<string, string>;
  region: string;
  objects: Map<string, Buffer>;
  uploads: Map<string, { key: string; parts: Map<number, Buffer> }>;
  /** S3 Express session access key → its session token. */
  sessions: Map<string, string>;
  seen: Seen[];
}

async function handle(state: State, req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): Promise<void> {
  const raw = await readAll(req);
  const headerPairs: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headerPairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const headers: Record<string, string> = {};
  for (const [name, value] of headerPairs) {
    const lower = name.toLowerCase();
    headers[lower] = lower in headers ? `${headers[lower]},${value}` : value;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const seen: Seen = {
    method: req.method ?? '',
    path,
    query: parseQuery(rawQuery),
    headers,
    service: undefined,
    operation: 'unknown',
    contentSha256: headers['x-amz-content-sha256'],
    glassbox: undefined,
    smithySignature: undefined,
    body: raw,
    problems: [],
    status: 0,
  };
  state.seen.push(seen);
  const claim = readClaim(headers, seen.query);
  seen.service = claim?.service;
  const reply = replier(seen, res, claim?.service ?? 's3');
  if (claim === undefined) return reply.error(403, 'AccessDenied', 'Anonymous requests are not accepted here.');
  const secret = state.keys.get(claim.accessKeyId);
  if (secret === undefined)
    return reply.error(
      403,
      claim.service === 'sts' ? 'InvalidClientTokenId' : isS3(claim.service) ? 'InvalidAccessKeyId' : 'UnrecognizedClientException',
      'The access key ID is not known here.',
    );

  // Check 1: Glassbox's verify, as a service would call it (the request line and headers as received).
  const s3 = isS3(claim.service);
  // HTTP/2: of the pseudo-headers only :authority is a header a client signs (in place of host).
  const httpHeaders = headerPairs.filter(([name]) => !name.startsWith(':') || name === ':authority');
  const streaming = seen.contentSha256?.startsWith('STREAMING-') ?? false;
  seen.glassbox = await verify(
    { method: seen.method, url, headers: httpHeaders, body: streaming ? undefined : raw },
    { credentials: (id) => state.keys.get(id), region: state.region, doubleEncode: !s3, normalizePath: !s3 },
  );
  if (!seen.glassbox.ok) seen.problems.push(`glassbox verify: ${seen.glassbox.reason} ${seen.glassbox.message}`);

  // Check 2: @smithy/signature-v4 recomputes the signature from what arrived.
  seen.smithySignature = await smithySignature(seen, claim, secret, raw, streaming);
  if (seen.smithySignature !== claim.signature)
    seen.problems.push(`smithy recomputed ${seen.smithySignature}, the request says ${claim.signature}`);
  const expressToken = state.sessions.get(claim.accessKeyId);
  if (expressToken !== undefined && headers['x-amz-s3session-token'] !== expressToken)
    seen.problems.push('an S3 Express session key without its x-amz-s3session-token');
  if (expressToken !== undefined && headers['x-amz-security-token'] !== undefined)
    seen.problems.push('S3 Express requests must not carry x-amz-security-token');

  // Check 3: the body, decoded by hand (aws-chunked, event streams), against what the headers promised.
  let body = raw;
  try {
    if (seen.contentSha256 === 'STREAMING-AWS4-HMAC-SHA256-EVENTS') {
      seen.events = await checkEvents(raw, claim, secret, seen.problems);
    } else if (streaming) {
      const decoded = await checkAwsChunked(raw, seen, claim, secret);
      body = decoded;
      await checkWithVerifyChunked(seen, url, httpHeaders, raw, state, s3, decoded);
    } else if (
      seen.contentSha256 !== undefined &&
      /^[0-9a-f]{64}$/.test(seen.contentSha256) &&
      createHash('sha256').update(raw).digest('hex') !== seen.contentSha256
    ) {
      seen.problems.push('x-amz-content-sha256 is not the SHA-256 of the body');
    }
    checkChecksumHeaders(headers, body, seen.problems);
  } catch (error) {
    seen.problems.push(`body: ${(error as Error).message}`);
  }
  seen.body = body;
  if (seen.problems.length > 0)
    return reply.error(403, claim.service === 'ecr' ? 'InvalidSignatureException' : 'SignatureDoesNotMatch', seen.problems.join('; '));

  switch (claim.service) {
    case 's3':
    case 's3express':
      return answerS3(state, seen, reply);
    case 'sts':
      return answerSts(seen, reply, claim.accessKeyId);
    case 'ecr':
      return answerEcr(seen, reply);
    case 'transcribe':
      return answerTranscribe(seen, res);
    default:
      return reply.error(400, 'UnknownService', `no service '${claim.service}' here`);
  }
}

/** S3 and S3 Express (signing name `s3express`, CreateSession) sign the path as sent, without normalising or encoding it again. */
function isS3(service: string): boolean {
  return service === 's3' || service === 's3express';
}

interface Claim {
  mode: 'header' | 'query';
  accessKeyId: string;
  dateStamp: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  expires: string | undefined;
}

function readClaim(headers: Record<string, string>, query: Record<string, string | string[]>): Claim | undefined {
  const authorization = headers.authorization;
  let credential: string | undefined;
  let signed: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  let mode: Claim['mode'] = 'header';
  if (authorization !== undefined) {
    credential = /Credential=([^,\s]+)/.exec(authorization)?.[1];
    signed = /SignedHeaders=([^,\s]+)/.exec(authorization)?.[1];
    signature = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
    amzDate = headers['x-amz-date'];
  } else if (typeof query['X-Amz-Credential'] === 'string') {
    mode = 'query';
    credential = query['X-Amz-Credential'];
    signed = query['X-Amz-SignedHeaders'] as string | undefined;
    signature = query['X-Amz-Signature'] as string | undefined;
    amzDate = query['X-Amz-Date'] as string | undefined;
  }
  const scope = credential?.split('/');
  if (scope?.length !== 5 || signed === undefined || signature === undefined || amzDate === undefined) return undefined;
  const [accessKeyId, dateStamp, region, service] = scope as [string, string, string, string];
  return {
    mode,
    accessKeyId,
    dateStamp,
    region,
    service,
    signedHeaders: signed.split(';'),
    signature,
    amzDate,
    expires: query['X-Amz-Expires'] as string | undefined,
  };
}

/** The signature @smithy/signature-v4 computes for the request as received, given the claimed scope and signed headers. */
async function smithySignature(seen: Seen, claim: Claim, secret: string, raw: Buffer, streaming: boolean): Promise<string | undefined> {
  const signedHeaders: Record<string, string> = {};
  for (const name of claim.signedHeaders) if (seen.headers[name] !== undefined) signedHeaders[name] = seen.headers[name]!;
  const signingDate = new Date(
    `${claim.amzDate.slice(0, 4)}-${claim.amzDate.slice(4, 6)}-${claim.amzDate.slice(6, 8)}T${claim.amzDate.slice(9, 11)}:${claim.amzDate.slice(11, 13)}:${claim.amzDate.slice(13, 15)}Z`,
  );
  const query = { ...seen.query };
  const token =
    claim.mode === 'query'
      ? (query['X-Amz-Security-Token'] as string | undefined)
      : claim.signedHeaders.includes('x-amz-security-token')
        ? signedHeaders['x-amz-security-token']
        : undefined;
  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey: secret, ...(token === undefined ? {} : { sessionToken: token }) },
    region: claim.region,
    service: claim.service,
    sha256: sha256Ctor,
    uriEscapePath: !isS3(claim.service),
    applyChecksum: false,
  });
  const signable = new Set(claim.signedHeaders);
  if (claim.mode === 'header') {
    const request = new HttpRequest({
      method: seen.method,
      hostname: '127.0.0.1',
      path: seen.path,
      query,
      headers: signedHeaders,
      ...(streaming || seen.contentSha256 !== undefined ? {} : { body: raw }),
    });
    const signed = await signer.sign(request, { signingDate, signableHeaders: signable });
    const authorization = signed.headers.authorization ?? '';
    if (/SignedHeaders=([^,]+)/.exec(authorization)?.[1] !== claim.signedHeaders.join(';'))
      seen.problems.push(`smithy signs other headers: ${authorization}`);
    return /Signature=([0-9a-f]{64})/.exec(authorization)?.[1];
  }
  for (const name of [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
  ])
    delete query[name];
  // S3 presigned URLs sign UNSIGNED-PAYLOAD: told so by a header that is neither signed nor hoisted.
  const payloadHeader = isS3(claim.service) ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {};
  const request = new HttpRequest({
    method: seen.method,
    hostname: '127.0.0.1',
    path: seen.path,
    query,
    headers: { ...signedHeaders, ...payloadHeader },
  });
  const presigned = await signer.presign(request, {
    signingDate,
    expiresIn: Number(claim.expires),
    signableHeaders: signable,
    unsignableHeaders: new Set(['x-amz-content-sha256'].filter((n) => !signable.has(n))),
    unhoistableHeaders: new Set([...claim.signedHeaders.filter((n) => n.startsWith('x-amz-')), 'x-amz-content-sha256']),
  });
  return presigned.query?.['X-Amz-Signature'] as string | undefined;
}

/**
 * aws-chunked, decoded by hand: `hex-size[;chunk-signature=sig]\r\n data \r\n`, a zero-size chunk,
 * then (trailer modes) `name:value\r\n` lines and, when signed, `x-amz-trailer-signature:sig\r\n`,
 * and a closing `\r\n`. Chunk signatures are recomputed with SignatureV4 (an event signature over
 * empty headers is exactly a chunk's string to sign), the trailer signature with its signString.
 */
async function checkAwsChunked(raw: Buffer, seen: Seen, claim: Claim, secret: string): Promise<Buffer> {
  const mode = seen.contentSha256!;
  const signedChunks = mode.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const trailerMode = mode.endsWith('-TRAILER');
  if (
    !['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'].includes(
      mode,
    )
  )
    throw new Error(`unsupported x-amz-content-sha256 ${mode}`);
  if (
    !(seen.headers['content-encoding'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes('aws-chunked')
  )
    seen.problems.push('aws-chunked body without Content-Encoding: aws-chunked');
  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey: secret },
    region: claim.region,
    service: claim.service,
    sha256: sha256Ctor,
  });
  const signingDate = new Date(
    `${claim.amzDate.slice(0, 4)}-${claim.amzDate.slice(4, 6)}-${claim.amzDate.slice(6, 8)}T${claim.amzDate.slice(9, 11)}:${claim.amzDate.slice(11, 13)}:${claim.amzDate.slice(13, 15)}Z`,
  );
  let prior = claim.signature;
  const data: Buffer[] = [];
  let at = 0;
  let chunks = 0;
  const line = (): string => {
    const end = raw.indexOf('\r\n', at);
    if (end === -1) throw new Error(`aws-chunked: no CRLF after byte ${at}`);
    const text = raw.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const m = /^([0-9a-fA-F]+)(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(header);
    if (!m) throw new Error(`aws-chunked: bad chunk header '${header.slice(0, 80)}'`);
    const size = parseInt(m[1]!, 16);
    const chunk = raw.subarray(at, at + size);
    if (chunk.length !== size) throw new Error('aws-chunked: truncated chunk');
    at += size;
    if (signedChunks) {
      if (m[2] === undefined) throw new Error('aws-chunked: a signed mode without chunk-signature');
      const expected = await signer.sign({ headers: new Uint8Array(0), payload: chunk }, { signingDate, priorSignature: prior });
      if (expected !== m[2]) seen.problems.push(`chunk ${chunks}: smithy computes signature ${expected}, the body says ${m[2]}`);
      prior = m[2];
    } else if (m[2] !== undefined) seen.problems.push('an unsigned mode with chunk signatures');
    if (size === 0) break;
    if (line() !== '') throw new Error('aws-chunked: no CRLF after chunk data');
    data.push(chunk);
    chunks++;
  }
  const trailers: Record<string, string> = {};
  if (trailerMode) {
    const trailerLines: string[] = [];
    for (let text = line(); text !== ''; text = line()) trailerLines.push(text);
    let trailerSignature: string | undefined;
    for (const text of trailerLines) {
      const colon = text.indexOf(':');
      const name = text.slice(0, colon).toLowerCase();
      if (name === 'x-amz-trailer-signature') trailerSignature = text.slice(colon + 1);
      else trailers[name] = text.slice(colon + 1);
    }
    const declared = (seen.headers['x-amz-trailer'] ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    if (declared.join(',') !== Object.keys(trailers).join(','))
      seen.problems.push(`x-amz-trailer says ${declared.join(',')}, the trailer has ${Object.keys(trailers).join(',')}`);
    if (mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') {
      const canonical = Object.entries(trailers)
        .map(([n, v]) => `${n}:${v.trim()}\n`)
        .join('');
      const scope = `${claim.dateStamp}/${claim.region}/${claim.service}/aws4_request`;
      const toSign = ['AWS4-HMAC-SHA256-TRAILER', claim.amzDate, scope, prior, createHash('sha256').update(canonical).digest('hex')].join(
        '\n',
      );
      const expected = await signer.sign(toSign, { signingDate });
      if (expected !== trailerSignature)
        seen.problems.push(`trailer: smithy computes signature ${expected}, the body says ${trailerSignature}`);
    }
  } else if (line() !== '') throw new Error('aws-chunked: bytes after the final chunk');
  if (at !== raw.length) seen.problems.push(`aws-chunked: ${raw.length - at} bytes after the body`);
  const body = Buffer.concat(data);
  const decodedLength = seen.headers['x-amz-decoded-content-length'];
  if (decodedLength !== undefined && Number(decodedLength) !== body.length)
    seen.problems.push(`x-amz-decoded-content-length ${decodedLength}, decoded ${body.length} bytes`);
  checkChecksumHeaders(trailers, body, seen.problems);
  seen.chunked = { chunks, trailers };
  return body;
}

/** Glassbox's own aws-chunked verification of the same bytes must agree with the hand decoding. */
async function checkWithVerifyChunked(
  seen: Seen,
  url: string,
  headers: [string, string][],
  raw: Buffer,
  state: State,
  s3: boolean,
  decoded: Buffer,
): Promise<void> {
  const result = await verifyChunked(
    {
      method: seen.method,
      url,
      headers,
      body: (async function* () {
        yield new Uint8Array(raw);
      })(),
    },
    { credentials: (id) => state.keys.get(id), doubleEncode: !s3, normalizePath: !s3 },
  );
  if (!result.ok) return void seen.problems.push(`glassbox verifyChunked: ${result.reason}`);
  const parts: Buffer[] = [];
  try {
    for await (const part of result.body) parts.push(Buffer.from(part));
  } catch (error) {
    return void seen.problems.push(`glassbox verifyChunked body: ${(error as Error).message}`);
  }
  if (!Buffer.concat(parts).equals(decoded)) seen.problems.push('glassbox verifyChunked decodes other bytes');
}

/**
 * An input event stream: messages, each with `:date` and `:chunk-signature`, whose body is the
 * encoded event. Every signature is recomputed with SignatureV4.signMessage, chained from the
 * request's seed signature; the stream must end with an empty (end-of-stream) event.
 */
async function checkEvents(raw: Buffer, claim: Claim, secret: string, problems: string[]): Promise<Message[]> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey: secret },
    region: claim.region,
    service: claim.service,
    sha256: sha256Ctor,
  });
  const events: Message[] = [];
  let prior = claim.signature;
  let at = 0;
  while (at < raw.length) {
    const length = raw.readUInt32BE(at);
    const message = codec.decode(raw.subarray(at, at + length));
    at += length;
    const date = message.headers[':date'];
    const signature = message.headers[':chunk-signature'];
    if (date?.type !== 'timestamp' || signature?.type !== 'binary') {
      problems.push('an event without :date or :chunk-signature');
      continue;
    }
    const expected = await signer.signMessage(
      { message: { headers: { ':date': date }, body: message.body }, priorSignature: prior },
      { signingDate: date.value },
    );
    const actual = Buffer.from(signature.value).toString('hex');
    if (expected.signature !== actual)
      problems.push(`event ${events.length}: smithy computes ${expected.signature}, the event says ${actual}`);
    prior = actual;
    events.push(message.body.length === 0 ? { headers: {}, body: message.body } : codec.decode(message.body));
  }
  if (events.length === 0 || events[events.length - 1]!.body.length !== 0)
    problems.push('the event stream does not end with an empty signed event');
  return events;
}

/** `x-amz-checksum-*` values (headers or trailers), recomputed over the decoded body. */
function checkChecksumHeaders(fields: Record<string, string>, body: Buffer, problems: string[]): void {
  for (const [name, value] of Object.entries(fields)) {
    const algorithm = name.slice('x-amz-checksum-'.length);
    if (!name.startsWith('x-amz-checksum-') || !CHECKSUM_NAMES.has(algorithm)) continue; // -mode, -algorithm, -type say how, not what
    const expected = checksum(algorithm, body);
    if (expected === undefined) problems.push(`${name}: this server cannot check ${algorithm}`);
    else if (expected !== value.trim()) problems.push(`${name} is ${value}, the body's is ${expected}`);
  }
}

const CHECKSUM_NAMES = new Set(['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256']);

function checksum(algorithm: string, body: Buffer): string | undefined {
  const uint32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b.toString('base64');
  };
  if (algorithm === 'crc32') return uint32(zlibCrc32(body));
  if (algorithm === 'crc32c') return uint32(crc32c(body));
  if (algorithm === 'sha1' || algorithm === 'sha256') return createHash(algorithm).update(body).digest('base64');
  return undefined;
}

// CRC-32C (Castagnoli), bit by bit: small and slow, which is fine for test bodies.
function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// --- answers -------------------------------------------------------------------------------------

interface Reply {
  xml(status: number, body: string, headers?: Record<string, string>): void;
  bytes(status: number, body: Buffer, headers?: Record<string, string>): void;
  error(status: number, code: string, message: string): void;
}

function replier(seen: Seen, res: ServerResponse | Http2ServerResponse, service: string): Reply {
  const send = (status: number, body: Buffer | string, headers: Record<string, string>) => {
    seen.status = status;
    res.statusCode = status;
    for (const [name, value] of Object.entries({ 'x-amz-request-id': 'GLASSBOXTEST', 'x-amzn-requestid': 'glassbox-test', ...headers }))
      res.setHeader(name, value);
    (res as ServerResponse).end(body);
  };
  return {
    xml: (status, body, headers = {}) =>
      send(status, `<?xml version="1.0" encoding="UTF-8"?>\n${body}`, { 'content-type': 'application/xml', ...headers }),
    bytes: (status, body, headers = {}) => send(status, body, headers),
    error: (status, code, message) => {
      const text = escapeXml(message);
      if (service === 'ecr' || service === 'transcribe')
        send(status === 403 ? 400 : status, JSON.stringify({ __type: code, message }), {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': code,
        });
      else if (service === 'sts')
        send(
          status,
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${text}</Message></Error><RequestId>glassbox-test</RequestId></ErrorResponse>`,
          { 'content-type': 'text/xml' },
        );
      else if (seen.method === 'HEAD') send(status, '', {});
      else
        send(
          status,
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${text}</Message><RequestId>GLASSBOXTEST</RequestId></Error>`,
          { 'content-type': 'application/xml' },
        );
    },
  };
}

function answerS3(state: State, seen: Seen, reply: Reply): void {
  const [, bucket = '', ...rest] = seen.path.split('/');
  const key = rest.map(decodeURIComponent).join('/');
  const id = `${decodeURIComponent(bucket)}/${key}`;
  const q = seen.query;
  const etag = (bytes: Buffer) => `"${createHash('md5').update(bytes).digest('hex')}"`;
  const op = (name: string) => (seen.operation = name);
  // CreateSession: the SDK sends it to /bucket// (an empty key under a directory bucket's path).
  if (seen.method === 'GET' && 'session' in q) {
    op('CreateSession');
    const accessKeyId = `ASIAEXPRESS${randomBytes(4).toString('hex').toUpperCase()}`;
    const secret = randomBytes(20).toString('base64');
    const token = randomBytes(24).toString('base64');
    state.keys.set(accessKeyId, secret);
    state.sessions.set(accessKeyId, token);
    return reply.xml(
      200,
      `<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials><SessionToken>${token}</SessionToken><SecretAccessKey>${secret}</SecretAccessKey><AccessKeyId>${accessKeyId}</AccessKeyId><Expiration>${new Date(Date.now() + 300_000).toISOString()}</Expiration></Credentials></CreateSessionResult>`,
    );
  }
  if (key === '') {
    if (seen.method === 'PUT') return (op('CreateBucket'), reply.bytes(200, Buffer.alloc(0), { location: `/${bucket}` }));
    if (seen.method === 'GET' && q['list-type'] === '2') {
      op('ListObjectsV2');
      const prefix = `${decodeURIComponent(bucket)}/${(q.prefix as string | undefined) ?? ''}`;
      const keys = [...state.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const contents = keys
        .map(
          (k) =>
            `<Contents><Key>${escapeXml(k.slice(bucket.length + 1))}</Key><Size>${state.objects.get(k)!.length}</Size><ETag>${etag(state.objects.get(k)!)}</ETag><LastModified>2026-11-29T05:00:00.000Z</LastModified><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join('');
      return reply.xml(
        200,
        `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${escapeXml((q.prefix as string | undefined) ?? '')}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
      );
    }
    if (seen.method === 'POST' && 'delete' in q) {
      op('DeleteObjects');
      const keys = [...seen.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
      for (const k of keys) state.objects.delete(`${decodeURIComponent(bucket)}/${k}`);
      return reply.xml(
        200,
        `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${keys.map((k) => `<Deleted><Key>${escapeXml(k)}</Key></Deleted>`).join('')}</DeleteResult>`,
      );
    }
    return reply.error(400, 'NotImplemented', `bucket operation ${seen.method} ${JSON.stringify(q)}`);
  }
  if (seen.method === 'POST' && 'uploads' in q) {
    op('CreateMultipartUpload');
    const uploadId = randomBytes(8).toString('hex');
    state.uploads.set(uploadId, { key: id, parts: new Map() });
    return reply.xml(
      200,
      `<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
    );
  }
  if (typeof q.uploadId === 'string') {
    const upload = state.uploads.get(q.uploadId);
    if (upload === undefined) return reply.error(404, 'NoSuchUpload', 'no such upload');
    if (seen.method === 'PUT') {
      op('UploadPart');
      upload.parts.set(Number(q.partNumber), seen.body);
      return reply.bytes(200, Buffer.alloc(0), { etag: etag(seen.body) });
    }
    if (seen.method === 'POST') {
      op('CompleteMultipartUpload');
      const numbers = [...seen.body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
      const whole = Buffer.concat(numbers.map((n) => upload.parts.get(n) ?? Buffer.alloc(0)));
      state.objects.set(upload.key, whole);
      state.uploads.delete(q.uploadId);
      return reply.xml(
        200,
        `<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><ETag>${etag(whole)}</ETag></CompleteMultipartUploadResult>`,
      );
    }
  }
  if (seen.method === 'PUT' && seen.headers['x-amz-copy-source'] !== undefined) {
    op('CopyObject');
    const source = decodeURIComponent(seen.headers['x-amz-copy-source']!.replace(/^\//, ''));
    const bytes = state.objects.get(source);
    if (bytes === undefined) return reply.error(404, 'NoSuchKey', `no object ${source}`);
    state.objects.set(id, bytes);
    return reply.xml(
      200,
      `<CopyObjectResult><ETag>${etag(bytes)}</ETag><LastModified>2026-11-29T05:00:00.000Z</LastModified></CopyObjectResult>`,
    );
  }
  if (seen.method === 'PUT') {
    op('PutObject');
    state.objects.set(id, seen.body);
    return reply.bytes(200, Buffer.alloc(0), { etag: etag(seen.body) });
  }
  if (seen.method === 'DELETE') return (op('DeleteObject'), state.objects.delete(id), reply.bytes(204, Buffer.alloc(0)));
  const bytes = state.objects.get(id);
  if (seen.method === 'GET' || seen.method === 'HEAD') {
    op(seen.method === 'GET' ? 'GetObject' : 'HeadObject');
    if (bytes === undefined) return reply.error(404, 'NoSuchKey', `no object ${id}`);
    const range = /^bytes=(\d+)-(\d*)$/.exec(seen.headers.range ?? '');
    const headers = {
      etag: etag(bytes),
      'last-modified': 'Sun, 29 Nov 2026 05:00:00 GMT',
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
    };
    if (range) {
      const start = Number(range[1]);
      const end = range[2] === '' ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
      const part = bytes.subarray(start, end + 1);
      return reply.bytes(206, seen.method === 'HEAD' ? Buffer.alloc(0) : part, {
        ...headers,
        'content-range': `bytes ${start}-${end}/${bytes.length}`,
        'content-length': String(part.length),
      });
    }
    return reply.bytes(200, seen.method === 'HEAD' ? Buffer.alloc(0) : bytes, { ...headers, 'content-length': String(bytes.length) });
  }
  return reply.error(400, 'NotImplemented', `object operation ${seen.method}`);
}

function answerSts(seen: Seen, reply: Reply, accessKeyId: string): void {
  const form = parseQuery(seen.body.toString('utf8').replace(/\+/g, '%20'));
  seen.operation = String(form.Action);
  if (form.Action !== 'GetCallerIdentity') return reply.error(400, 'InvalidAction', `no action ${String(form.Action)} here`);
  reply.bytes(
    200,
    Buffer.from(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/glassbox</Arn><UserId>${accessKeyId}</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>glassbox-test</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    ),
    { 'content-type': 'text/xml' },
  );
}

function answerEcr(seen: Seen, reply: Reply): void {
  seen.operation = (seen.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
  if (seen.operation !== 'GetAuthorizationToken')
    return reply.error(400, 'UnknownOperationException', `no operation ${seen.operation} here`);
  const token = Buffer.from('AWS:glassbox-registry-password').toString('base64');
  reply.bytes(
    200,
    Buffer.from(
      JSON.stringify({
        authorizationData: [
          { authorizationToken: token, expiresAt: 1_900_000_000, proxyEndpoint: `https://${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com` },
        ],
      }),
    ),
    { 'content-type': 'application/x-amz-json-1.1' },
  );
}

/** StartStreamTranscription: one TranscriptEvent that says how many audio events and bytes arrived, all verified. */
function answerTranscribe(seen: Seen, res: ServerResponse | Http2ServerResponse): void {
  seen.operation = 'StartStreamTranscription';
  const audio = (seen.events ?? []).filter((e) => e.headers[':event-type']?.value === 'AudioEvent');
  const bytes = audio.reduce((n, e) => n + e.body.length, 0);
  const transcript = {
    Transcript: {
      Results: [
        {
          ResultId: 'r1',
          IsPartial: false,
          StartTime: 0,
          EndTime: 1,
          Alternatives: [{ Transcript: `${audio.length} audio events, ${bytes} bytes, every signature verified` }],
        },
      ],
    },
  };
  const event = codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'TranscriptEvent' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(transcript))),
  });
  seen.status = 200;
  res.statusCode = 200;
  res.setHeader('content-type', 'application/vnd.amazon.eventstream');
  res.setHeader('x-amzn-transcribe-session-id', 'glassbox-session');
  res.setHeader('x-amzn-request-id', 'glassbox-test');
  (res as ServerResponse).end(Buffer.from(event));
}

// --- small helpers -------------------------------------------------------------------------------

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A raw query string as the SDK's `query` object: decoded keys and values, arrays for repeated keys. */
function parseQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decodeURIComponent(eq === -1 ? piece : piece.slice(0, eq));
    const value = eq === -1 ? '' : decodeURIComponent(piece.slice(eq + 1));
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#xD;/g, '\r')
    .replace(/&amp;/g, '&');
}
