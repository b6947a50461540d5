import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../src/cli-error.ts';
import type { Io } from '../src/output.ts';
import { readRequestInput, type RequestInputOptions } from '../src/request-input.ts';

const dir = { path: mkdtempSync(join(tmpdir(), 'glassbox-request-input-')) };
const io = (stdin: string | Uint8Array = ''): Io => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env: {},
  cwd: dir.path,
  readStdin: async () => stdin,
});
const test = suite('readRequestInput');

test('curl-like: GET by default, POST with -d, repeated headers kept in order, URL escapes untouched', async () => {
  const get = await readRequestInput({}, 'https://h.example/a%2Fb?x=1&y=%202+3', io());
  assert.equal(get, { method: 'GET', url: 'https://h.example/a%2Fb?x=1&y=%202+3', headers: {}, scheme: 'https:', host: 'h.example' });
  const post = await readRequestInput({ header: ['X-A: 1', 'x-a: 2', 'B:3'], data: '{}' }, 'http://127.0.0.1:8080/', io());
  assert.equal(post, {
    method: 'POST',
    url: 'http://127.0.0.1:8080/',
    headers: { 'X-A': ['1', '2'], B: '3' },
    body: '{}',
    scheme: 'http:',
    host: '127.0.0.1:8080',
  });
});

test('curl-like: a raw space, control or non-ASCII character in the URL is percent-encoded as UTF-8 (signed as sent)', async () => {
  const got = await readRequestInput({}, 'https://h.example/raw space/café/📦?prefix=a b&t=\tx', io());
  assert.is(got.url, 'https://h.example/raw%20space/caf%C3%A9/%F0%9F%93%A6?prefix=a%20b&t=%09x');
});

test('-d @file and -d @- read bytes, not UTF-8 text; -d TEXT stays text', async () => {
  writeFileSync(join(dir.path, 'body.bin'), Buffer.from([0, 1, 2, 255]));
  const file = await readRequestInput({ data: '@body.bin' }, 'https://h.example/', io());
  assert.equal([...(file.body as Uint8Array)], [0, 1, 2, 255]);
  const stdin = await readRequestInput(
    { data: '@-', request: 'put' },
    'https://h.example/',
    io(Buffer.from([0xff, 0xfe, 0x0d, 0x0a, 0x80])),
  );
  assert.equal([...(stdin.body as Uint8Array)], [0xff, 0xfe, 0x0d, 0x0a, 0x80]);
  assert.is(stdin.method, 'PUT');
  const embedded = await readRequestInput({ data: '@-' }, 'https://h.example/', io('caf\u00e9'));
  assert.equal([...(embedded.body as Uint8Array)], [0x63, 0x61, 0x66, 0xc3, 0xa9], 'text from an embedder is taken as UTF-8');
  assert.is((await readRequestInput({ data: 'caf\u00e9' }, 'https://h.example/', io())).body, 'caf\u00e9');
});

test('--request-file keeps the body as the bytes on disk, CRLFs and non-UTF-8 included', async () => {
  const body = Buffer.from([0x2d, 0x2d, 0x78, 0x0d, 0x0a, 0xff, 0x00, 0x0d, 0x0a]);
  writeFileSync(join(dir.path, 'multipart.http'), Buffer.concat([Buffer.from('POST /u HTTP/1.1\r\nHost: h.example\r\n\r\n'), body]));
  const request = await readRequestInput({ requestFile: 'multipart.http' }, undefined, io());
  assert.equal([...(request.body as Uint8Array)], [...body]);
  const fromStdin = await readRequestInput(
    { requestFile: '-' },
    undefined,
    io(Buffer.concat([Buffer.from('POST /u HTTP/1.1\nHost: h.example\n\n'), body])),
  );
  assert.equal([...(fromStdin.body as Uint8Array)], [...body]);
});

test('many -H flags: 50,000 headers, repeated names merged under the first spelling', async () => {
  const flags: string[] = [];
  for (let i = 0; i < 25_000; i++) flags.push(`X-H${i}: ${i}`, `${i % 2 === 0 ? 'x-same' : 'X-SAME'}: ${i}`);
  const request = await readRequestInput({ header: flags }, 'https://h.example/', io());
  assert.is(Object.keys(request.headers).length, 25_001);
  assert.is(request.headers['X-H24999'], '24999');
  const same = request.headers['x-same'] as string[];
  assert.is(same.length, 25_000);
  assert.ok(same.every((value, i) => value === String(i)));
});

test('--request-file: origin-form target with the host from the Host header', async () => {
  writeFileSync(join(dir.path, 'r.http'), 'POST /x?y=1 HTTP/1.1\nHost:svc.us-east-1.amazonaws.com\nContent-Type:text/plain\n\nbody');
  const request = await readRequestInput({ requestFile: 'r.http' }, undefined, io());
  const { body, ...rest } = request;
  assert.equal(rest, {
    method: 'POST',
    url: '/x?y=1',
    headers: { Host: 'svc.us-east-1.amazonaws.com', 'Content-Type': 'text/plain' },
    scheme: 'https:',
    host: 'svc.us-east-1.amazonaws.com',
  });
  assert.is(Buffer.from(body as Uint8Array).toString('latin1'), 'body');
});

const cases: Array<[string, RequestInputOptions, string | undefined, string]> = [
  ['both a file and a URL', { requestFile: 'r.http' }, 'https://h/', 'not both'],
  ['neither', {}, undefined, 'missing request'],
  ['a URL without scheme', {}, 'h.example/x', 'must start with https://'],
  ['a header without a colon', { header: ['nope'] }, 'https://h/', "expected 'Name: value'"],
  ['a header name with a space', { header: ['Bad Name: x'] }, 'https://h/', 'not a valid header name'],
  ['a method with a space', { request: 'GE T' }, 'https://h/', 'expected an HTTP method'],
  ['a missing body file', { data: '@missing.bin' }, 'https://h/', 'no such file'],
  ['a request file without a host', { requestFile: '-' }, undefined, 'no host'],
];
for (const [name, options, url, fragment] of cases) {
  test(`usage error: ${name}`, async () => {
    try {
      await readRequestInput(options, url, io('GET / HTTP/1.1\nX-A:1\n'));
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
      assert.ok((error as Error).message.includes(fragment), (error as Error).message);
    }
  });
}
test.after(() => rmSync(dir.path, { recursive: true, force: true }));
test.run();
