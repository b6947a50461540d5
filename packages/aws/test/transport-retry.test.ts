import type { LookupFunction } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHttp } from '../../../test/support/network-peers.ts';
import {
  closeConnections,
  RETRY_DEFAULTS,
  retryAfterMs,
  sendWithRetries,
  statusVerdict,
  TransportError,
  transportSettingsSync,
} from '../src/transport/index.ts';

test.after.each(() => closeConnections());

test('retryAfterMs reads whole seconds and HTTP dates, and caps both at 20 s', () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0);
  assert.is(RETRY_DEFAULTS.maxRetryAfterMs, 20_000);
  assert.is(retryAfterMs({ 'retry-after': '2' }, now), 2_000);
  assert.is(retryAfterMs({ 'retry-after': '0' }, now), 0);
  assert.is(retryAfterMs({ 'retry-after': '86400' }, now), 20_000);
  assert.is(retryAfterMs({ 'retry-after': new Date(now + 7_000).toUTCString() }, now), 7_000);
  assert.is(retryAfterMs({ 'retry-after': new Date(now - 7_000).toUTCString() }, now), 0);
  assert.is(retryAfterMs({ 'retry-after': 'soon' }, now), undefined);
  assert.is(retryAfterMs({}, now), undefined);
});

test('statusVerdict: 429 and 5xx other than 501 are worth another attempt', () => {
  const verdict = (status: number) => statusVerdict({ status, headers: {} });
  assert.equal(
    [429, 500, 502, 503, 504].map((s) => verdict(s).retryable),
    [true, true, true, true, true],
  );
  assert.equal(
    [400, 403, 404, 501].map((s) => verdict(s).retryable),
    [false, false, false, false],
  );
  assert.is(verdict(429).throttling, true);
});

/** A server answering each request with `answer(n)` (n from 1) that counts requests. */
async function counting(answer: (n: number) => { status: number; headers?: Record<string, string> }) {
  let requests = 0;
  const server = await startHttp((_req, res) => {
    const reply = answer(++requests);
    res.writeHead(reply.status, reply.headers ?? {}).end(`answer ${requests}`);
  });
  return { server, url: `http://127.0.0.1:${server.port}/`, requests: () => requests };
}

test('a Retry-After longer than the backoff is waited; one beyond the cap waits the cap', async () => {
  for (const [header, expected] of [
    ['3', 3_000],
    ['86400', 20_000],
  ] as const) {
    const peer = await counting((n) => (n === 1 ? { status: 503, headers: { 'retry-after': header } } : { status: 200 }));
    const sleeps: number[] = [];
    try {
      const outcome = await sendWithRetries(peer.url, async () => ({ method: 'GET', url: peer.url, headers: {} }), {
        settings: transportSettingsSync({ env: {} }),
        random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
      });
      assert.is(outcome.response.status, 200);
      assert.is(peer.requests(), 2);
      assert.equal(sleeps, [expected], `Retry-After: ${header}`);
    } finally {
      await peer.server.close();
    }
  }
});

test('a Retry-After shorter than the backoff does not shorten it', async () => {
  const peer = await counting((n) => (n === 1 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200 }));
  const sleeps: number[] = [];
  try {
    await sendWithRetries(peer.url, async () => ({ method: 'GET', url: peer.url, headers: {} }), {
      settings: transportSettingsSync({ env: {} }),
      random: () => 0.999,
      sleep: async (ms) => void sleeps.push(ms),
    });
    assert.equal(sleeps, [99]);
  } finally {
    await peer.server.close();
  }
});

test('maxAttempts is attempts in all, counted at the server: 1 sends once, 5 five times', async () => {
  for (const attempts of [1, 5]) {
    const peer = await counting(() => ({ status: 503 }));
    try {
      const outcome = await sendWithRetries(peer.url, async () => ({ method: 'GET', url: peer.url, headers: {} }), {
        settings: transportSettingsSync({ env: { AWS_MAX_ATTEMPTS: String(attempts) } }),
        sleep: async () => undefined,
      });
      assert.is(outcome.attempts, attempts);
      assert.is(peer.requests(), attempts);
      assert.is(outcome.verdict?.retryable, true);
    } finally {
      await peer.server.close();
    }
  }
});

test('a name that does not resolve is not retried; a timed-out DNS answer (EAI_AGAIN) is', async () => {
  for (const [code, expectedLookups] of [
    ['ENOTFOUND', 1],
    ['EAI_AGAIN', 3],
  ] as const) {
    let lookups = 0;
    const lookup = ((hostname: string, _options: unknown, callback: (error: Error) => void) => {
      lookups++;
      callback(Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, syscall: 'getaddrinfo', hostname }));
    }) as unknown as LookupFunction;
    const url = 'http://api.invalid-glassbox-test/';
    const error = await sendWithRetries(url, async () => ({ method: 'GET', url, headers: {} }), {
      settings: transportSettingsSync({ env: {}, lookup }),
      sleep: async () => undefined,
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(error, TransportError);
    assert.is(lookups, expectedLookups, code);
    if (expectedLookups > 1) assert.match((error as Error).message, 'gave up after 3 attempts');
  }
});

test('without a re-sign on clock skew, a skewed answer is final (the request was signed once)', async () => {
  const peer = await counting(() => ({ status: 403, headers: { date: new Date(Date.now() + 3_600_000).toUTCString() } }));
  try {
    const outcome = await sendWithRetries(peer.url, async () => ({ method: 'GET', url: peer.url, headers: {} }), {
      settings: transportSettingsSync({ env: {} }),
      classify: () => ({ retryable: false, clockSkew: true }),
      resignOnClockSkew: false,
    });
    assert.is(outcome.response.status, 403);
    assert.is(peer.requests(), 1);
  } finally {
    await peer.server.close();
  }
});

test.run();
