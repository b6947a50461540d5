import { connect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closedPort } from '../../../test/support/network-peers.ts';
import { classifyFailure, type FailureTarget } from '../src/transport/index.ts';

const target = (url: string, over: Partial<FailureTarget> = {}): FailureTarget => ({
  method: 'POST',
  url: new URL(url),
  connectTimeoutMs: 10_000,
  readTimeoutMs: 30_000,
  ...over,
});
/** An error shaped as Node reports it: a message and a code, maybe wrapped by undici as a cause. */
const nodeError = (code: string, message = code, wrap = false): Error => {
  const inner = Object.assign(new Error(message), { code });
  return wrap ? Object.assign(new Error('fetch failed'), { cause: inner }) : inner;
};

test('a real refused connection (net.connect to a closed 127.0.0.1 port) is kind refused and retryable', async () => {
  const port = await closedPort();
  const error = await new Promise<Error>((resolve) => connect(port, '127.0.0.1').on('error', resolve));
  const failure = classifyFailure(error, target(`http://127.0.0.1:${port}/`));
  assert.is(failure.kind, 'refused');
  assert.is(failure.retryable, true);
  assert.match(failure.what, `127.0.0.1:${port}`);
});

// [error, kind, retryable, a phrase of the hint]
const rows: Array<[Error, string, boolean, string]> = [
  [nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'untrusted-certificate', false, 'AWS_CA_BUNDLE'],
  [
    nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', true),
    'untrusted-certificate',
    false,
    'NODE_EXTRA_CA_CERTS',
  ],
  [nodeError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), 'untrusted-certificate', false, 'private or self-signed CA'],
  [nodeError('CERT_HAS_EXPIRED'), 'expired-certificate', false, 'clock'],
  [
    nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
    'hostname-mismatch',
    false,
    'host name the certificate names',
  ],
  [
    nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'error:0A00010B:SSL routines:ssl3_get_record:wrong version number'),
    'not-tls',
    false,
    'http:// instead of https://',
  ],
  [nodeError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), 'tls', false, 'TLS versions'],
  [nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.ecr.xx-nowhere-1.amazonaws.com'), 'dns', false, 'region'],
  [nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN host', true), 'dns', true, 'DNS'],
  [nodeError('EHOSTUNREACH'), 'unreachable', true, 'route'],
  [nodeError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), 'connect-timeout', true, 'raise the connect timeout'],
  [nodeError('CONNECT_TIMEOUT', 'Connect Timeout Error (150 ms)'), 'connect-timeout', true, 'raise the connect timeout'],
  [nodeError('UND_ERR_HEADERS_TIMEOUT'), 'read-timeout', true, 'raise the read timeout'],
  [nodeError('ECONNRESET', 'read ECONNRESET'), 'reset', true, 'Try again'],
  [nodeError('UND_ERR_SOCKET', 'other side closed'), 'reset', true, 'Try again'],
  [new Error('Proxy response (407) !== 200 when HTTP Tunneling'), 'proxy', false, 'proxy credentials'],
  [new Error('something else entirely'), 'other', false, 'Check the endpoint URL'],
];

test(`classifies ${rows.length} failure shapes from Node and undici into a kind, a retry decision and a hint`, () => {
  for (const [error, kind, retryable, hint] of rows) {
    const failure = classifyFailure(error, target('https://api.ecr.us-east-1.amazonaws.com/'));
    assert.is(failure.kind, kind, error.message);
    assert.is(failure.retryable, retryable, error.message);
    assert.match(failure.hint, hint, error.message);
  }
});

test('an untrusted certificate under a CA bundle blames the bundle; a refusal through a proxy blames the proxy', () => {
  const bundled = classifyFailure(
    nodeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
    target('https://127.0.0.1:1/', { caFrom: 'ca_bundle in profile "dev"' }),
  );
  assert.match(bundled.hint, 'The CA bundle from ca_bundle in profile "dev"');
  const proxied = classifyFailure(nodeError('ECONNREFUSED'), target('https://127.0.0.1:1/', { via: 'http://127.0.0.1:3128/' }));
  assert.match(proxied.what, 'the proxy http://127.0.0.1:3128/');
  assert.match(proxied.hint, 'HTTPS_PROXY');
});

test('a reset on an http:// URL suggests https (a TLS port drops plain HTTP like this)', () => {
  assert.match(classifyFailure(nodeError('ECONNRESET'), target('http://127.0.0.1:8443/')).hint, 'use https://');
  assert.not.match(classifyFailure(nodeError('ECONNRESET'), target('https://127.0.0.1:8443/')).hint, 'use https://');
});

test.run();
