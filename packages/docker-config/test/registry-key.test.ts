import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertToHostname, matchingKeys, registryKey, DOCKER_HUB_KEY } from '../src/registry-key.ts';

// What `docker login <arg>` stores the credentials under (docker/cli ConvertToHostname + GetAuthConfigKey).
const KEYS: ReadonlyArray<[input: string, key: string | undefined]> = [
  ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
  ['https://123456789012.dkr.ecr.eu-west-1.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
  ['https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
  ['https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/repo', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
  ['http://localhost:5000/v1/', 'localhost:5000'],
  ['localhost:5000', 'localhost:5000'],
  ['localhost:5000/team/app', 'localhost:5000'],
  ['  public.ecr.aws \n', 'public.ecr.aws'],
  ['docker.io', DOCKER_HUB_KEY],
  ['index.docker.io', DOCKER_HUB_KEY],
  ['https://index.docker.io/v1/', DOCKER_HUB_KEY],
  ['https://index.docker.io/v2/', DOCKER_HUB_KEY],
  ['registry-1.docker.io', 'registry-1.docker.io'],
  ['Registry.Example.COM', 'Registry.Example.COM'],
  ['', undefined],
  ['   ', undefined],
  ['https://', undefined],
];

for (const [input, key] of KEYS) {
  test(`registry key of ${JSON.stringify(input)} is ${JSON.stringify(key)}`, () => {
    assert.is(registryKey(input), key);
  });
}

test('convertToHostname keeps the port and drops scheme and path', () => {
  assert.is(convertToHostname('https://host.example:8443/v2/x'), 'host.example:8443');
  assert.is(convertToHostname('host.example'), 'host.example');
});

test('matchingKeys finds the exact key first, then legacy https:// keys for the same host', () => {
  const entries = { 'https://r.example/v1/': {}, 'other.example': {}, 'r.example': {}, 'http://r.example': {} };
  assert.equal(matchingKeys(entries, 'r.example'), ['r.example', 'https://r.example/v1/', 'http://r.example']);
  assert.equal(matchingKeys(entries, 'missing.example'), []);
});

test.run();
