// Stand-ins for what the network does wrong, all on 127.0.0.1 with ephemeral ports: a TLS server with a
// certificate made at test time by openssl (self-signed, for 127.0.0.1 or for another name), a TLS front
// for a plain-HTTP server, a port nobody listens on, a TCP server that accepts and never answers. Not a
// test file (scripts/test.mjs runs only `*.test.ts`). Callers wrap their suite in
// suiteNeeding(…, ['openssl']) since the certificates come from the real openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

/** A self-signed certificate (its own CA) and its key, as PEM text and as files. */
export interface TestCertificate {
  certFile: string;
  cert: string;
  key: string;
  remove: () => void;
}

/**
 * A fresh self-signed P-256 certificate whose subjectAltName is `san` (e.g. `IP:127.0.0.1` or
 * `DNS:localhost`), made by `openssl req -x509`; valid for two days.
 */
export function makeCertificate(san: string): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=glassbox test',
      '-addext',
      `subjectAltName=${san}`,
    ],
    { stdio: 'ignore' },
  );
  return {
    certFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A running server: its port, and a close that drops every connection first. */
export interface Peer {
  port: number;
  close: () => Promise<void>;
}

function track(server: Server): { sockets: Set<Socket>; close: () => Promise<void> } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A plain HTTP server on 127.0.0.1. */
export async function startHttp(handler: RequestListener): Promise<Peer & { server: HttpServer }> {
  const server = createHttpServer(handler);
  const tracked = track(server);
  return { server, port: await listen(server), close: tracked.close };
}

/** TLS with `certificate` in front of 127.0.0.1:`targetPort` (a plain-HTTP server behind it sees the decrypted bytes). */
export async function startTlsFront(certificate: Pick<TestCertificate, 'cert' | 'key'>, targetPort: number): Promise<Peer> {
  const server = createTlsServer({ cert: certificate.cert, key: certificate.key }, (tls) => {
    const upstream = connect(targetPort, '127.0.0.1');
    upstream.on('error', () => tls.destroy());
    tls.on('error', () => upstream.destroy());
    tls.pipe(upstream).pipe(tls);
  });
  server.on('tlsClientError', () => undefined);
  const tracked = track(server);
  return { port: await listen(server), close: tracked.close };
}

/** A TCP server that accepts connections and never sends a byte (no HTTP answer, no TLS handshake). */
export async function startSilent(): Promise<Peer & { connections: () => number }> {
  const server = createTcpServer(() => undefined);
  let count = 0;
  server.on('connection', () => count++);
  const tracked = track(server);
  return { port: await listen(server), close: tracked.close, connections: () => count };
}

/** A port on 127.0.0.1 that nothing listens on (taken from the kernel, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
