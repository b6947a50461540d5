// Log in to ECR from a Node tool: get a token with @glassbox/ecr and write it into a Docker
// config.json with @glassbox/docker-config — `aws ecr get-login-password | docker login` as a
// library. The local ECR emulator stands in for AWS, so this example is offline:
//   node --conditions=glassbox-source --import tsx examples/ecr-login.ts
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setAuth } from '@glassbox/docker-config';
import { getAuthorizationToken } from '@glassbox/ecr';
import { startEcrEmulator } from '@glassbox/ecr/emulator';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const emulator = await startEcrEmulator({ credentials: [credentials], region: 'eu-west-1' });
const configDir = await mkdtemp(join(tmpdir(), 'glassbox-example-'));

try {
  // With a real account, drop `endpoint` and `credentials`: the AWS credential chain and the
  // region's ECR endpoint are used, as the AWS CLI does.
  const token = await getAuthorizationToken({ region: 'eu-west-1', credentials, endpoint: emulator.url });
  console.log(`token for ${token.registryHost}, user ${token.username}, expires ${token.expiresAt.toISOString()}`);

  const written = await setAuth(token.registryHost, token.username, token.password, { configDir });
  const config = JSON.parse(await readFile(written.path, 'utf8')) as { auths: Record<string, unknown> };
  console.log(`wrote ${written.path} with auths for: ${Object.keys(config.auths).join(', ')}`);
  console.log('Login Succeeded');
} finally {
  await emulator.close();
  await rm(configDir, { recursive: true, force: true });
}
