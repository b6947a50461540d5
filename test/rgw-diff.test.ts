// `glassbox diff` against Ceph's RADOS Gateway, a real S3-compatible server whose SignatureDoesNotMatch
// quotes nothing it computed (no <CanonicalRequest>, no <StringToSign>): exactly where a diagnosis has to
// reconstruct what the client signed. The clients are independent signers: @smithy/signature-v4 told to
// encode the path as every service but S3 does, and curl 7.88's --aws-sigv4, which does not sort the
// query. The request each sent is the one the test sent (smithy) or recorded on its way (curl).
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes, type Hash as NodeHash, type Hmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import * as assert from 'uvu/assert';
import { cleanEnv, runGlassbox, tempDir } from '../packages/cli/test/run-bin.ts';
import { radosgwSuite, type Radosgw } from './support/radosgw.ts';

/** SHA-256 for smithy, from node:crypto (the shape of @smithy/hash-node's Hash). */
type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Source): Uint8Array | string =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class Sha256 {
  #hash: NodeHash | Hmac;
  readonly #secret: Uint8Array | string | undefined;
  constructor(secret?: Source) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#hash = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
  update(data: Source): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {
    this.#hash = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

let home: ReturnType<typeof tempDir>;
const bucket = `glassbox-diff-${randomBytes(4).toString('hex')}`;
const outputs: string[] = [];

interface Exchange {
  method: string;
  target: string;
  headers: [string, string][];
  status: number;
  body: string;
}

/** Sends a request with exactly these headers, in this order; returns the answer. */
function send(rgw: Radosgw, method: string, target: string, headers: [string, string][]): Promise<Exchange> {
  const { hostname, port } = new URL(rgw.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path: target, headers: headers.flat(), setHost: false }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (body += c))
        .on('end', () => resolve({ method, target, headers, status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The files `glassbox diff` reads: the error body and the request as sent. */
function files(name: string, exchange: Exchange): { errorFile: string; requestFile: string } {
  const errorFile = join(home.path, `${name}.xml`);
  const requestFile = join(home.path, `${name}.http`);
  writeFileSync(errorFile, exchange.body);
  writeFileSync(
    requestFile,
    `${exchange.method} ${exchange.target} HTTP/1.1\r\n${exchange.headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`,
  );
  return { errorFile, requestFile };
}

async function diff(rgw: Radosgw, name: string, exchange: Exchange, secret = rgw.secretAccessKey) {
  const { errorFile, requestFile } = files(name, exchange);
  const run = await runGlassbox(['diff', '--server-error', errorFile, '--request-file', requestFile], {
    env: cleanEnv(home.path, { AWS_ACCESS_KEY_ID: rgw.accessKeyId, AWS_SECRET_ACCESS_KEY: secret }),
  });
  outputs.push(run.stdout, run.stderr);
  return run;
}

/** A GET signed by smithy: `uriEscapePath` true is every service's rule but S3's. */
async function smithyGet(rgw: Radosgw, path: string, uriEscapePath: boolean): Promise<Exchange> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath,
  });
  const { hostname, port } = new URL(rgw.endpoint);
  const signed = (await signer.sign(
    new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path,
      headers: { host: rgw.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    }),
  )) as HttpRequest;
  return send(
    rgw,
    'GET',
    path,
    Object.entries(signed.headers).map(([n, v]) => [n, String(v)]),
  );
}

const test = radosgwSuite('glassbox diff against radosgw', ['curl']);

test.before(async ({ rgw }) => {
  home = tempDir();
  const sdk = new S3Client({
    endpoint: rgw.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  });
  await sdk.send(new CreateBucketCommand({ Bucket: bucket }));
  await sdk.send(new PutObjectCommand({ Bucket: bucket, Key: 'my photo.jpg', Body: 'jpeg' }));
  sdk.destroy();
});

test.after(({ rgw }) => {
  for (const text of outputs) assert.not.ok(rgw !== undefined && text.includes(rgw.secretAccessKey), 'the secret appears in an output');
  home?.remove();
});

test('a correct signature is accepted (the negative control)', async ({ rgw }) => {
  const exchange = await smithyGet(rgw, `/${bucket}/my%20photo.jpg`, false);
  assert.is(exchange.status, 200, exchange.body);
});

test('a path encoded twice by a generic signer: radosgw quotes nothing, glassbox diff names it', async ({ rgw }) => {
  const exchange = await smithyGet(rgw, `/${bucket}/my%20photo.jpg`, true);
  assert.is(exchange.status, 403, exchange.body);
  assert.match(exchange.body, /<Code>SignatureDoesNotMatch<\/Code>/);
  assert.not.match(exchange.body, /<CanonicalRequest>/);
  const run = await diff(rgw, 'twice', exchange);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, /^ {2}Your client encoded the path twice, as services other than S3 do; s3 expects it encoded once\.$/m);
  assert.match(run.stdout, /^\+\+\+ s3 rules: canonical request$/m);
  assert.not.ok(run.stdout.includes(rgw.secretAccessKey) || run.stderr.includes(rgw.secretAccessKey));
});

test('the same request with another secret in the profile: nothing is invented', async ({ rgw }) => {
  const exchange = await smithyGet(rgw, `/${bucket}/my%20photo.jpg`, true);
  const run = await diff(rgw, 'twice-wrong', exchange, 'not-the-gateway-users-secret-0000000000');
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, /^Not reconstructed \(NOT_REPRODUCED/m);
  assert.not.match(run.stdout, /SECRET_KEY|Your client encoded/);
});

test('curl --aws-sigv4 with an unsorted query: radosgw refuses, glassbox diff names the order', async ({ rgw }) => {
  // A forwarder on 127.0.0.1 records what curl sent and relays it to the gateway unchanged.
  let recorded: Exchange | undefined;
  const { hostname, port } = new URL(rgw.endpoint);
  const forwarder = createServer((req, res) => {
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const out = httpRequest(
      { host: hostname, port, method: req.method, path: req.url, headers: req.rawHeaders, setHost: false },
      (answer) => {
        let body = '';
        answer
          .setEncoding('utf8')
          .on('data', (c: string) => (body += c))
          .on('end', () => {
            recorded = { method: req.method!, target: req.url!, headers, status: answer.statusCode ?? 0, body };
            res.writeHead(answer.statusCode ?? 502).end(body);
          });
      },
    );
    out.end();
  });
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
  try {
    const target = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}/${bucket}?prefix=my&list-type=2`;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        'curl',
        [
          '-sS',
          '--noproxy',
          '*',
          '--max-time',
          '20',
          '-o',
          '/dev/null',
          '--aws-sigv4',
          'aws:amz:us-east-1:s3',
          '--user',
          `${rgw.accessKeyId}:${rgw.secretAccessKey}`,
          target,
        ],
        { stdio: 'ignore' },
      );
      child.on('error', reject).on('close', () => resolve());
    });
  } finally {
    forwarder.closeAllConnections();
    await new Promise((resolve) => forwarder.close(resolve));
  }
  assert.ok(recorded, 'curl reached the forwarder');
  assert.is(recorded!.status, 403, recorded!.body);
  const run = await diff(rgw, 'curl-unsorted', recorded!);
  assert.is(run.code, 1, run.stderr);
  assert.match(
    run.stdout,
    /Your client kept the query parameters in the order sent \(curl 7\.88 --aws-sigv4 does\); s3 expects them sorted by name, then value/,
  );
});

test.run();
