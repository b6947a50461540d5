// The Glassbox signer inside the AWS SDK for JavaScript v3: pass it as `signer` to any client.
// This example starts its own ECR-shaped server on 127.0.0.1 that checks each signature with
// verify(), so it runs offline:
//   node --conditions=glassbox-source --import tsx examples/sdk-signer.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GlassboxSigner, verify } from '@glassbox/sigv4';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

// The "service": recompute the signature from the request as received, as AWS does.
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const result = await verify(
    { method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks) },
    {
      credentials: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined),
      region: 'us-east-1',
      service: 'ecr',
    },
  );
  console.log(`server: ${req.headers['x-amz-target']} -> ${result.ok ? 'signature ok' : `rejected (${result.reason})`}`);
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  if (!result.ok) {
    res.writeHead(400).end(JSON.stringify({ __type: 'InvalidSignatureException', message: result.message }));
    return;
  }
  const token = Buffer.from('AWS:example-password').toString('base64');
  res.end(
    JSON.stringify({
      authorizationData: [
        {
          authorizationToken: token,
          expiresAt: Date.now() / 1000 + 43200,
          proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com',
        },
      ],
    }),
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

// The client: an ordinary ECRClient, with Glassbox doing the signing.
const ecr = new ECRClient({
  region: 'us-east-1',
  endpoint: `http://127.0.0.1:${port}`,
  credentials,
  signer: new GlassboxSigner({ credentials, region: 'us-east-1', service: 'ecr' }),
});
const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
const [user] = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().split(':');
console.log(`client: got a token for user '${user}' (password not printed) for ${authorizationData![0]!.proxyEndpoint}`);

ecr.destroy();
server.close();
