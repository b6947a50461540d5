/**
 * A direct exchange (no proxy) over Node's own HTTP client, driven through the same handler protocol as
 * undici's dispatchers, so that exchange.ts reads one way whichever carries the request.
 *
 * Why not undici here too: loading undici's Agent alone (24 CommonJS modules and its WebAssembly HTTP
 * parser) costs a process about 50 ms, more than the rest of `glassbox ecr get-login-password` put
 * together; `node:http` is in Node's startup snapshot and costs about 5. A proxy still goes through
 * undici's ProxyAgent, loaded only then. Measured in docs/benchmarks.md ("The main job").
 */
import type * as Http from 'node:http';
import type { LookupFunction, Socket } from 'node:net';
import type { Dispatcher } from 'undici';

/** What {@link nodeAgent} needs to know: the CA bundle, the lookup and the keep-alive limit. */
export interface NodeAgentOptions {
  /** PEM text replacing Node's roots, or undefined for them. */
  readonly ca?: string | undefined;
  /** Name resolution, or undefined for the system's. */
  readonly lookup?: LookupFunction | undefined;
  /** How long an idle kept-alive socket is kept, in ms. */
  readonly keepAliveMs: number;
}

/** One connection pool for http:// and https:// alike, closed with {@link NodeAgent.destroy}. */
export interface NodeAgent {
  /** The agent for a protocol (created on first use, so plain-HTTP runs never load TLS). */
  agentFor(protocol: 'http:' | 'https:'): Http.Agent;
  /** Remembers a socket until it is closed, so that {@link NodeAgent.destroy} can wait for it. */
  track(socket: Socket): void;
  /** Closes every socket, resolving once each is closed (not merely asked to close). */
  destroy(): Promise<void>;
}

/**
 * A pair of keep-alive agents. Idle sockets are unreferenced by Node (they never hold the process open)
 * and dropped after `keepAliveMs`, before a server's own idle limit could make them fail on reuse.
 *
 * @example
 * ```ts
 * const agent = nodeAgent({ keepAliveMs: 4_000 });
 * ```
 */
export function nodeAgent(options: NodeAgentOptions): NodeAgent {
  const agents = new Map<string, Http.Agent>();
  // Every socket not yet closed, the agents' and those they gave up (a Connection: close answer's).
  const open = new Set<Socket>();
  const common = {
    keepAlive: true,
    timeout: options.keepAliveMs,
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
  };
  return {
    agentFor(protocol) {
      let agent = agents.get(protocol);
      if (agent === undefined) {
        agent =
          protocol === 'https:'
            ? new (process.getBuiltinModule('node:https').Agent)({ ...common, ...(options.ca === undefined ? {} : { ca: options.ca }) })
            : new (process.getBuiltinModule('node:http').Agent)(common);
        agents.set(protocol, agent);
      }
      return agent;
    },
    track(socket) {
      if (open.has(socket)) return;
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    },
    async destroy() {
      const closing = [...open].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      for (const agent of agents.values()) agent.destroy();
      for (const socket of open) socket.destroy();
      agents.clear();
      await Promise.all(closing);
    },
  };
}

/** What undici's `dispatch` takes, the part an exchange uses. */
export interface NodeDispatchOptions {
  readonly origin: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: string | Buffer | null;
  /** Close the connection after this exchange. */
  readonly reset?: boolean | undefined;
}

/**
 * Sends one request over `agent`, calling the handler as an undici dispatcher would: `onConnect` once the
 * connection (TCP, and TLS for https) is up, `onHeaders` for the final status, `onData` per chunk,
 * `onComplete` at the end, `onError` once for any failure. The connect timeout covers TCP and the TLS
 * handshake, as undici's does; its error has the code `CONNECT_TIMEOUT`.
 *
 * @example
 * ```ts
 * dispatchOverNode(agent, { origin: 'http://127.0.0.1:8080', path: '/', method: 'GET', headers: {}, body: null }, handler, 10_000);
 * ```
 */
export function dispatchOverNode(
  agent: NodeAgent,
  options: NodeDispatchOptions,
  handler: Dispatcher.DispatchHandlers,
  connectTimeoutMs: number,
): void {
  const url = new URL(options.origin);
  const https = url.protocol === 'https:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const request = process.getBuiltinModule(https ? 'node:https' : 'node:http').request;
  let settled = false;
  const fail = (error: Error): void => {
    if (settled) return;
    settled = true;
    clearTimeout(connectTimer);
    handler.onError?.(error);
  };
  const req = request({
    agent: agent.agentFor(https ? 'https:' : 'http:'),
    protocol: url.protocol,
    host,
    port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
    ...(https ? { servername: serverName(options.headers, host) } : {}),
    method: options.method,
    path: options.path,
    headers: framed(options),
    // Node would wait for ever; the caller's read timeout and ours for the connect phase are exact.
    timeout: 0,
  });
  let connectTimer: NodeJS.Timeout | undefined;
  if (connectTimeoutMs > 0) {
    connectTimer = setTimeout(
      () => req.destroy(Object.assign(new Error(`Connect Timeout Error (${connectTimeoutMs} ms)`), { code: 'CONNECT_TIMEOUT' })),
      connectTimeoutMs,
    );
  }
  const abort = (reason?: Error): void => {
    if (reason === undefined) {
      settled = true; // the caller is done with this exchange: what the close reports is not news
      req.destroy();
    } else req.destroy(reason);
  };
  const connected = (): void => {
    clearTimeout(connectTimer);
    handler.onConnect?.(abort);
  };
  req.on('socket', (socket) => {
    agent.track(socket);
    // A kept-alive socket is up already; a new one once TCP (http) or the TLS handshake (https) is done.
    if (req.reusedSocket) connected();
    else socket.once(https ? 'secureConnect' : 'connect', connected);
  });
  req.on('error', fail);
  req.on('response', (res) => {
    const resume = (): void => void res.resume();
    handler.onHeaders?.(res.statusCode ?? 0, res.rawHeaders as unknown as Buffer[], resume, res.statusMessage ?? '');
    res.on('data', (chunk: Buffer) => {
      if (!settled) handler.onData?.(chunk);
    });
    res.on('error', fail);
    res.on('end', () => {
      if (settled) return;
      settled = true;
      handler.onComplete?.([]);
    });
  });
  req.end(options.body ?? undefined);
}

/** The first value of a header, by case-insensitive name. */
function headerValue(headers: NodeDispatchOptions['headers'], name: string): string | undefined {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const value = headers[key];
    return Array.isArray(value) ? value[0] : (value as string | undefined);
  }
  return undefined;
}

/**
 * SNI, and the name the certificate is checked against: the Host header's host when the request carries one,
 * else the URL's, and none for an IP address. As undici 6 does (lib/core/request.js, `getServerName`), so a
 * request sent to an address with the signed Host of the service it stands for checks that service's
 * certificate, whichever client carries it.
 */
function serverName(headers: NodeDispatchOptions['headers'], urlHost: string): string {
  const hostHeader = headerValue(headers, 'host');
  const name =
    hostHeader === undefined
      ? urlHost
      : hostHeader.startsWith('[')
        ? hostHeader.slice(1, hostHeader.indexOf(']'))
        : hostHeader.replace(/:\d*$/, '');
  return process.getBuiltinModule('node:net').isIP(name) ? '' : name;
}

/** Methods whose requests carry a body by definition: they get `Content-Length: 0` when they have none. */
const EXPECTS_PAYLOAD = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The headers as sent: `Connection: close` when the exchange asks for it, and a body framed by
 * `Content-Length` whatever the method. Node adds one itself only for methods it would chunk (POST, PUT),
 * so a GET, DELETE or OPTIONS with a body would go out unframed and the server would read the body as the
 * next request; undici frames every body, and so does this.
 */
function framed(options: NodeDispatchOptions): Record<string, string | string[]> {
  const headers = { ...options.headers };
  if (options.reset) headers['connection'] = 'close';
  if (headerValue(headers, 'content-length') === undefined && headerValue(headers, 'transfer-encoding') === undefined) {
    const length = options.body === null ? 0 : Buffer.byteLength(options.body);
    if (length > 0 || EXPECTS_PAYLOAD.has(options.method.toUpperCase())) headers['content-length'] = String(length);
  }
  return headers;
}
