import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { displayProxy, proxyFor } from '../src/transport/index.ts';

const HTTPS = new URL('https://api.ecr.us-east-1.amazonaws.com/');
const HTTP = new URL('http://127.0.0.1:4566/');
const P = 'http://proxy.test:3128';

// [target, env, expected proxy]
const proxyRows: Array<[URL, Record<string, string>, string | undefined]> = [
  [HTTPS, {}, undefined],
  [HTTPS, { HTTPS_PROXY: P }, P],
  [HTTPS, { https_proxy: P }, P],
  [HTTPS, { https_proxy: P, HTTPS_PROXY: 'http://other:1' }, P],
  [HTTPS, { HTTP_PROXY: P }, undefined],
  [HTTP, { HTTP_PROXY: P }, P],
  [HTTP, { http_proxy: P }, P],
  [HTTP, { HTTPS_PROXY: P }, undefined],
  [HTTPS, { HTTPS_PROXY: '  ' }, undefined],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: '*' }, undefined],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' }, undefined],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: '.amazonaws.com' }, undefined],
  [HTTPS, { HTTPS_PROXY: P, no_proxy: '*.amazonaws.com' }, undefined],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: 'example.com, api.ecr.us-east-1.amazonaws.com' }, undefined],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: 'api.ecr.us-east-1.amazonaws.com:443' }, undefined],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: 'api.ecr.us-east-1.amazonaws.com:8443' }, P],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: 'zonaws.com' }, P],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com.cn' }, P],
  [HTTP, { HTTP_PROXY: P, NO_PROXY: '127.0.0.1' }, undefined],
  [HTTP, { HTTP_PROXY: P, NO_PROXY: '127.0.0.1:4566' }, undefined],
  [HTTP, { HTTP_PROXY: P, NO_PROXY: '127.0.0.2' }, P],
  [HTTP, { HTTP_PROXY: P, NO_PROXY: 'localhost' }, P],
  [new URL('http://[::1]:4566/'), { HTTP_PROXY: P, NO_PROXY: '[::1]:4566' }, undefined],
  [new URL('http://[::1]:4566/'), { HTTP_PROXY: P, NO_PROXY: '::1' }, undefined],
  [new URL('http://[::1]:4566/'), { HTTP_PROXY: P, NO_PROXY: '[::1]:80' }, P],
  [HTTPS, { HTTPS_PROXY: P, NO_PROXY: ',, ,' }, P],
];

test(`proxyFor: ${proxyRows.length} rows of HTTPS_PROXY / HTTP_PROXY / NO_PROXY`, () => {
  for (const [url, env, expected] of proxyRows) {
    assert.is(proxyFor(url, { env }), expected, `${url.href} ${JSON.stringify(env)}`);
  }
});

test('an explicit proxy option wins, and false turns proxies off', () => {
  assert.is(proxyFor(HTTPS, { env: { HTTPS_PROXY: P }, proxy: 'http://mine:8080' }), 'http://mine:8080');
  assert.is(proxyFor(HTTPS, { env: { HTTPS_PROXY: P }, proxy: false }), undefined);
});

test('a proxy URL in a trace loses its user info', () => {
  assert.is(displayProxy('http://user:pw@proxy.test:3128'), 'http://proxy.test:3128/ (with credentials)');
  assert.is(displayProxy('http://proxy.test:3128'), 'http://proxy.test:3128/');
  assert.is(displayProxy('::'), '[unparseable proxy URL]');
});

test.run();
