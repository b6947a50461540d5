import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { cacheCredentials, createCredentialProvider, DEFAULT_REFRESH_MARGIN_MS } from '../src/credentials/cache.ts';
import { sendJson, startServer, tempHome } from './credentials-fixtures.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A container endpoint whose credentials expire `lifetime` after the (fake) clock at issue time. */
async function containerSetup(lifetimeMs: number, options: { delayMs?: number } = {}) {
  const home = await tempHome();
  const clock = { now: T0 };
  const state = { fail: false };
  const server = await startServer(async (_request, response) => {
    if (options.delayMs) await delay(options.delayMs);
    if (state.fail) return sendJson(response, 403, { message: 'endpoint down' });
    const serial = server.requests.length;
    sendJson(response, 200, {
      AccessKeyId: `ASIA${serial}`,
      SecretAccessKey: `SECRET-${serial}`,
      Token: `TOKEN-${serial}`,
      Expiration: new Date(clock.now + lifetimeMs).toISOString(),
    });
  });
  const provider = createCredentialProvider({ env: { ...home.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url }, now: () => clock.now });
  return { home, server, clock, state, provider, close: async () => (await server.close(), await home.cleanup()) };
}

test('the documented margin is five minutes', () => {
  assert.is(DEFAULT_REFRESH_MARGIN_MS, 5 * MINUTE);
});

test('temporary credentials are reused until five minutes before expiry, then refreshed', async () => {
  const t = await containerSetup(15 * MINUTE);
  try {
    assert.is((await t.provider()).accessKeyId, 'ASIA1');
    t.clock.now = T0 + 9 * MINUTE;
    assert.is((await t.provider()).accessKeyId, 'ASIA1', 'six minutes left: still cached');
    assert.is(t.server.requests.length, 1);
    t.clock.now = T0 + 10 * MINUTE;
    assert.is((await t.provider()).accessKeyId, 'ASIA2', 'five minutes left: refreshed');
    assert.is(t.server.requests.length, 2);
    t.clock.now = T0 + 19 * MINUTE;
    assert.is((await t.provider()).accessKeyId, 'ASIA2', 'the new credentials expire at T0+25min');
    assert.is(t.server.requests.length, 2);
    assert.is(t.provider.lastResolution?.source, 'container');
  } finally {
    await t.close();
  }
});

test('concurrent callers share one in-flight refresh', async () => {
  const t = await containerSetup(15 * MINUTE, { delayMs: 50 });
  try {
    const first = await Promise.all(Array.from({ length: 20 }, () => t.provider()));
    assert.is(t.server.requests.length, 1);
    assert.ok(first.every((credentials) => credentials.accessKeyId === 'ASIA1'));
    t.clock.now = T0 + 11 * MINUTE;
    const second = await Promise.all(Array.from({ length: 20 }, () => t.provider()));
    assert.is(t.server.requests.length, 2);
    assert.ok(second.every((credentials) => credentials.accessKeyId === 'ASIA2'));
  } finally {
    await t.close();
  }
});

test('a failed refresh inside the margin returns the still-valid credentials; after expiry it throws', async () => {
  const t = await containerSetup(15 * MINUTE);
  try {
    await t.provider();
    t.state.fail = true;
    t.clock.now = T0 + 12 * MINUTE;
    assert.is((await t.provider()).accessKeyId, 'ASIA1', 'three minutes left: the old credentials still work');
    assert.is(t.server.requests.length, 2, 'but a refresh was attempted');
    t.clock.now = T0 + 15 * MINUTE;
    const error = await t.provider().catch((caught: unknown) => caught);
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'CONTAINER_CREDENTIALS_FAILED');
    t.state.fail = false;
    assert.is((await t.provider()).accessKeyId, 'ASIA4', 'a failure is not cached');
  } finally {
    await t.close();
  }
});

test('credentials without an expiration are kept; invalidate() forces a new resolution', async () => {
  const home = await tempHome();
  try {
    await home.write('credentials', '[default]\naws_access_key_id = AKIDFIRST\naws_secret_access_key = SECRET-1\n');
    const provider = createCredentialProvider({ env: home.env });
    assert.is((await provider()).accessKeyId, 'AKIDFIRST');
    await home.write('credentials', '[default]\naws_access_key_id = AKIDSECOND\naws_secret_access_key = SECRET-2\n');
    assert.is((await provider()).accessKeyId, 'AKIDFIRST');
    provider.invalidate();
    assert.is((await provider()).accessKeyId, 'AKIDSECOND');
  } finally {
    await home.cleanup();
  }
});

test('cacheCredentials works over any resolver and honours a custom margin', async () => {
  let now = T0;
  let loads = 0;
  const { createCredentials } = await import('../src/credentials/credentials.ts');
  const provider = cacheCredentials(
    async () => {
      loads++;
      return {
        credentials: createCredentials({
          accessKeyId: `K${loads}`,
          secretAccessKey: 's',
          expiration: new Date(now + 60 * MINUTE),
          source: 'test',
        }),
        source: 'test',
        profile: { name: 'default', explicit: false, from: 'default' },
      };
    },
    { now: () => now, refreshMarginMs: 30 * MINUTE },
  );
  await provider();
  now = T0 + 29 * MINUTE;
  await provider();
  assert.is(loads, 1);
  now = T0 + 30 * MINUTE;
  assert.is((await provider()).accessKeyId, 'K2');
});

test.run();
