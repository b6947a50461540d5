// The emulator's `port` and `onCall` options, which `glassbox emulator` is built on: a port chosen by the
// caller (and a clear error when it is taken), and one report per request as its answer goes out.
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sign } from '@glassbox/sigv4';
import { startEcrEmulator, type EmulatorCall } from '../src/emulator.ts';
import { EcrError } from '../src/errors.ts';

const KEY = { accessKeyId: 'AKIDPORTLOGTEST00001', secretAccessKey: 'port-log-test-secret-0000000000000000000' };
const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';

/** A listener on 127.0.0.1 holding a port nobody else has; closed by the caller. */
function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

/** POSTs a GetAuthorizationToken signed with `secret`; resolves with the status. */
async function call(url: string, secret: string): Promise<number> {
  const signed = await sign(
    { method: 'POST', url: `${url}/`, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET }, body: '{}' },
    { credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: secret }, region: 'us-east-1', service: 'ecr' },
  );
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/`, { method: 'POST', headers: signed.request.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

test('listens on the port it is given', async () => {
  const held = await holdPort();
  const port = held.port;
  await new Promise<void>((resolve) => held.server.close(() => resolve()));
  const emulator = await startEcrEmulator({ credentials: [KEY], port });
  try {
    assert.is(emulator.port, port);
    assert.is(emulator.url, `http://127.0.0.1:${port}`);
    assert.is(await call(emulator.url, KEY.secretAccessKey), 200);
  } finally {
    await emulator.close();
  }
});

test('a port in use is an INVALID_CONFIGURATION error naming it', async () => {
  const held = await holdPort();
  try {
    await startEcrEmulator({ credentials: [KEY], port: held.port });
    assert.unreachable('started on a port that is taken');
  } catch (error) {
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'INVALID_CONFIGURATION');
    assert.match((error as Error).message, `127.0.0.1:${held.port} is in use`);
  } finally {
    await new Promise<void>((resolve) => held.server.close(() => resolve()));
  }
});

test('a port out of range is refused before listening', async () => {
  for (const port of [-1, 65_536, 1.5]) {
    try {
      await startEcrEmulator({ credentials: [KEY], port });
      assert.unreachable(`port ${port} accepted`);
    } catch (error) {
      assert.is((error as EcrError).code, 'INVALID_CONFIGURATION');
      assert.match((error as Error).message, 'port must be a whole number from 0 to 65535');
    }
  }
});

test("onCall reports each request as it is answered: outcome, status and AWS's message", async () => {
  const seen: EmulatorCall[] = [];
  const emulator = await startEcrEmulator({ credentials: [KEY], onCall: (c) => seen.push({ ...c }), faults: { throttleFirst: 1 } });
  try {
    assert.is(await call(emulator.url, KEY.secretAccessKey), 400);
    assert.is(seen.length, 1, 'reported when answered, not later');
    assert.is(await call(emulator.url, 'not-the-secret-0000000000000000000000000'), 400);
    assert.is(await call(emulator.url, KEY.secretAccessKey), 200);
    assert.equal(
      seen.map((c) => [c.index, c.status, c.outcome, c.accessKeyId]),
      [
        [1, 400, 'ThrottlingException', KEY.accessKeyId],
        [2, 400, 'InvalidSignatureException', KEY.accessKeyId],
        [3, 200, 'ok', KEY.accessKeyId],
      ],
    );
    assert.is(seen[0]!.message, 'Rate exceeded');
    assert.match(seen[1]!.message ?? '', /^The request signature we calculated does not match/);
    assert.is(seen[2]!.message, undefined);
  } finally {
    await emulator.close();
  }
});

test('onCall reports a dropped connection as dropped, status 0', async () => {
  const seen: EmulatorCall[] = [];
  const emulator = await startEcrEmulator({ credentials: [KEY], onCall: (c) => seen.push({ ...c }), faults: { dropFirst: 1 } });
  try {
    await call(emulator.url, KEY.secretAccessKey).then(
      () => assert.unreachable('answered a dropped request'),
      () => undefined,
    );
    assert.equal(
      seen.map((c) => [c.status, c.outcome]),
      [[0, 'dropped']],
    );
  } finally {
    await emulator.close();
  }
});

test.run();
