import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as credentials from '@glassbox/aws/credentials';
import * as emulator from '../src/emulator.ts';
import * as ecr from '../src/index.ts';

test('the public surface re-exports every runtime export of the credential chain', () => {
  const missing = Object.keys(credentials).filter(
    (name) => (ecr as Record<string, unknown>)[name] !== (credentials as Record<string, unknown>)[name],
  );
  assert.equal(missing, []);
});

test('the public surface holds the client, the parsers and both error classes', () => {
  for (const name of [
    'getAuthorizationToken',
    'parseRegistryHost',
    'resolveEndpoint',
    'resolveRegion',
    'endpointFromRules',
    'AwsServiceError',
    'EcrError',
    'closeConnections',
    'resolveCredentials',
    'createCredentialProvider',
  ]) {
    assert.type((ecr as Record<string, unknown>)[name], 'function', name);
  }
});

test('the emulator is its own entry point, not part of the main surface', () => {
  assert.type(emulator.startEcrEmulator, 'function');
  assert.is((ecr as Record<string, unknown>)['startEcrEmulator'], undefined);
});

test.run();
