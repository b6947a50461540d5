// Presign an S3-style GET URL (single path encoding, no normalisation, UNSIGNED-PAYLOAD), then
// fetch it from a local stand-in that verifies it with S3's rules. Offline:
//   node --conditions=glassbox-source --import tsx examples/presign-s3-url.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { presign, verify } from '@glassbox/sigv4';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const s3Rules = { doubleEncode: false, normalizePath: false } as const;

const server = createServer(async (req, res) => {
  const result = await verify(
    { method: req.method!, url: req.url!, headers: req.headers as Record<string, string> },
    { credentials: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined), ...s3Rules },
  );
  res.writeHead(result.ok ? 200 : 403).end(result.ok ? 'the object body' : `${result.reason}: ${result.message}`);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const { url } = await presign(
  { method: 'GET', url: `${origin}/photos/2026/my%20cat.jpg` },
  { credentials, region: 'us-east-1', service: 's3', expiresIn: 900, unsignedPayload: true, ...s3Rules },
);
console.log(`presigned URL (valid 15 minutes):\n${url}\n`);

const response = await fetch(url);
console.log(`GET with the presigned URL: ${response.status} ${await response.text()}`);
const tampered = await fetch(url.replace('my%20cat', 'my%20dog'));
console.log(`GET with another key in the path: ${tampered.status} ${await tampered.text()}`);
server.close();
