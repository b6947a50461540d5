import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { backoffDelay, ClockOffsets, closeConnections, send, sendWithRetries, userAgent, VERSION } from '../src/http.ts';

test('backoff: full jitter under an exponential ceiling, 100 ms base (500 ms throttled), capped at 20 s', () => {
  assert.is(backoffDelay(1, { random: () => 0.999 }), 99);
  assert.is(backoffDelay(2, { random: () => 0.5 }), 100);
  assert.is(backoffDelay(3, { random: () => 0.5 }), 200);
  assert.is(backoffDelay(1, { random: () => 0.5, throttling: true }), 250);
  assert.is(backoffDelay(3, { random: () => 0.5, throttling: true }), 1000);
  assert.is(backoffDelay(30, { random: () => 0.5 }), 10_000);
  assert.is(backoffDelay(5, { random: () => 0 }), 0);
});

test('the user-agent names glassbox and its version first', () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
  assert.ok(userAgent('api/ecr#GetAuthorizationToken').startsWith(`glassbox/${VERSION} node/${process.version} `));
  assert.ok(userAgent('api/ecr#GetAuthorizationToken').endsWith(' api/ecr#GetAuthorizationToken'));
});

/** A server that records what it receives and answers with `answer(n)`; n counts from 1. */
async function recordingServer(
  answer: (n: number, socket: Socket) => { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'drop',
) {
  const seen: Array<{ headers: IncomingHttpHeaders; remotePort: number | undefined }> = [];
  const server = createServer((req, res) => {
    seen.push({ headers: req.headers, remotePort: req.socket.remotePort });
    const reply = answer(seen.length, req.socket);
    if (reply === 'hang') return;
    if (reply === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('send: reuses kept-alive connections between calls', async () => {
  const server = await recordingServer(() => ({ status: 200, body: 'ok' }));
  try {
    for (let i = 0; i < 3; i++) {
      const response = await send({ method: 'GET', url: server.url, headers: { 'user-agent': userAgent() } });
      assert.is(response.body, 'ok');
    }
    // Without keep-alive every request would open its own socket.
    assert.ok(new Set(server.seen.map((s) => s.remotePort)).size < 3, 'sockets are reused');
    assert.match(String(server.seen[0]?.headers['user-agent']), /^glassbox\//);
  } finally {
    await server.close();
    await closeConnections();
  }
});

test('send: a request that gets no answer times out as TIMEOUT', async () => {
  const server = await recordingServer(() => 'hang');
  try {
    const started = Date.now();
    try {
      await send({ method: 'POST', url: server.url, headers: {}, body: '{}' }, { requestTimeoutMs: 100 });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, EcrError);
      assert.is((error as EcrError).code, 'TIMEOUT');
    }
    assert.ok(Date.now() - started < 900);
  } finally {
    await server.close();
    await closeConnections();
  }
});

// undici's connect timeout covers the TLS handshake, so a TCP server on 127.0.0.1 that accepts and then
// never answers the ClientHello stands in for an unreachable host (only 127.0.0.1 may be a target here).
test('send: a TLS handshake that never completes is a TIMEOUT naming the connect limit, not the request one', async () => {
  const sockets = new Set<Socket>();
  const silent = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  try {
    const started = Date.now();
    const error = await send(
      { method: 'POST', url: `https://127.0.0.1:${port}/`, headers: {}, body: '{}' },
      { connectTimeoutMs: 150, requestTimeoutMs: 5_000 },
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'TIMEOUT');
    assert.match((error as EcrError).message, /connecting to 127\.0\.0\.1:\d+ took longer than 150 ms/);
    assert.ok(Date.now() - started < 2_000, 'the connect limit, not the 5 s request limit, ended it');
    assert.is(sockets.size, 1, 'the TCP connection was made: only the handshake stalled');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await closeConnections();
  }
});

test('sendWithRetries: retries a dropped connection and a 503, then stops at 3 attempts', async () => {
  const server = await recordingServer((n) =>
    n === 1 ? 'drop' : { status: 503, body: '{"__type":"ServiceUnavailable","message":"busy"}' },
  );
  const sleeps: number[] = [];
  try {
    const result = await sendWithRetries(server.url, async () => ({ method: 'POST', url: server.url, headers: {}, body: '{}' }), {
      random: () => 1 - Number.EPSILON,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    assert.is(server.seen.length, 3);
    assert.is(result.attempts, 3);
    assert.is(result.error?.code, 'ServiceUnavailable');
    assert.is(result.retryable, true);
    assert.equal(sleeps, [99, 199]);
  } finally {
    await server.close();
    await closeConnections();
  }
});

test('sendWithRetries: never retries an auth error, even with a 5xx status', async () => {
  const server = await recordingServer(() => ({ status: 500, body: '{"__type":"UnrecognizedClientException","message":"no"}' }));
  try {
    const result = await sendWithRetries(server.url, async () => ({ method: 'POST', url: server.url, headers: {} }), {
      sleep: async () => {},
    });
    assert.is(server.seen.length, 1);
    assert.is(result.retryable, false);
  } finally {
    await server.close();
    await closeConnections();
  }
});

test('sendWithRetries: on a skew error, re-signs with the Date header’s offset and remembers it per host', async () => {
  const serverTime = Date.UTC(2030, 0, 1, 12, 0, 0);
  const server = await recordingServer((n) =>
    n === 1
      ? {
          status: 400,
          headers: { date: new Date(serverTime).toUTCString() },
          body: '{"__type":"InvalidSignatureException","message":"Signature expired: 20300101T113000Z is now earlier than 20300101T115500Z (20300101T120000Z - 5 min.)"}',
        }
      : { status: 200, body: '{}' },
  );
  const offsets = new ClockOffsets();
  const signedAt: number[] = [];
  const localTime = serverTime - 3_600_000;
  try {
    const result = await sendWithRetries(
      server.url,
      async (time) => {
        signedAt.push(time);
        return { method: 'POST', url: server.url, headers: {} };
      },
      { now: () => localTime, clockOffsets: offsets, sleep: async () => {} },
    );
    assert.is(result.error, undefined);
    assert.equal(signedAt, [localTime, serverTime]);
    assert.is(offsets.get(new URL(server.url).host), 3_600_000);
    assert.is(offsets.get('elsewhere.example:443'), 0);
  } finally {
    await server.close();
    await closeConnections();
  }
});

test('sendWithRetries: rejects a nonsensical maxAttempts', async () => {
  for (const maxAttempts of [0, -1, 1.5, 101]) {
    try {
      await sendWithRetries('http://127.0.0.1:9/', async () => ({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {} }), {
        maxAttempts,
      });
      assert.unreachable();
    } catch (error) {
      assert.is((error as EcrError).code, 'INVALID_CONFIGURATION');
    }
  }
});

test('an aborted signal stops a backoff wait', async () => {
  const server = await recordingServer(() => ({ status: 503, body: '' }));
  const controller = new AbortController();
  try {
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    try {
      // A real sleep of up to 20 s would follow the 503 without the abort.
      await sendWithRetries(server.url, async () => ({ method: 'GET', url: server.url, headers: {} }), {
        signal: controller.signal,
        random: () => 0.99,
        maxAttempts: 20,
      });
      assert.unreachable();
    } catch (error) {
      assert.is((error as EcrError).code, 'ABORTED');
    }
    assert.ok(Date.now() - started < 5_000);
  } finally {
    await server.close();
    await closeConnections();
  }
});

test.run();
