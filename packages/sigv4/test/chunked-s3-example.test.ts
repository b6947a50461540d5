import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  awsChunkedLength,
  chunkSignature,
  chunkStringToSign,
  deriveSigningKey,
  formatTrace,
  nodeSha256,
  signChunked,
  verifyChunked,
} from '@glassbox/sigv4';

// Every expected value below is from the AWS S3 API reference, "Signature Calculations for the
// Authorization Header: Transferring Payload in Multiple Chunks (Chunked Upload)", section
// "Example: PUT Object": https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// (65 KiB of 'a' = 66,560 bytes, 64 KiB chunks, us-east-1, s3, 20130524T000000Z).
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const DOCS = {
  canonicalRequest: [
    'PUT',
    '/examplebucket/chunkObject.txt',
    '',
    'content-encoding:aws-chunked',
    'content-length:66824',
    'host:s3.amazonaws.com',
    'x-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'x-amz-date:20130524T000000Z',
    'x-amz-decoded-content-length:66560',
    'x-amz-storage-class:REDUCED_REDUNDANCY',
    '',
    'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  ].join('\n'),
  stringToSign:
    'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\ncee3fed04b70f867d036f722359b0b1f2f0e5dc0efadbc082b76c4c60e316455',
  seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  chunks: [
    {
      size: 65536,
      stringToSign:
        'AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nbf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a',
      signature: 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
      header: '10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    },
    {
      size: 1024,
      stringToSign:
        'AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\nad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n2edc986847e209b4016e141a6dc8716d3207350f416969382d431539bf292e4a',
      signature: '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
      header: '400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    },
    {
      size: 0,
      stringToSign:
        'AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      signature: 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
      header: '0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
    },
  ],
};

const data = new Uint8Array(66560).fill(0x61); // 'a'
const request = () => ({
  method: 'PUT',
  url: 'https://s3.amazonaws.com/examplebucket/chunkObject.txt',
  headers: { 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
  body: data,
});
const options = {
  credentials,
  region: 'us-east-1',
  service: 's3',
  date: '20130524T000000Z',
  doubleEncode: false,
  normalizePath: false,
  decodedContentLength: 66560,
  trace: true,
};

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

test("the encoded length is the docs' Content-Length: 66824", () => {
  assert.is(awsChunkedLength(66560, { mode: 'signed', chunkSize: 65536 }), 66824);
});

test('the seed: canonical request, string to sign, signature and Authorization as in the docs', async () => {
  const result = await signChunked(request(), options);
  assert.is(result.canonicalRequest, DOCS.canonicalRequest);
  assert.is(result.stringToSign, DOCS.stringToSign);
  assert.is(result.signature, DOCS.seedSignature);
  assert.is(result.authorization, DOCS.authorization);
  assert.is(result.request.headers['Content-Length'], '66824');
});

test('each chunk string to sign and signature as in the docs, and the body framed as the docs send it', async () => {
  const key = deriveSigningKey(credentials.secretAccessKey, '20130524', 'us-east-1', 's3', nodeSha256);
  let previous = DOCS.seedSignature;
  for (const chunk of DOCS.chunks) {
    const sts = chunkStringToSign(
      '20130524T000000Z',
      '20130524/us-east-1/s3/aws4_request',
      previous,
      nodeSha256.hex(new Uint8Array(chunk.size).fill(0x61)),
    );
    assert.is(sts, chunk.stringToSign);
    assert.is(chunkSignature({ signingKey: key, hash: nodeSha256 }, sts), chunk.signature);
    previous = chunk.signature;
  }
  const result = await signChunked(request(), options);
  const body = await collect(result.body);
  const expected = Buffer.concat([
    Buffer.from(`${DOCS.chunks[0]!.header}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from('\r\n'),
    Buffer.from(`${DOCS.chunks[1]!.header}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from('\r\n'),
    Buffer.from(`${DOCS.chunks[2]!.header}\r\n\r\n`),
  ]);
  assert.is(body.length, 66824);
  assert.ok(body.equals(expected));
});

test("the trace shows the docs' chunk strings to sign", async () => {
  const result = await signChunked(request(), options);
  await collect(result.body);
  const text = formatTrace([...result.trace!, ...result.chunkTrace()]);
  for (const chunk of DOCS.chunks) for (const line of chunk.stringToSign.split('\n')) assert.ok(text.includes(line), line);
  assert.not.ok(text.includes(credentials.secretAccessKey));
});

test("the docs' request verifies as a server would, chunk by chunk", async () => {
  const wire = Buffer.concat([
    Buffer.from(`${DOCS.chunks[0]!.header}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from('\r\n'),
    Buffer.from(`${DOCS.chunks[1]!.header}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from('\r\n'),
    Buffer.from(`${DOCS.chunks[2]!.header}\r\n\r\n`),
  ]);
  const result = await verifyChunked(
    {
      method: 'PUT',
      url: '/examplebucket/chunkObject.txt',
      headers: {
        Host: 's3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        Authorization: DOCS.authorization,
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'Content-Encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '66560',
        'Content-Length': '66824',
      },
      // Split at arbitrary points, as a socket would deliver it.
      body: (async function* () {
        yield* [wire.subarray(0, 1000), wire.subarray(1000, 65600), wire.subarray(65600)];
      })(),
    },
    {
      credentials: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined),
      now: Date.UTC(2013, 4, 24),
      doubleEncode: false,
      normalizePath: false,
    },
  );
  assert.ok(result.ok);
  if (!result.ok) return;
  const decoded = await collect(result.body);
  assert.ok(decoded.equals(Buffer.from(data)));
  assert.match(formatTrace(result.chunkTrace()), DOCS.chunks[2]!.signature);
});

test.run();
