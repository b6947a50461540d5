import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EcrError } from '../src/errors.ts';
import {
  describeAlias,
  findRegistryAlias,
  glassboxConfigFile,
  loadRegistryAliases,
  parseRegistryAliasesConfig,
  parseRegistryAliasesEnv,
  resolveRegistry,
} from '../src/registry-aliases.ts';

const EU = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const US = '210987654321.dkr.ecr.us-east-1.amazonaws.com';

function throwsAlias(fn: () => unknown, mentions: string): void {
  try {
    fn();
  } catch (error) {
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'INVALID_REGISTRY_ALIAS');
    assert.ok((error as Error).message.includes(mentions), `${(error as Error).message} should mention ${mentions}`);
    return;
  }
  assert.unreachable(`expected INVALID_REGISTRY_ALIAS mentioning ${mentions}`);
}

async function withConfig(content: string | undefined, fn: (home: string, file: string) => void | Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'glassbox-aliases-'));
  try {
    const file = join(home, '.config', 'glassbox', 'config.json');
    if (content !== undefined) {
      await mkdir(join(home, '.config', 'glassbox'), { recursive: true });
      await writeFile(file, content);
    }
    await fn(home, file);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

test('GLASSBOX_REGISTRY_ALIASES: host and host:port pairs, spaces and case ignored', () => {
  const aliases = parseRegistryAliasesEnv(` registry.corp.example=${EU} , 127.0.0.1:5000=${US.toUpperCase()},[::1]:5001=public.ecr.aws`);
  assert.equal(
    aliases.map((a) => [a.from, a.hostname, a.port, a.registry.host, a.registry.account, a.registry.region, a.source]),
    [
      ['registry.corp.example', 'registry.corp.example', undefined, EU, '123456789012', 'eu-west-1', 'env'],
      ['127.0.0.1:5000', '127.0.0.1', '5000', US, '210987654321', 'us-east-1', 'env'],
      ['[::1]:5001', '[::1]', '5001', 'public.ecr.aws', undefined, 'us-east-1', 'env'],
    ],
  );
  assert.equal(parseRegistryAliasesEnv('   '), []);
});

test('GLASSBOX_REGISTRY_ALIASES: a VPC endpoint name may be a target (account from the token)', () => {
  const [alias] = parseRegistryAliasesEnv('mirror.internal=vpce-1a2b3c4d-5e6f.dkr.ecr.eu-central-1.vpce.amazonaws.com');
  assert.is(alias?.registry.region, 'eu-central-1');
  assert.is(alias?.registry.vpcEndpoint, 'vpce-1a2b3c4d-5e6f');
  assert.is(alias?.registry.account, undefined);
});

// [value, text the error must quote]
const malformedEnv: Array<[string, string]> = [
  [`registry.corp.example`, '"registry.corp.example" has no "="'],
  [`a.example=${EU},,b.example=${US}`, 'is empty'],
  [`a.example=${EU},`, 'is empty'],
  [`=${EU}`, `"=${EU}"`],
  [`https://a.example=${EU}`, `"https://a.example=${EU}"`],
  [`a.example/v2=${EU}`, 'host:port'],
  [`a.example:99999=${EU}`, 'a.example:99999'],
  [`a.example:0=${EU}`, 'a.example:0'],
  [`user@a.example=${EU}`, 'user@a.example'],
  ['a.example=', 'is not an Amazon ECR registry host'],
  ['a.example=registry.corp.example', '"registry.corp.example", which is not an Amazon ECR registry host'],
  [`a.example=${EU}.evil.example`, 'not an Amazon ECR registry host'],
  [`a.example=${EU},A.EXAMPLE=${US}`, 'repeats the host a.example'],
];

test(`GLASSBOX_REGISTRY_ALIASES: ${malformedEnv.length} malformed values are errors naming the entry`, () => {
  for (const [value, mentions] of malformedEnv) throwsAlias(() => parseRegistryAliasesEnv(value), mentions);
  throwsAlias(() => parseRegistryAliasesEnv('x'), 'GLASSBOX_REGISTRY_ALIASES');
});

test('config file: host → registry host, and the richer { account, region, partition, public } form', () => {
  const aliases = parseRegistryAliasesConfig(
    {
      other: 'kept',
      registryAliases: {
        'registry.corp.example': EU,
        'mirror.corp.example:8443': { account: '123456789012', region: 'cn-north-1' },
        'gov.corp.example': { account: '123456789012', region: 'us-gov-west-1', partition: 'aws-us-gov' },
        'public.corp.example': { public: true },
      },
    },
    'config.json',
  );
  assert.equal(
    aliases.map((a) => [a.from, a.registry.host, a.registry.partition, a.registry.public, a.source]),
    [
      ['registry.corp.example', EU, 'aws', false, 'file'],
      ['mirror.corp.example:8443', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'aws-cn', false, 'file'],
      ['gov.corp.example', '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com', 'aws-us-gov', false, 'file'],
      ['public.corp.example', 'public.ecr.aws', 'aws', true, 'file'],
    ],
  );
  assert.equal(parseRegistryAliasesConfig({}, 'config.json'), []);
});

// [config, text the error must quote]
const malformedFile: Array<[unknown, string]> = [
  [[], 'expected a JSON object'],
  [{ registryAliases: [] }, '"registryAliases" must be an object'],
  [{ registryAliases: 'a=b' }, '"registryAliases" must be an object'],
  [{ registryAliases: { 'a.example': 42 } }, '"a.example" must map to'],
  [{ registryAliases: { 'a.example': 'docker.io' } }, '"a.example" maps to "docker.io"'],
  [{ registryAliases: { 'a.example': { account: 123456789012, region: 'eu-west-1' } } }, '"a.example" needs "account"'],
  [{ registryAliases: { 'a.example': { account: '12345', region: 'eu-west-1' } } }, '"a.example" needs "account"'],
  [{ registryAliases: { 'a.example': { account: '123456789012' } } }, '"a.example" needs "region"'],
  [{ registryAliases: { 'a.example': { account: '123456789012', region: 'eu west 1' } } }, '"a.example" needs "region"'],
  [
    { registryAliases: { 'a.example': { account: '123456789012', region: 'eu-west-1', partition: 'aws-cn' } } },
    'region eu-west-1 is in aws',
  ],
  [{ registryAliases: { 'a.example': { account: '123456789012', region: 'eu-west-1', acount: 'x' } } }, 'unknown key "acount"'],
  [{ registryAliases: { 'a.example': { public: true, account: '123456789012' } } }, 'is ECR Public'],
  [{ registryAliases: { 'a.example': { public: 'yes' } } }, '"public" that is not true or false'],
  [{ registryAliases: { 'http://a.example': EU } }, '"http://a.example"'],
  [{ registryAliases: { 'a.example': EU, 'A.example': US } }, 'repeats the host a.example'],
];

test(`config file: ${malformedFile.length} malformed registryAliases are errors naming the file and entry`, () => {
  for (const [config, mentions] of malformedFile) {
    throwsAlias(() => parseRegistryAliasesConfig(config, '/home/me/.config/glassbox/config.json'), mentions);
    throwsAlias(() => parseRegistryAliasesConfig(config, '/home/me/.config/glassbox/config.json'), '/home/me/.config/glassbox/config.json');
  }
});

test('the config file is $XDG_CONFIG_HOME/glassbox/config.json, else ~/.config/glassbox/config.json', () => {
  assert.is(glassboxConfigFile({ XDG_CONFIG_HOME: '/x/cfg/' }), '/x/cfg/glassbox/config.json');
  assert.is(glassboxConfigFile({ XDG_CONFIG_HOME: 'relative', HOME: '/home/me' }), '/home/me/.config/glassbox/config.json');
  assert.is(glassboxConfigFile({}, '/home/other'), '/home/other/.config/glassbox/config.json');
});

test('the environment wins over the file per host; the file still supplies the other hosts', async () => {
  const file = JSON.stringify({ registryAliases: { 'registry.corp.example': US, 'mirror.corp.example': US } });
  await withConfig(file, (home) => {
    const env = { HOME: home, GLASSBOX_REGISTRY_ALIASES: `registry.corp.example=${EU}` };
    const aliases = loadRegistryAliases({ env });
    assert.equal(
      aliases.map((a) => [a.from, a.registry.host, a.source]),
      [
        ['registry.corp.example', EU, 'env'],
        ['mirror.corp.example', US, 'file'],
      ],
    );
    assert.equal(resolveRegistry('https://registry.corp.example/v2/', { env })?.alias, { from: 'registry.corp.example', source: 'env' });
    assert.is(resolveRegistry('registry.corp.example', { env })?.registry.host, EU);
    assert.equal(resolveRegistry('mirror.corp.example', { env })?.alias, { from: 'mirror.corp.example', source: 'file' });
    // Without the variable, the file's alias for the same host applies.
    assert.is(resolveRegistry('registry.corp.example', { env: { HOME: home } })?.registry.host, US);
  });
});

test('a missing file means no aliases; unreadable JSON is an error naming the file', async () => {
  await withConfig(undefined, (home) => {
    assert.equal(loadRegistryAliases({ env: { HOME: home } }), []);
  });
  await withConfig('{ "registryAliases": { ', (home, file) => {
    throwsAlias(() => loadRegistryAliases({ env: { HOME: home } }), file);
    throwsAlias(() => resolveRegistry(EU, { env: { HOME: home } }), 'not valid JSON');
  });
  await withConfig('{}', (home) => {
    // A malformed variable is reported even when the file is fine.
    throwsAlias(() => resolveRegistry('a.example', { env: { HOME: home, GLASSBOX_REGISTRY_ALIASES: 'a.example' } }), '"a.example"');
  });
});

test('lookup: host:port aliases match that port only; a portless alias matches any port', () => {
  const aliases = parseRegistryAliasesEnv(`127.0.0.1:5000=${EU},127.0.0.1=${US},mirror.example=${US}`);
  assert.is(findRegistryAlias(aliases, '127.0.0.1:5000')?.registry.host, EU);
  assert.is(findRegistryAlias(aliases, 'http://127.0.0.1:5000/v2/app/manifests/1')?.registry.host, EU);
  assert.is(findRegistryAlias(aliases, '127.0.0.1:6000')?.registry.host, US);
  assert.is(findRegistryAlias(aliases, '127.0.0.1')?.registry.host, US);
  assert.is(findRegistryAlias(aliases, 'MIRROR.example.:443')?.registry.host, US);
  assert.is(findRegistryAlias(aliases, 'mirror.example.evil')?.registry.host, undefined);
  assert.is(findRegistryAlias(aliases, 'user@mirror.example'), undefined);
  assert.is(findRegistryAlias(aliases, 'other.example:5000'), undefined);
});

test('look-alike protection: only an explicit alias makes a non-ECR name ECR', async () => {
  await withConfig(undefined, (home) => {
    const env = { HOME: home };
    assert.is(resolveRegistry(`${EU}.example.com`, { env }), undefined);
    assert.is(resolveRegistry('127.0.0.1:5000', { env }), undefined);
    assert.equal(resolveRegistry(EU, { env }), {
      registry: { host: EU, account: '123456789012', region: 'eu-west-1', partition: 'aws', fips: false, dualStack: false, public: false },
    });
    // An alias can give a VPC endpoint name its account.
    const endpoint = 'vpce-1a2b3c4d-5e6f.dkr.ecr.eu-west-1.vpce.amazonaws.com';
    assert.is(resolveRegistry(endpoint, { env })?.registry.account, undefined);
    assert.is(
      resolveRegistry(endpoint, { env: { ...env, GLASSBOX_REGISTRY_ALIASES: `${endpoint}=${EU}` } })?.registry.account,
      '123456789012',
    );
  });
});

test('the trace line names host, registry and source', () => {
  assert.is(describeAlias({ from: '127.0.0.1:5000', source: 'file' }, EU), `alias 127.0.0.1:5000 -> ${EU} (from file)`);
});

test.run();
