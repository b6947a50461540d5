// pnpm bench: @glassbox/sigv4 side by side with the AWS SDK's signer (@smithy/signature-v4, with
// @aws-crypto/sha256-js and with @smithy/hash-node), aws4, and the floor (the same strings built by
// hand and hashed with node:crypto under a cached key), in one process, interleaved. Prints ops/s,
// MB/s and medians of per-round ratios.
import { createHash, createHmac } from 'node:crypto';
import { cpus } from 'node:os';
import { Sha256 as Sha256Js } from '@aws-crypto/sha256-js';
import { presign, sign, type HttpRequest } from '@glassbox/sigv4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest as SdkRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { printScenario, runScenario, type Candidate } from './harness.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date('2015-08-30T12:36:00Z');
const amzDate = '20150830T123600Z';
const region = 'us-east-1';
const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 9;

interface Shape {
  method: string;
  host: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  service: string;
}

const smithyNode = (service: string) =>
  new SignatureV4({ credentials, region, service, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
const smithyJs = (service: string) => new SignatureV4({ credentials, region, service, sha256: Sha256Js, applyChecksum: false });

function signCandidates(shape: Shape, withJs = true): Candidate[] {
  const url = `https://${shape.host}${shape.path}`;
  const nodeSigner = smithyNode(shape.service);
  const jsSigner = smithyJs(shape.service);
  const sdkRequest = () =>
    new SdkRequest({
      method: shape.method,
      protocol: 'https:',
      hostname: shape.host,
      path: shape.path,
      headers: { ...shape.headers, host: shape.host },
      body: shape.body,
    });
  const list: Candidate[] = [
    {
      name: 'glassbox sign',
      run: () =>
        sign({ method: shape.method, url, headers: shape.headers, body: shape.body } satisfies HttpRequest, {
          credentials,
          region,
          service: shape.service,
          date,
        }),
    },
    { name: '@smithy/signature-v4 + @smithy/hash-node', run: () => nodeSigner.sign(sdkRequest(), { signingDate: date }) },
    {
      name: 'aws4',
      run: () =>
        aws4.sign(
          {
            host: shape.host,
            method: shape.method,
            path: shape.path,
            service: shape.service,
            region,
            headers: { ...shape.headers, 'X-Amz-Date': amzDate },
            body: shape.body as string,
          },
          credentials,
        ),
    },
    { name: 'floor (plain strings + node:crypto, cached key)', run: floor(shape) },
  ];
  if (withJs)
    list.splice(2, 0, {
      name: '@smithy/signature-v4 + @aws-crypto/sha256-js',
      run: () => jsSigner.sign(sdkRequest(), { signingDate: date }),
    });
  return list;
}

// The least any SigV4 signer must do: build the canonical request and string to sign as strings,
// hash twice, HMAC once with a key derived in advance.
function floor(shape: Shape): () => string {
  const kDate = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update(amzDate.slice(0, 8)).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(shape.service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  const scope = `${amzDate.slice(0, 8)}/${region}/${shape.service}/aws4_request`;
  return () => {
    const headers: [string, string][] = Object.entries({ ...shape.headers, host: shape.host, 'x-amz-date': amzDate }).map(([k, v]) => [
      k.toLowerCase(),
      v.trim(),
    ]);
    headers.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const names = headers.map((h) => h[0]).join(';');
    const payload = createHash('sha256')
      .update(shape.body ?? '')
      .digest('hex');
    const creq = `${shape.method}\n${shape.path}\n\n${headers.map(([k, v]) => `${k}:${v}\n`).join('')}\n${names}\n${payload}`;
    const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(creq).digest('hex')}`;
    return `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names}, Signature=${createHmac('sha256', key).update(sts).digest('hex')}`;
  };
}

const smallGet: Shape = { method: 'GET', host: 'example.amazonaws.com', path: '/', headers: {}, service: 'service' };
const ecrPost: Shape = {
  method: 'POST',
  host: 'api.ecr.us-east-1.amazonaws.com',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken' },
  body: '{}',
  service: 'ecr',
};

console.log(
  `@glassbox/sigv4 benchmark — Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${rounds} interleaved rounds per scenario`,
);
const anchors = ['@smithy/signature-v4 + @smithy/hash-node', 'aws4', 'floor (plain strings + node:crypto, cached key)'];
const report: string[] = [];
report.push(printScenario(await runScenario('small GET (sign)', signCandidates(smallGet), anchors, { rounds })));
report.push(printScenario(await runScenario('ECR GetAuthorizationToken POST (sign)', signCandidates(ecrPost), anchors, { rounds })));

const presignNode = smithyNode('s3');
report.push(
  printScenario(
    await runScenario(
      'presign S3-style GET',
      [
        {
          name: 'glassbox presign',
          run: () =>
            presign(
              { method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt' },
              {
                credentials,
                region,
                service: 's3',
                date,
                expiresIn: 86400,
                doubleEncode: false,
                normalizePath: false,
                unsignedPayload: true,
              },
            ),
        },
        {
          name: '@smithy/signature-v4 + @smithy/hash-node',
          run: () =>
            presignNode.presign(
              new SdkRequest({
                method: 'GET',
                protocol: 'https:',
                hostname: 'examplebucket.s3.amazonaws.com',
                path: '/test.txt',
                headers: { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
              }),
              { signingDate: date, expiresIn: 86400 },
            ),
        },
        {
          name: 'aws4',
          run: () =>
            aws4.sign(
              {
                host: 'examplebucket.s3.amazonaws.com',
                path: '/test.txt?X-Amz-Expires=86400&X-Amz-Date=' + amzDate,
                service: 's3',
                region,
                signQuery: true,
              },
              credentials,
            ),
        },
      ],
      ['@smithy/signature-v4 + @smithy/hash-node', 'aws4'],
      { rounds },
    ),
  ),
);

for (const [label, size, batch] of [
  ['1 MiB', 1 << 20, 8],
  ['64 MiB', 64 << 20, 1],
] as const) {
  const body = new Uint8Array(size).fill(0x61);
  const put: Shape = {
    method: 'PUT',
    host: 'examplebucket.s3.amazonaws.com',
    path: '/object',
    headers: { 'content-type': 'application/octet-stream' },
    body,
    service: 's3',
  };
  const candidates: Candidate[] = [
    {
      name: 'glassbox sign',
      run: () =>
        sign(
          { method: 'PUT', url: `https://${put.host}${put.path}`, headers: put.headers, body },
          { credentials, region, service: 's3', date, doubleEncode: false, normalizePath: false, contentSha256Header: true },
        ),
    },
    {
      name: '@smithy/signature-v4 + @smithy/hash-node',
      run: () =>
        smithyNode('s3').sign(
          new SdkRequest({
            method: 'PUT',
            protocol: 'https:',
            hostname: put.host,
            path: put.path,
            headers: { ...put.headers, host: put.host },
            body,
          }),
          { signingDate: date },
        ),
    },
    { name: 'raw node:crypto SHA-256 of the body', run: () => createHash('sha256').update(body).digest('hex') },
  ];
  report.push(
    printScenario(
      await runScenario(
        `${label} PUT (payload hash dominates)`,
        candidates,
        ['raw node:crypto SHA-256 of the body', '@smithy/signature-v4 + @smithy/hash-node'],
        { rounds: quick ? 2 : 5, sliceMs: size > 1e7 ? 400 : 150, batch },
      ),
      size,
    ),
  );
}
