import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveTransportSettings, TransportError, TRANSPORT_DEFAULTS, type TransportSettingsInput } from '../src/transport/index.ts';

const dev = (values: Record<string, string>) => ({ name: 'dev', values });

// [input, maxAttempts, maxAttemptsFrom, retryMode]
const rows: Array<[TransportSettingsInput, number, string, string]> = [
  [{ env: {} }, 3, 'default for retry mode standard', 'standard'],
  [{ env: { AWS_RETRY_MODE: 'legacy' } }, 5, 'default for retry mode legacy', 'legacy'],
  [{ env: {}, profile: dev({ retry_mode: 'legacy' }) }, 5, 'default for retry mode legacy', 'legacy'],
  [{ env: { AWS_RETRY_MODE: 'standard' }, profile: dev({ retry_mode: 'legacy' }) }, 3, 'default for retry mode standard', 'standard'],
  [{ env: { AWS_MAX_ATTEMPTS: '1' } }, 1, 'AWS_MAX_ATTEMPTS', 'standard'],
  [{ env: {}, profile: dev({ max_attempts: '7' }) }, 7, 'max_attempts in profile "dev"', 'standard'],
  [{ env: { AWS_MAX_ATTEMPTS: '2' }, profile: dev({ max_attempts: '7' }) }, 2, 'AWS_MAX_ATTEMPTS', 'standard'],
  [{ env: { AWS_MAX_ATTEMPTS: '2' }, profile: dev({ max_attempts: '7' }), maxAttempts: 4 }, 4, 'the maxAttempts option', 'standard'],
  [{ env: { AWS_MAX_ATTEMPTS: ' ' }, profile: dev({ max_attempts: '6' }) }, 6, 'max_attempts in profile "dev"', 'standard'],
  [{ env: { AWS_RETRY_MODE: 'ADAPTIVE' } }, 3, 'default for retry mode adaptive', 'adaptive'],
];

test(`precedence: option, then variable, then profile key, then the mode's default (${rows.length} rows)`, async () => {
  for (const [input, attempts, from, mode] of rows) {
    const settings = await resolveTransportSettings(input);
    const label = JSON.stringify(input);
    assert.is(settings.maxAttempts, attempts, label);
    assert.is(settings.maxAttemptsFrom, from, label);
    assert.is(settings.retryMode, mode, label);
  }
});

test('adaptive is accepted and says that it behaves as standard', async () => {
  const settings = await resolveTransportSettings({ env: {}, profile: dev({ retry_mode: 'adaptive' }) });
  assert.equal(settings.notes, [
    'retry mode adaptive (from retry_mode in profile "dev") behaves as standard here: Glassbox has no client-side rate limiter.',
  ]);
  assert.equal((await resolveTransportSettings({ env: {} })).notes, []);
});

test('a bad value is INVALID_CONFIGURATION naming the variable or key, and saying what to write', async () => {
  const cases: Array<[TransportSettingsInput, string, RegExp]> = [
    [{ env: { AWS_MAX_ATTEMPTS: 'three' } }, 'AWS_MAX_ATTEMPTS', /AWS_MAX_ATTEMPTS is "three".*whole number from 1/],
    [{ env: { AWS_MAX_ATTEMPTS: '0' } }, 'AWS_MAX_ATTEMPTS', /from 1 \(no retries\)/],
    [{ env: { AWS_MAX_ATTEMPTS: '2.5' } }, 'AWS_MAX_ATTEMPTS', /"2\.5"/],
    [{ env: {}, profile: dev({ max_attempts: '-1' }) }, 'max_attempts', /max_attempts in profile "dev" is "-1"/],
    [{ env: {}, maxAttempts: TRANSPORT_DEFAULTS.maxAttemptsLimit + 1 }, 'maxAttempts', /to 100/],
    [{ env: { AWS_RETRY_MODE: 'aggressive' } }, 'AWS_RETRY_MODE', /use standard, legacy or adaptive/],
    [{ env: {}, profile: dev({ retry_mode: 'fast' }) }, 'retry_mode', /retry_mode in profile "dev" is "fast"/],
    [{ env: { AWS_CA_BUNDLE: '/nonexistent/glassbox-ca.pem' } }, 'AWS_CA_BUNDLE', /cannot be read \(ENOENT\)/],
    [{ env: {}, connectTimeoutMs: -1 }, 'connectTimeoutMs', /0 or more/],
    [{ env: {}, readTimeoutMs: Number.NaN }, 'readTimeoutMs', /0 or more/],
  ];
  for (const [input, setting, message] of cases) {
    const error = await resolveTransportSettings(input).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(error, TransportError, JSON.stringify(input));
    assert.is((error as TransportError).code, 'INVALID_CONFIGURATION');
    assert.is((error as TransportError).setting, setting);
    assert.match((error as Error).message, message);
  }
});

test('a CA bundle is read once, must hold a PEM certificate, and ~ means HOME', async () => {
  const home = mkdtempSync(join(tmpdir(), 'glassbox-ca-'));
  try {
    writeFileSync(join(home, 'not-pem.txt'), 'hello');
    const error = await resolveTransportSettings({ env: { HOME: home }, profile: dev({ ca_bundle: '~/not-pem.txt' }) }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.is((error as TransportError).setting, 'ca_bundle');
    assert.match((error as Error).message, 'holds no PEM certificate');
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    writeFileSync(join(home, 'ca.pem'), pem);
    const settings = await resolveTransportSettings({
      env: { HOME: home, AWS_CA_BUNDLE: '~/ca.pem' },
      profile: dev({ ca_bundle: '~/not-pem.txt' }),
    });
    assert.equal(settings.ca, { pem, path: join(home, 'ca.pem'), from: 'AWS_CA_BUNDLE' });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('timeouts default to 10 s to connect and 30 s to read; 0 means no limit', async () => {
  const defaults = await resolveTransportSettings({ env: {} });
  assert.is(defaults.connectTimeoutMs, 10_000);
  assert.is(defaults.readTimeoutMs, 30_000);
  const none = await resolveTransportSettings({ env: {}, connectTimeoutMs: 0, readTimeoutMs: 0 });
  assert.is(none.connectTimeoutMs, 0);
  assert.is(none.readTimeoutMs, 0);
});

test.run();
