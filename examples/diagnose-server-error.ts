// Diagnose a SignatureDoesNotMatch: compare what we signed with the canonical request the service
// says it computed, and name the likely cause. Here a stand-in service on 127.0.0.1 (the local ECR
// emulator) receives a request whose path a "proxy" rewrote after signing. Offline:
//   node --conditions=glassbox-source --import tsx examples/diagnose-server-error.ts
import { diagnose, sign } from '@glassbox/sigv4';
import { startEcrEmulator } from '@glassbox/ecr/emulator';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const emulator = await startEcrEmulator({ credentials: [credentials], region: 'us-east-1' });
try {
  const ours = await sign(
    {
      method: 'POST',
      url: `${emulator.url}/`,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
      },
      body: '{}',
    },
    { credentials, region: 'us-east-1', service: 'ecr' },
  );
  // A proxy in between rewrites the content type after signing: the service computes another
  // canonical request and says so in its error.
  const headers = { ...(ours.request.headers as Record<string, string>), 'content-type': 'application/json' };
  const response = await fetch(`${emulator.url}/`, { method: 'POST', headers, body: '{}' });
  const errorBody = await response.text();
  console.log(`service answered ${response.status}: ${JSON.parse(errorBody).__type}`);

  const diagnosis = diagnose(ours, errorBody);
  console.log(`likely cause: ${diagnosis.likelyCause.code} — ${diagnosis.likelyCause.message}`);
  console.log(`fix: ${diagnosis.likelyCause.fix}`);
  console.log(diagnosis.lineDiff);
} finally {
  await emulator.close();
}
