import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHttp, startSilent } from '../../../test/support/network-peers.ts';
import { createHttpClient } from '../src/credentials/http-client.ts';
import { AwsError as EcrError } from '../src/errors.ts';
import { closeConnections, transportSettingsSync } from '../src/transport/index.ts';
import { startProxy } from './forward-proxy.ts';

test.after.each(() => closeConnections());

test('AWS API calls (retry: true) are retried up to the settings’ attempts; metadata calls are sent once', async () => {
  let requests = 0;
  const server = await startHttp((_req, res) => {
    requests++;
    res.writeHead(503, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>');
  });
  try {
    const http = createHttpClient(transportSettingsSync({ env: { AWS_MAX_ATTEMPTS: '2' } }));
    const url = `http://127.0.0.1:${server.port}/`;
    const retried = await http(url, { method: 'POST', body: 'Action=AssumeRole', timeoutMs: 2_000, retry: true });
    assert.is(retried.status, 503);
    assert.is(requests, 2);
    requests = 0;
    await http(url, { method: 'GET', timeoutMs: 2_000 });
    assert.is(requests, 1);
  } finally {
    await server.close();
  }
});

test('an STS Throttling answer (HTTP 400, XML <Code>) counts as retryable', async () => {
  let requests = 0;
  const server = await startHttp((_req, res) => {
    requests++;
    if (requests === 1)
      res.writeHead(400).end('<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>');
    else res.writeHead(200).end('<ok/>');
  });
  try {
    const http = createHttpClient(transportSettingsSync({ env: {} }));
    const response = await http(`http://127.0.0.1:${server.port}/`, { method: 'POST', timeoutMs: 5_000, retry: true });
    assert.is(response.status, 200);
    assert.is(requests, 2);
  } finally {
    await server.close();
  }
});

test('only a call that names a proxy uses one: HTTP_PROXY in the settings does not reach metadata calls', async () => {
  const proxy = await startProxy();
  const server = await startHttp((_req, res) => res.writeHead(200).end('{}'));
  try {
    const http = createHttpClient(transportSettingsSync({ env: { HTTP_PROXY: proxy.url } }));
    const url = `http://127.0.0.1:${server.port}/latest/api/token`;
    await http(url, { method: 'PUT', timeoutMs: 2_000 });
    assert.equal(proxy.seen, []);
    await http(url, { method: 'POST', timeoutMs: 2_000, proxy: proxy.url });
    assert.equal(proxy.seen, [`CONNECT 127.0.0.1:${server.port}`]);
  } finally {
    await server.close();
    await proxy.close();
  }
});

test('failures are EcrErrors with the package’s codes: TIMEOUT, and INVALID_RESPONSE for an oversized answer', async () => {
  const silent = await startSilent();
  const big = await startHttp((_req, res) => res.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 'x')));
  try {
    const http = createHttpClient(transportSettingsSync({ env: {} }));
    const timeout = await http(`http://127.0.0.1:${silent.port}/`, { method: 'GET', timeoutMs: 150 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(timeout, EcrError);
    assert.is((timeout as EcrError).code, 'TIMEOUT');
    const tooBig = await http(`http://127.0.0.1:${big.port}/`, { method: 'GET', timeoutMs: 2_000 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(tooBig, EcrError);
    assert.is((tooBig as EcrError).code, 'INVALID_RESPONSE');
  } finally {
    await silent.close();
    await big.close();
  }
});

test.run();
