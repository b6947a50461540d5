import { randomBytes } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closedPort,
  makeCertificate,
  startHttp,
  startSilent,
  startTlsFront,
  type TestCertificate,
} from '../../../test/support/network-peers.ts';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import {
  closeConnections,
  exchange,
  MAX_ERROR_BODY_BYTES,
  resolveTransportSettings,
  TransportError,
  transportSettingsSync,
  type TransportSettings,
} from '../src/transport/index.ts';
import { startProxy } from './forward-proxy.ts';

const settings = (over: Partial<TransportSettings> = {}): TransportSettings => ({ ...transportSettingsSync({ env: {} }), ...over });

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, TransportError);
    return error as TransportError;
  }
  throw new Error('expected a TransportError');
}

const plain = suite('exchange over plain HTTP on 127.0.0.1');
plain.after.each(() => closeConnections());

plain('sends the path and query exactly as given and the body as bytes; returns the body as bytes', async () => {
  const sent = new Uint8Array(256).map((_, i) => i);
  const answer = randomBytes(4096);
  let seen: { url: string | undefined; body: Buffer } | undefined;
  const server = await startHttp((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen = { url: req.url, body: Buffer.concat(chunks) };
      res.writeHead(200, { 'x-one': 'a' }).end(answer);
    });
  });
  try {
    const response = await exchange(
      {
        method: 'PUT',
        url: `http://127.0.0.1:${server.port}/a%2Fb/./c?b=2&a=%41`,
        headers: { 'content-type': 'application/octet-stream' },
        body: sent,
      },
      settings(),
    );
    assert.is(seen?.url, '/a%2Fb/./c?b=2&a=%41');
    assert.equal([...(seen?.body ?? [])], [...sent]);
    assert.is(response.status, 200);
    assert.is(response.headers['x-one'], 'a');
    assert.ok(Buffer.from(response.body).equals(answer), 'the body is the bytes sent, not a decoding of them');
    assert.is(response.truncated, undefined);
  } finally {
    await server.close();
  }
});

plain('a body on a GET or DELETE is framed by Content-Length, so the next request on the kept-alive connection stays its own', async () => {
  const seen: Array<{ method: string | undefined; length: string | undefined; body: string; port: number | undefined }> = [];
  const server = await startHttp((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method,
        length: req.headers['content-length'],
        body: Buffer.concat(chunks).toString(),
        port: req.socket.remotePort,
      });
      res.writeHead(200).end('ok');
    });
  });
  try {
    const url = `http://127.0.0.1:${server.port}/index/_search`;
    // An OpenSearch _search: a GET with a JSON body, then a DELETE on the same connection.
    const search = await exchange({ method: 'GET', url, headers: {}, body: '{"query":{}}' }, settings());
    const remove = await exchange({ method: 'DELETE', url, headers: {}, body: 'x' }, settings());
    assert.equal([search.status, remove.status], [200, 200]);
    assert.equal(
      seen.map(({ method, length, body }) => ({ method, length, body })),
      [
        { method: 'GET', length: '12', body: '{"query":{}}' },
        { method: 'DELETE', length: '1', body: 'x' },
      ],
    );
    assert.is(seen[0]?.port, seen[1]?.port, 'one kept-alive connection');
  } finally {
    await server.close();
  }
});

plain('a refused connection is NETWORK_ERROR, kind refused, with a hint about the endpoint and its port', async () => {
  const port = await closedPort();
  const error = await failure(exchange({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }, settings()));
  assert.is(error.code, 'NETWORK_ERROR');
  assert.is(error.kind, 'refused');
  assert.is(error.causeCode, 'ECONNREFUSED');
  assert.match(error.message, `nothing accepts connections at 127.0.0.1:${port}`);
  assert.match(error.message, 'Check the endpoint URL and its port');
});

plain('no answer within the read timeout is TIMEOUT, kind read-timeout, naming the limit', async () => {
  const silent = await startSilent();
  try {
    const error = await failure(
      exchange({ method: 'GET', url: `http://127.0.0.1:${silent.port}/`, headers: {} }, settings({ readTimeoutMs: 150 })),
    );
    assert.is(error.code, 'TIMEOUT');
    assert.is(error.kind, 'read-timeout');
    assert.match(error.message, `127.0.0.1:${silent.port} did not answer within 150 ms`);
  } finally {
    await silent.close();
  }
});

plain('the read timeout is per pause: a body that stops moving fails, one that keeps moving does not', async () => {
  const server = await startHttp((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first piece');
    if (req.url === '/stalls') return; // nothing more, ever
    let sent = 0;
    const timer = setInterval(() => {
      res.write('.');
      if (++sent === 8) {
        clearInterval(timer);
        res.end();
      }
    }, 100);
  });
  try {
    const stalled = await failure(
      exchange({ method: 'GET', url: `http://127.0.0.1:${server.port}/stalls`, headers: {} }, settings({ readTimeoutMs: 500 })),
    );
    assert.is(stalled.kind, 'read-timeout');
    assert.match(stalled.message, 'stalled: no data for 500 ms');
    // 8 pieces 100 ms apart take longer than one 500 ms read timeout, yet no single pause comes near it.
    const moving = await exchange(
      { method: 'GET', url: `http://127.0.0.1:${server.port}/moves`, headers: {} },
      settings({ readTimeoutMs: 500 }),
    );
    assert.is(Buffer.from(moving.body).toString(), 'first piece........');
  } finally {
    await server.close();
  }
});

plain('a read timeout of 0 waits for a late answer', async () => {
  const server = await startHttp((_req, res) => setTimeout(() => res.writeHead(200).end('late'), 300));
  try {
    const response = await exchange(
      { method: 'GET', url: `http://127.0.0.1:${server.port}/`, headers: {} },
      settings({ readTimeoutMs: 0 }),
    );
    assert.is(Buffer.from(response.body).toString(), 'late');
  } finally {
    await server.close();
  }
});

plain('a connection closed in the middle of the body is NETWORK_ERROR, kind reset', async () => {
  const server = await startHttp((_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('only ten b');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  try {
    const error = await failure(exchange({ method: 'GET', url: `http://127.0.0.1:${server.port}/`, headers: {} }, settings()));
    assert.is(error.code, 'NETWORK_ERROR');
    assert.is(error.kind, 'reset');
    assert.match(error.message, 'closed before the response was complete');
  } finally {
    await server.close();
  }
});

/** A server answering 500 with a body of `total` bytes, streamed in 64 KiB pieces while the client reads; it counts what it wrote. */
async function hugeErrorBody(total: number, declareLength: boolean) {
  const piece = Buffer.alloc(64 * 1024, 'x');
  const written = { bytes: 0 };
  const server = await startHttp((_req, res) => {
    res.writeHead(500, declareLength ? { 'content-length': String(total) } : {});
    const more = (): void => {
      while (written.bytes < total) {
        written.bytes += piece.length;
        if (!res.write(piece)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    more();
  });
  return { server, written };
}

plain('a 100 MB error body is read up to 1 MiB, not waited for, and reported with its Content-Length', async () => {
  const total = 100 * 1024 * 1024;
  const { server, written } = await hugeErrorBody(total, true);
  try {
    const response = await exchange({ method: 'GET', url: `http://127.0.0.1:${server.port}/`, headers: {} }, settings());
    assert.is(response.status, 500);
    assert.is(response.body.length, MAX_ERROR_BODY_BYTES);
    assert.equal(response.truncated, { kept: MAX_ERROR_BODY_BYTES, totalBytes: total });
    assert.ok(written.bytes < total / 4, `the server wrote ${written.bytes} bytes: the rest was never read`);
  } finally {
    await server.close();
  }
});

plain('a chunked error body over the limit is cut too, its size unknown', async () => {
  const { server } = await hugeErrorBody(8 * 1024 * 1024, false);
  try {
    const response = await exchange({ method: 'GET', url: `http://127.0.0.1:${server.port}/`, headers: {} }, settings());
    assert.equal(response.truncated, { kept: MAX_ERROR_BODY_BYTES, totalBytes: undefined });
  } finally {
    await server.close();
  }
});

plain('a success body over maxBodyBytes is RESPONSE_TOO_LARGE; without a limit it is read whole', async () => {
  const server = await startHttp((_req, res) => res.writeHead(200).end(Buffer.alloc(3 * 1024 * 1024, 'y')));
  try {
    const url = `http://127.0.0.1:${server.port}/`;
    const error = await failure(exchange({ method: 'GET', url, headers: {} }, settings(), { maxBodyBytes: 1024 * 1024 }));
    assert.is(error.code, 'RESPONSE_TOO_LARGE');
    const whole = await exchange({ method: 'GET', url, headers: {} }, settings());
    assert.is(whole.body.length, 3 * 1024 * 1024);
  } finally {
    await server.close();
  }
});

plain('DNS failures, from an injected lookup (no real name is resolved): ENOTFOUND and EAI_AGAIN are kind dns', async () => {
  const asked: string[] = [];
  const failing = (code: string): LookupFunction =>
    ((hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null) => void) => {
      asked.push(hostname);
      // The shape Node's dns.lookup gives its callback (errno, syscall, hostname).
      callback(
        Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
          code,
          errno: code === 'ENOTFOUND' ? -3008 : -3001,
          syscall: 'getaddrinfo',
          hostname,
        }),
      );
    }) as unknown as LookupFunction;
  const notFound = await failure(
    exchange(
      { method: 'GET', url: 'http://registry.invalid-glassbox-test:8080/', headers: {} },
      settings({ lookup: failing('ENOTFOUND') }),
    ),
  );
  assert.is(notFound.kind, 'dns');
  assert.is(notFound.causeCode, 'ENOTFOUND');
  assert.match(notFound.message, 'the name registry.invalid-glassbox-test could not be resolved (ENOTFOUND)');
  assert.match(notFound.hint ?? '', /DNS/);
  const again = await failure(
    exchange(
      { method: 'GET', url: 'http://registry.invalid-glassbox-test:8080/', headers: {} },
      settings({ lookup: failing('EAI_AGAIN') }),
    ),
  );
  assert.is(again.causeCode, 'EAI_AGAIN');
  assert.match(again.message, 'did not answer in time');
  assert.equal(asked, ['registry.invalid-glassbox-test', 'registry.invalid-glassbox-test']);
});

plain('HTTP_PROXY carries http requests (a CONNECT at the proxy); NO_PROXY and direct bypass it', async () => {
  const proxy = await startProxy();
  const server = await startHttp((_req, res) => res.writeHead(200).end('ok'));
  try {
    const url = `http://127.0.0.1:${server.port}/`;
    const via = await exchange({ method: 'GET', url, headers: {} }, settings({ env: { HTTP_PROXY: proxy.url } }));
    assert.is(Buffer.from(via.body).toString(), 'ok');
    assert.is(via.via, `${proxy.url}/`);
    assert.equal(proxy.seen, [`CONNECT 127.0.0.1:${server.port}`]);
    await exchange({ method: 'GET', url, headers: {} }, settings({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }));
    await exchange({ method: 'GET', url, headers: {} }, settings({ env: { HTTP_PROXY: proxy.url } }), { direct: true });
    assert.is(proxy.seen.length, 1, 'neither went through the proxy');
  } finally {
    await server.close();
    await proxy.close();
  }
});

plain('a proxy that refuses the tunnel is kind proxy, with a hint about HTTPS_PROXY and NO_PROXY', async () => {
  const proxy = await startProxy(); // it tunnels to 127.0.0.1 only: anything else gets 403, unresolved
  try {
    const error = await failure(
      exchange({ method: 'GET', url: 'http://localhost:9/', headers: {} }, settings({ env: { HTTP_PROXY: proxy.url } })),
    );
    assert.is(error.kind, 'proxy');
    assert.match(error.message, 'refused to open a tunnel to localhost:9 (HTTP 403)');
    assert.match(error.message, 'NO_PROXY');
  } finally {
    await proxy.close();
  }
});

plain('a header value HTTP cannot carry is INVALID_REQUEST, not a crash', async () => {
  const server = await startHttp((_req, res) => res.writeHead(200).end());
  try {
    const error = await failure(
      exchange({ method: 'GET', url: `http://127.0.0.1:${server.port}/`, headers: { 'x-bad': 'line\nbreak' } }, settings()),
    );
    assert.is(error.code, 'INVALID_REQUEST');
  } finally {
    await server.close();
  }
});

plain.run();

const tls = suiteNeeding<{ trusted: TestCertificate; otherName: TestCertificate }>(
  'exchange over TLS on 127.0.0.1 (certificates from openssl)',
  ['openssl'],
  {} as never,
);
let backend: Awaited<ReturnType<typeof startHttp>>;
let front: Awaited<ReturnType<typeof startTlsFront>>;
let wrongName: Awaited<ReturnType<typeof startTlsFront>>;
tls.before(async (context) => {
  context.trusted = makeCertificate('IP:127.0.0.1');
  context.otherName = makeCertificate('DNS:localhost');
  backend = await startHttp((_req, res) => res.writeHead(200).end('over tls'));
  front = await startTlsFront(context.trusted, backend.port);
  wrongName = await startTlsFront(context.otherName, backend.port);
});
tls.after(async (context) => {
  await closeConnections();
  await front.close();
  await wrongName.close();
  await backend.close();
  context.trusted.remove();
  context.otherName.remove();
});

tls('a self-signed certificate is untrusted: NETWORK_ERROR with the AWS_CA_BUNDLE / NODE_EXTRA_CA_CERTS hint', async () => {
  const error = await failure(exchange({ method: 'GET', url: `https://127.0.0.1:${front.port}/`, headers: {} }, settings()));
  assert.is(error.code, 'NETWORK_ERROR');
  assert.is(error.kind, 'untrusted-certificate');
  assert.is(error.causeCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  assert.match(error.message, 'self-signed');
  assert.match(error.message, 'AWS_CA_BUNDLE');
  assert.match(error.message, 'NODE_EXTRA_CA_CERTS');
});

tls('with that certificate as AWS_CA_BUNDLE (or the profile’s ca_bundle) the same call succeeds', async ({ trusted }) => {
  for (const input of [
    { env: { AWS_CA_BUNDLE: trusted.certFile } },
    { env: {}, profile: { name: 'dev', values: { ca_bundle: trusted.certFile } } },
  ]) {
    const withBundle = await resolveTransportSettings(input);
    const response = await exchange({ method: 'GET', url: `https://127.0.0.1:${front.port}/`, headers: {} }, withBundle);
    assert.is(Buffer.from(response.body).toString(), 'over tls');
  }
});

tls('a CA bundle that lacks the issuer: the hint names the bundle, which replaces the default roots', async ({ otherName }) => {
  const withBundle = await resolveTransportSettings({ env: { AWS_CA_BUNDLE: otherName.certFile } });
  const error = await failure(exchange({ method: 'GET', url: `https://127.0.0.1:${front.port}/`, headers: {} }, withBundle));
  assert.is(error.kind, 'untrusted-certificate');
  assert.match(error.message, 'The CA bundle from AWS_CA_BUNDLE replaces the default roots');
});

tls('a trusted certificate for another name is kind hostname-mismatch', async ({ otherName }) => {
  const withBundle = await resolveTransportSettings({ env: { AWS_CA_BUNDLE: otherName.certFile } });
  const error = await failure(exchange({ method: 'GET', url: `https://127.0.0.1:${wrongName.port}/`, headers: {} }, withBundle));
  assert.is(error.kind, 'hostname-mismatch');
  assert.is(error.causeCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.match(error.message, 'is for another name');
});

tls('a Host header names the certificate to check (SNI too), as undici does: an address can stand for the service', async () => {
  const service = makeCertificate('DNS:ecr.example.test');
  const named = await startTlsFront(service, backend.port);
  try {
    const withBundle = await resolveTransportSettings({ env: { AWS_CA_BUNDLE: service.certFile } });
    const url = `https://127.0.0.1:${named.port}/`;
    const response = await exchange({ method: 'GET', url, headers: { Host: 'ecr.example.test' } }, withBundle);
    assert.is(Buffer.from(response.body).toString(), 'over tls');
    const error = await failure(exchange({ method: 'GET', url, headers: {} }, withBundle));
    assert.is(error.kind, 'hostname-mismatch', 'without the Host header the address is what the certificate must name');
  } finally {
    await closeConnections();
    await named.close();
    service.remove();
  }
});

tls('https to a plain-HTTP port is kind not-tls ("wrong version number"), with the http-vs-https hint', async () => {
  const error = await failure(exchange({ method: 'GET', url: `https://127.0.0.1:${backend.port}/`, headers: {} }, settings()));
  assert.is(error.kind, 'not-tls');
  assert.match(error.message, 'did not answer in TLS');
  assert.match(error.message, 'Use http:// instead of https://');
});

tls('http to a TLS port is a reset whose hint mentions https', async () => {
  const error = await failure(exchange({ method: 'GET', url: `http://127.0.0.1:${front.port}/`, headers: {} }, settings()));
  assert.is(error.kind, 'reset');
  assert.match(error.message, 'If the endpoint serves https, use https://');
});

tls('through HTTPS_PROXY the CA bundle still applies to the service behind the tunnel', async ({ trusted }) => {
  const proxy = await startProxy();
  try {
    const withBundle = await resolveTransportSettings({ env: { AWS_CA_BUNDLE: trusted.certFile, HTTPS_PROXY: proxy.url } });
    const response = await exchange({ method: 'GET', url: `https://127.0.0.1:${front.port}/`, headers: {} }, withBundle);
    assert.is(Buffer.from(response.body).toString(), 'over tls');
    assert.equal(proxy.seen, [`CONNECT 127.0.0.1:${front.port}`]);
  } finally {
    await closeConnections();
    await proxy.close();
  }
});

tls.run();
