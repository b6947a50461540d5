// Write Docker's config.json the careful way: unknown keys and key order kept, atomic 0600 writes,
// and a warning when a credsStore would hide a plain `auths` entry from Docker. Offline:
//   node --conditions=glassbox-source --import tsx examples/write-docker-config.ts
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setAuth, setCredentialHelper } from '@glassbox/docker-config';

const configDir = await mkdtemp(join(tmpdir(), 'glassbox-example-'));
try {
  // An existing config with a key Glassbox does not know and a credsStore (as Docker Desktop writes).
  await writeFile(join(configDir, 'config.json'), JSON.stringify({ credsStore: 'desktop', currentContext: 'colima' }, null, '\t'));

  // Route one ECR registry through docker-credential-glassbox: Docker asks the helper on each pull.
  await setCredentialHelper('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'glassbox', { configDir });

  // A plain auths entry for another registry would be ignored by Docker because of credsStore:
  // Glassbox says so instead of silently writing something that does nothing.
  const warnings: string[] = [];
  await setAuth('registry.example.com', 'me', 'not-a-real-password', {
    configDir,
    allowHiddenAuths: true,
    warn: (warning) => warnings.push(warning.message),
  });
  for (const message of warnings) console.log(`warning: ${message}`);

  const text = await readFile(join(configDir, 'config.json'), 'utf8');
  console.log(text.replace(/"auth": "[^"]+"/g, '"auth": "[redacted]"'));
} finally {
  await rm(configDir, { recursive: true, force: true });
}
