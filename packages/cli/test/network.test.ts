// The network as AWS CLI users expect it, through the built CLI: every network and TLS failure exits 4
// with a hint that fits it (never 70), AWS_CA_BUNDLE / ca_bundle / NODE_EXTRA_CA_CERTS make a private CA
// work, AWS_MAX_ATTEMPTS / max_attempts / retry_mode set the attempts (counted at the server), the
// timeouts take --cli-connect-timeout / --cli-read-timeout, and sign --send honours HTTP(S)_PROXY. Every
// peer is on 127.0.0.1: the ECR emulator, TLS fronts with openssl-made certificates, a closed port, a
// server that never answers, one that resets mid-response.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { startEcrEmulator, type EcrEmulator } from '@glassbox/ecr/emulator';
import {
  closedPort,
  makeCertificate,
  startHttp,
  startSilent,
  startTlsFront,
  type Peer,
  type TestCertificate,
} from '../../../test/support/network-peers.ts';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import { startProxy } from '../../aws/test/forward-proxy.ts';
import { cleanEnv, runGlassbox, tempDir, type RunResult } from './run-bin.ts';

const keys = { accessKeyId: 'AKIANETWORKTEST00001', secretAccessKey: 'network-test-secret-000000000000000000000' };
const PASSWORD = 'network-test-registry-password';

interface World {
  home: ReturnType<typeof tempDir>;
  env: Record<string, string>;
  emulator: EcrEmulator;
  trusted: TestCertificate;
  otherName: TestCertificate;
  front: Peer;
  wrongName: Peer;
}
const test = suiteNeeding<World>('glassbox and the network (127.0.0.1 peers)', ['openssl'], {} as World);

test.before(async (world) => {
  world.home = tempDir();
  world.env = cleanEnv(world.home.path, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
  world.emulator = await startEcrEmulator({ credentials: [keys], password: PASSWORD, accountId: '123456789012' });
  world.trusted = makeCertificate('IP:127.0.0.1');
  world.otherName = makeCertificate('DNS:localhost');
  const port = Number(new URL(world.emulator.url).port);
  world.front = await startTlsFront(world.trusted, port);
  world.wrongName = await startTlsFront(world.otherName, port);
});
test.after(async (world) => {
  await world.front.close();
  await world.wrongName.close();
  await world.emulator.close();
  world.trusted.remove();
  world.otherName.remove();
  world.home.remove();
});
test.before.each((world) => {
  world.emulator.setFaults({});
  world.emulator.resetCalls();
  writeFileSync(join(world.home.path, 'aws-config'), '');
});

const login = (endpoint: string, ...more: string[]): string[] => [
  'ecr',
  'get-login-password',
  '--region',
  'us-east-1',
  '--endpoint-url',
  endpoint,
  ...more,
];
const send = (url: string, ...more: string[]): string[] => [
  'sign',
  '--send',
  '-X',
  'POST',
  '-H',
  'Content-Type: application/x-amz-json-1.1',
  '-H',
  'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
  '-d',
  '{}',
  '--region',
  'us-east-1',
  '--service',
  'ecr',
  ...more,
  `${url}/`,
];

/** Exit 4, the phrases of the hint, and never the "bug" report. */
function networkFailure(run: RunResult, ...phrases: string[]): void {
  assert.is(run.code, 4, run.stderr);
  assert.match(run.stderr, /^error: network error: /m);
  for (const phrase of phrases) assert.ok(run.stderr.includes(phrase), `stderr lacks "${phrase}":\n${run.stderr}`);
  assert.not.match(run.stderr, 'This is a bug');
}

test('a self-signed certificate: exit 4, hinting at AWS_CA_BUNDLE and NODE_EXTRA_CA_CERTS', async ({ env, front }) => {
  const url = `https://127.0.0.1:${front.port}`;
  for (const args of [login(url), send(url)]) {
    networkFailure(
      await runGlassbox(args, { env: { ...env, AWS_MAX_ATTEMPTS: '3' } }),
      'is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed)',
      'AWS_CA_BUNDLE',
      'NODE_EXTRA_CA_CERTS',
    );
  }
});

test('the same calls succeed with AWS_CA_BUNDLE, the profile’s ca_bundle, or NODE_EXTRA_CA_CERTS', async ({
  env,
  front,
  trusted,
  emulator,
  home,
}) => {
  const url = `https://127.0.0.1:${front.port}`;
  const bundle = await runGlassbox(login(url), { env: { ...env, AWS_CA_BUNDLE: trusted.certFile } });
  assert.is(bundle.code, 0, bundle.stderr);
  assert.is(bundle.stdout, `${PASSWORD}\n`);
  const signed = await runGlassbox(send(url), { env: { ...env, AWS_CA_BUNDLE: trusted.certFile } });
  assert.is(signed.code, 0, signed.stderr);
  assert.match(signed.stdout, /^HTTP 200\n/);
  writeFileSync(join(home.path, 'aws-config'), `[default]\nca_bundle = ${trusted.certFile}\n`);
  const profile = await runGlassbox(login(url), { env });
  assert.is(profile.code, 0, profile.stderr);
  writeFileSync(join(home.path, 'aws-config'), '');
  const extra = await runGlassbox(login(url), { env: { ...env, NODE_EXTRA_CA_CERTS: trusted.certFile } });
  assert.is(extra.code, 0, extra.stderr);
  assert.is(emulator.calls.length, 4);
});

test('a certificate for another name: exit 4, kind hostname mismatch', async ({ env, wrongName, otherName }) => {
  const url = `https://127.0.0.1:${wrongName.port}`;
  for (const args of [login(url), send(url)]) {
    networkFailure(
      await runGlassbox(args, { env: { ...env, AWS_CA_BUNDLE: otherName.certFile } }),
      'is for another name',
      'host name the certificate names',
    );
  }
});

test('https to a plain-HTTP port ("wrong version number"): exit 4, hinting http:// instead of https://', async ({ env, emulator }) => {
  const url = emulator.url.replace('http://', 'https://');
  for (const args of [login(url), send(url)])
    networkFailure(await runGlassbox(args, { env }), 'did not answer in TLS', 'Use http:// instead of https://');
  assert.is(emulator.calls.length, 0);
});

test('a closed port: exit 4, "nothing accepts connections", hinting at the endpoint and port', async ({ env }) => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  for (const args of [login(url), send(url)])
    networkFailure(
      await runGlassbox(args, { env: { ...env, AWS_MAX_ATTEMPTS: '1' } }),
      'nothing accepts connections at 127.0.0.1:',
      'Check the endpoint URL and its port',
    );
});

test('a TLS handshake that never completes: exit 4 after --cli-connect-timeout, naming the flag', async ({ env }) => {
  const silent = await startSilent();
  try {
    const url = `https://127.0.0.1:${silent.port}`;
    for (const args of [login(url, '--cli-connect-timeout', '0.3'), send(url, '--cli-connect-timeout', '0.3')]) {
      networkFailure(
        await runGlassbox(args, { env: { ...env, AWS_MAX_ATTEMPTS: '1' } }),
        'took longer than 300 ms',
        '--cli-connect-timeout SECONDS',
      );
    }
  } finally {
    await silent.close();
  }
});

test('a server that accepts and never answers: exit 4 after --cli-read-timeout, naming the flag', async ({ env }) => {
  const silent = await startSilent();
  try {
    const url = `http://127.0.0.1:${silent.port}`;
    for (const args of [login(url, '--cli-read-timeout', '0.3'), send(url, '--cli-read-timeout', '0.3')]) {
      networkFailure(
        await runGlassbox(args, { env: { ...env, AWS_MAX_ATTEMPTS: '1' } }),
        'did not answer within 300 ms',
        '--cli-read-timeout SECONDS',
      );
    }
    assert.is(silent.connections(), 2);
  } finally {
    await silent.close();
  }
});

test('a connection reset in the middle of the response: exit 4', async ({ env }) => {
  const server = await startHttp((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '500' });
    res.write('{"authorizationData":[');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  try {
    const url = `http://127.0.0.1:${server.port}`;
    for (const args of [login(url), send(url)])
      networkFailure(await runGlassbox(args, { env: { ...env, AWS_MAX_ATTEMPTS: '1' } }), 'closed before the response was complete');
  } finally {
    await server.close();
  }
});

test('AWS_MAX_ATTEMPTS, max_attempts and retry_mode set the attempts, counted at the server (env over profile)', async ({
  env,
  emulator,
  home,
}) => {
  emulator.setFaults({ failFirst: 100, failStatus: 503 });
  const cases: Array<[Record<string, string>, string, number]> = [
    [{ AWS_MAX_ATTEMPTS: '1' }, '', 1],
    [{ AWS_MAX_ATTEMPTS: '5' }, '', 5],
    [{}, '[default]\nmax_attempts = 2\n', 2],
    [{ AWS_MAX_ATTEMPTS: '1' }, '[default]\nmax_attempts = 4\n', 1],
    [{}, '[default]\nretry_mode = legacy\n', 5],
    [{ AWS_RETRY_MODE: 'standard' }, '[default]\nretry_mode = legacy\n', 3],
  ];
  for (const [extra, config, attempts] of cases) {
    writeFileSync(join(home.path, 'aws-config'), config);
    emulator.resetCalls();
    const run = await runGlassbox(login(emulator.url), { env: { ...env, ...extra } });
    assert.is(run.code, 3, run.stderr);
    assert.is(emulator.calls.length, attempts, `${JSON.stringify(extra)} ${JSON.stringify(config)}`);
  }
  emulator.resetCalls();
  const signed = await runGlassbox(send(emulator.url), { env: { ...env, AWS_MAX_ATTEMPTS: '2' } });
  assert.is(signed.code, 3, signed.stderr);
  assert.is(emulator.calls.length, 2, 'sign --send retries the same signed bytes');
  assert.match(signed.stderr, /attempt 1: HTTP 503; retrying in \d+ ms \(attempt 2 of 2, AWS_MAX_ATTEMPTS\)/);
});

test('a bad AWS_MAX_ATTEMPTS, retry_mode or timeout flag is a usage error (exit 2) naming it', async ({ env, emulator, home }) => {
  const bad = await runGlassbox(login(emulator.url), { env: { ...env, AWS_MAX_ATTEMPTS: 'lots' } });
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, 'AWS_MAX_ATTEMPTS is "lots"');
  const badSend = await runGlassbox(send(emulator.url), { env: { ...env, AWS_MAX_ATTEMPTS: '0' } });
  assert.is(badSend.code, 2, badSend.stderr);
  assert.match(badSend.stderr, 'AWS_MAX_ATTEMPTS is "0"');
  writeFileSync(join(home.path, 'aws-config'), '[default]\nretry_mode = turbo\n');
  const mode = await runGlassbox(login(emulator.url), { env });
  assert.is(mode.code, 2, mode.stderr);
  assert.match(mode.stderr, 'retry_mode in profile "default" is "turbo": use standard, legacy or adaptive');
  const flag = await runGlassbox(login(emulator.url, '--cli-read-timeout', 'soon'), { env });
  assert.is(flag.code, 2, flag.stderr);
  assert.match(flag.stderr, '--cli-read-timeout');
  assert.is(emulator.calls.length, 0);
});

test('a bad AWS_CA_BUNDLE stops only what goes on the network: sign signs (exit 0), sign --send exits 2 naming it', async ({
  env,
  emulator,
}) => {
  const broken = { ...env, AWS_CA_BUNDLE: '/nonexistent/glassbox-test-ca.pem' };
  const signOnly = await runGlassbox(
    send(emulator.url).filter((arg) => arg !== '--send'),
    { env: broken },
  );
  assert.is(signOnly.code, 0, signOnly.stderr);
  const sent = await runGlassbox(send(emulator.url), { env: broken });
  assert.is(sent.code, 2, sent.stderr);
  assert.match(sent.stderr, 'AWS_CA_BUNDLE is "/nonexistent/glassbox-test-ca.pem", which cannot be read (ENOENT)');
  assert.is(emulator.calls.length, 0);
});

test('adaptive retry mode says, under --debug, that it behaves as standard', async ({ env, emulator }) => {
  const run = await runGlassbox([...login(emulator.url), '--debug'], { env: { ...env, AWS_RETRY_MODE: 'adaptive' } });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, 'retries: 3 attempts in all (default for retry mode adaptive), retry mode adaptive (AWS_RETRY_MODE)');
  assert.match(run.stderr, 'note: retry mode adaptive (from AWS_RETRY_MODE) behaves as standard here');
});

test('sign --send goes through HTTP_PROXY (as ecr does), and NO_PROXY skips it', async ({ env, emulator }) => {
  const proxy = await startProxy();
  try {
    const via = await runGlassbox(send(emulator.url), { env: { ...env, NO_PROXY: '', HTTP_PROXY: proxy.url } });
    assert.is(via.code, 0, via.stderr);
    assert.equal(proxy.seen, [`CONNECT ${new URL(emulator.url).host}`]);
    const direct = await runGlassbox(send(emulator.url), { env: { ...env, NO_PROXY: '127.0.0.1', HTTP_PROXY: proxy.url } });
    assert.is(direct.code, 0, direct.stderr);
    assert.is(proxy.seen.length, 1);
  } finally {
    await proxy.close();
  }
});

test('a 100 MB error body: sign --send shows its first 1 MiB and says how big it was', async ({ env }) => {
  const total = 100 * 1024 * 1024;
  const piece = Buffer.alloc(64 * 1024, 'e');
  let written = 0;
  const server = await startHttp((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(total) });
    const more = (): void => {
      while (written < total) {
        written += piece.length;
        if (!res.write(piece)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    more();
  });
  try {
    const run = await runGlassbox(send(`http://127.0.0.1:${server.port}`), { env: { ...env, AWS_MAX_ATTEMPTS: '1' } });
    assert.is(run.code, 3, run.stderr.slice(0, 2000));
    assert.match(run.stderr, `the HTTP 500 body is ${total} bytes; showing its first 1048576 bytes only`);
    const body = run.stdout.slice(run.stdout.indexOf('\n\n') + 2);
    assert.is(body.replace(/\n$/, '').length, 1024 * 1024);
    assert.ok(written < total / 4, `the server wrote ${written} bytes: the rest was never read`);
  } finally {
    await server.close();
  }
});

test.run();
