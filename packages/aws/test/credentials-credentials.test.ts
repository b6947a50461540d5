import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCredentials, withSource } from '../src/credentials/credentials.ts';

const SECRET = 'SECRET-wJalrXUtnFEMI-K7MDENG';
const TOKEN = 'TOKEN-FwoGZXIvYXdzEJr-session';

function sample() {
  return createCredentials({
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: SECRET,
    sessionToken: TOKEN,
    expiration: new Date('2030-01-01T00:00:00Z'),
    source: 'test',
  });
}

test('the secret and token are readable as properties, for signing', () => {
  const credentials = sample();
  assert.is(credentials.secretAccessKey, SECRET);
  assert.is(credentials.sessionToken, TOKEN);
  assert.is(credentials.accessKeyId, 'ASIAEXAMPLE');
  assert.is(credentials.expiration?.toISOString(), '2030-01-01T00:00:00.000Z');
});

test('no way of printing or copying the object shows the secret or the token', () => {
  const credentials = sample();
  const outputs = [
    inspect(credentials),
    inspect(credentials, { showHidden: true, depth: Infinity, getters: true }),
    inspect({ nested: { credentials } }, { depth: Infinity }),
    JSON.stringify(credentials),
    JSON.stringify({ credentials }),
    String(credentials),
    `${credentials}`,
    JSON.stringify({ ...credentials }),
    Object.keys(credentials).join(','),
    Object.getOwnPropertyNames(credentials).join(','),
  ];
  for (const output of outputs) {
    assert.not.ok(output.includes(SECRET), `secret leaked in: ${output}`);
    assert.not.ok(output.includes(TOKEN), `token leaked in: ${output}`);
  }
  assert.ok(inspect(credentials).includes('[redacted]'));
  assert.ok(inspect(credentials).includes('ASIAEXAMPLE'));
  assert.equal(JSON.parse(JSON.stringify(credentials)), {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: '[redacted]',
    sessionToken: '[redacted]',
    expiration: '2030-01-01T00:00:00.000Z',
    source: 'test',
  });
  assert.is(String(credentials), '[Credentials ASIAEXAMPLE from test]');
});

test('long-term keys have no session token and no expiration in their JSON', () => {
  const credentials = createCredentials({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: SECRET, source: 'environment' });
  assert.is(credentials.sessionToken, undefined);
  assert.is(credentials.expiration, undefined);
  assert.equal(JSON.parse(JSON.stringify(credentials)), {
    accessKeyId: 'AKIAEXAMPLE',
    secretAccessKey: '[redacted]',
    source: 'environment',
  });
});

test('withSource relabels without losing the secret', () => {
  const relabelled = withSource(sample(), 'cache');
  assert.is(relabelled.source, 'cache');
  assert.is(relabelled.secretAccessKey, SECRET);
  assert.is(relabelled.sessionToken, TOKEN);
});

test.run();
