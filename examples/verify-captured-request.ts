// Verify a captured raw HTTP request (for instance from a proxy log or `nc -l`), as a service would:
// parse it, look up the secret for its access key ID, recompute the signature. Offline:
//   node --conditions=glassbox-source --import tsx examples/verify-captured-request.ts
import { parseHttpRequest, sign, serializeHttpRequest, verify } from '@glassbox/sigv4';

const secrets: Record<string, string> = { AKIDEXAMPLE: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const lookUp = (accessKeyId: string): string | undefined => secrets[accessKeyId];
const now = new Date('2015-08-30T12:37:00Z'); // the capture's own time, so the 5-minute window holds

// A capture: here made by signing one, serialised as raw HTTP/1.1 text.
const { request } = await sign(
  { method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {} },
  {
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secrets.AKIDEXAMPLE! },
    region: 'us-east-1',
    service: 'service',
    date: '20150830T123600Z',
  },
);
const captured = serializeHttpRequest(request);
console.log(`captured:\n${captured}\n`);

const good = await verify(parseHttpRequest(captured), { credentials: lookUp, now });
console.log(good.ok ? `signature OK (${good.accessKeyId}, ${good.credentialScope})` : `rejected: ${good.reason}`);

// The same capture after a proxy changed one query value.
const altered = await verify(parseHttpRequest(captured.replace('value1', 'value9')), { credentials: lookUp, now });
console.log(altered.ok ? 'signature OK' : `altered request rejected: ${altered.reason} at step ${altered.firstDifferentStep}`);
