// Sign a fetch() with @glassbox/sigv4 and send it to a server that checks the signature the way
// AWS does. The server runs on 127.0.0.1, so this example is offline:
//   node --conditions=glassbox-source --import tsx examples/sign-fetch.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign, verify } from '@glassbox/sigv4';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const result = await verify(
    { method: req.method!, url: req.url!, headers: req.headers as Record<string, string>, body },
    { credentials: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined), service: 'execute-api' },
  );
  res.writeHead(result.ok ? 200 : 403).end(result.ok ? `hello, ${result.accessKeyId}` : result.message);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items?limit=10`;

// Sign exactly what fetch will send: method, URL, the headers we set, the body.
const body = JSON.stringify({ name: 'glassbox' });
const signed = await sign(
  { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
  { credentials, region: 'us-east-1', service: 'execute-api' },
);
console.log('canonical request:\n' + signed.canonicalRequest + '\n');

const response = await fetch(url, { method: 'POST', headers: signed.request.headers as Record<string, string>, body });
console.log(`server answered ${response.status}: ${await response.text()}`);
server.close();
