// What `glassbox ecr` refuses, end to end with the built bins against the local ECR emulator: a --registry
// that is neither an ECR host nor an alias (exit 2), and a token ECR should never have issued — a foreign or
// malformed proxyEndpoint, an expired or nearly expired one, an empty password (exit 3). Nothing is written.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEcrEmulator, type EcrEmulator, type EmulatorOptions } from '@glassbox/ecr/emulator';
import { cleanEnv, runGlassbox, runHelper, tempDir } from './run-bin.ts';

const keys = { accessKeyId: 'AKIAREFUSALTEST00001', secretAccessKey: 'refusal-test-secret-0000000000000000000000' };
const PASSWORD = 'refusal-test-registry-password-0123456789';

interface Setup {
  emulator: EcrEmulator;
  home: ReturnType<typeof tempDir>;
  env: Record<string, string>;
}

async function start(options: Partial<EmulatorOptions> = {}): Promise<Setup> {
  const emulator = await startEcrEmulator({ credentials: [keys], password: PASSWORD, accountId: '123456789012', ...options });
  const home = tempDir();
  const env = cleanEnv(home.path, {
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_ENDPOINT_URL_ECR: emulator.url,
  });
  return { emulator, home, env };
}

async function stop(setup: Setup): Promise<void> {
  await setup.emulator.close();
  setup.home.remove();
}

const configFile = (setup: Setup): string => join(setup.home.path, 'docker', 'config.json');

const registry = suite('ecr login / get-login-password --registry refuse a host that is neither ECR nor an alias');

const lookAlikes: Array<[string, string, RegExp]> = [
  [
    'a look-alike ending in another domain',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example',
    /looks like an Amazon ECR host but is not one/,
  ],
  ['a typo in the suffix', '123456789012.dkr.ecr.us-east-1.amazonaws.co', /looks like an Amazon ECR host but is not one/],
  ['an 11-digit account', '12345678901.dkr.ecr.us-east-1.amazonaws.com', /looks like an Amazon ECR host but is not one/],
  ['a plain registry', 'registry.example.com:5000', /is not an Amazon ECR registry host/],
];
for (const [what, host, message] of lookAlikes) {
  for (const command of ['login', 'get-login-password']) {
    registry(`${command} --registry with ${what}: exit 2, names the alias mechanism, no call, nothing written`, async () => {
      const setup = await start();
      try {
        const run = await runGlassbox(['ecr', command, '--registry', host], { env: setup.env });
        assert.is(run.code, 2, run.stderr);
        assert.match(run.stderr, message);
        assert.match(run.stderr, /GLASSBOX_REGISTRY_ALIASES='/);
        assert.match(run.stderr, /registryAliases/);
        assert.not.match(run.stderr, /Missing Region|MISSING_REGION/i);
        assert.is(run.stdout, '');
        assert.is(setup.emulator.calls.length, 0, 'no token was asked for');
        assert.not.ok(existsSync(configFile(setup)), 'config.json was not written');
      } finally {
        await stop(setup);
      }
    });
  }
}

registry('an alias for the host is the way in: login writes the alias with its target registry’s token', async () => {
  const setup = await start();
  try {
    const env = { ...setup.env, GLASSBOX_REGISTRY_ALIASES: 'registry.example.com:5000=123456789012.dkr.ecr.eu-west-1.amazonaws.com' };
    const run = await runGlassbox(['ecr', 'login', '--registry', 'registry.example.com:5000'], { env });
    assert.is(run.code, 0, run.stderr);
    assert.ok(existsSync(configFile(setup)));
  } finally {
    await stop(setup);
  }
});

registry.run();

const token = suite('a token ECR should never have issued is refused with exit 3, and nothing is written');

const badEndpoints: Array<[string, string]> = [
  ['another host', 'https://evil.example.com'],
  ['a look-alike host', 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example.com'],
  ['an ECR host of another region', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
  ['plain http', 'http://123456789012.dkr.ecr.us-east-1.amazonaws.com'],
  ['a quote, a newline and a NUL', 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com"\n\u0000x'],
  ['a path and credentials', 'https://user:pw@123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/'],
];
for (const [what, endpoint] of badEndpoints) {
  token(`ecr login refuses a proxyEndpoint with ${what}`, async () => {
    const setup = await start({ faults: { proxyEndpoint: endpoint } });
    try {
      const run = await runGlassbox(['ecr', 'login', '--region', 'us-east-1'], { env: setup.env });
      assert.is(run.code, 3, run.stderr);
      assert.match(run.stderr, /proxyEndpoint .* (is not an https:\/\/ URL of a registry host|is not an ECR registry in us-east-1)/);
      assert.match(run.stderr, /nothing was written/);
      assert.not.ok(run.stderr.includes('\u0000'), 'the NUL is shown escaped');
      assert.is(setup.emulator.served, 1, 'the token was fetched, then refused');
      assert.not.ok(existsSync(configFile(setup)), 'config.json was not written');
    } finally {
      await stop(setup);
    }
  });
}

token('ecr login refuses a token whose expiresAt is in the past', async () => {
  const setup = await start({ tokenLifetimeSeconds: -60 });
  try {
    const run = await runGlassbox(['ecr', 'login', '--region', 'us-east-1'], { env: setup.env });
    assert.is(run.code, 3, run.stderr);
    assert.match(run.stderr, /expired \d+ s ago \(expiresAt /);
    assert.not.ok(existsSync(configFile(setup)));
  } finally {
    await stop(setup);
  }
});

token('ecr login refuses a token that expires too soon to be used', async () => {
  const setup = await start({ tokenLifetimeSeconds: 30 });
  try {
    const run = await runGlassbox(['ecr', 'login', '--region', 'us-east-1'], { env: setup.env });
    assert.is(run.code, 3, run.stderr);
    assert.match(run.stderr, /expires in \d+ s .*at least 5 minutes left/);
    assert.not.ok(existsSync(configFile(setup)));
  } finally {
    await stop(setup);
  }
});

token('an empty password: ecr login, get-login-password and the credential helper all exit 3; nothing is written or cached', async () => {
  const setup = await start({ password: '' });
  try {
    const login = await runGlassbox(['ecr', 'login', '--region', 'us-east-1'], { env: setup.env });
    assert.is(login.code, 3, login.stderr);
    assert.match(login.stderr, /empty password/);
    assert.not.ok(existsSync(configFile(setup)));

    const password = await runGlassbox(['ecr', 'get-login-password', '--region', 'us-east-1'], { env: setup.env });
    assert.is(password.code, 3, password.stderr);
    assert.is(password.stdout, '');

    const helper = await runHelper(['get'], '123456789012.dkr.ecr.us-east-1.amazonaws.com', setup.env);
    assert.is(helper.code, 3, helper.stdout + helper.stderr);
    assert.match(
      helper.stdout,
      /^glassbox: cannot get an ECR token for 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com: .*empty password/,
    );
    assert.not.ok(helper.stdout.includes('"Secret"'), 'no credentials were served');
    const cache = join(setup.home.path, 'cache');
    assert.not.ok(existsSync(cache) && readdirSync(cache).some((name) => name.endsWith('.json')), 'no token was cached');
  } finally {
    await stop(setup);
  }
});

token.run();
