// Shared fixtures for the credentials-*.test.ts files: a temporary HOME with AWS files in it, real HTTP
// servers on 127.0.0.1 (port 0), and an STS stand-in that checks SigV4 with @glassbox/sigv4's verify.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '@glassbox/sigv4';

/** A temporary home directory with helpers to write AWS files into it. */
export interface TempHome {
  dir: string;
  /** An environment that points every AWS file into `dir` and can never reach a real IMDS. */
  env: Record<string, string | undefined>;
  write(name: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function tempHome(): Promise<TempHome> {
  const dir = await mkdtemp(join(tmpdir(), 'glassbox-creds-'));
  return {
    dir,
    env: {
      HOME: dir,
      PATH: process.env['PATH'],
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    async write(name, content) {
      const path = join(dir, name);
      await writeFile(path, content, { mode: 0o600 });
      await chmod(path, 0o600);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A request as a test server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 that records what it was sent. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (request: SeenRequest, response: ServerResponse) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      Promise.resolve(handler(seen, res)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Credentials an STS stand-in hands out, per role ARN. */
export interface IssuedRole {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

/**
 * An STS stand-in: `AssumeRole` must be SigV4-signed (service `sts`) by a key it knows; an
 * `AssumeRoleWithWebIdentity` must be unsigned and carry a known token. Answers in STS's XML.
 */
export async function startSts(options: {
  /** Access key ID → secret, for verifying AssumeRole signatures. */
  keys: Record<string, string>;
  /** Role ARN → credentials to issue. */
  roles: Record<string, IssuedRole>;
  /** Accepted web identity tokens. */
  webIdentityTokens?: string[];
}): Promise<TestServer & { verified: { action: string; accessKeyId?: string; params: URLSearchParams }[] }> {
  const verified: { action: string; accessKeyId?: string; params: URLSearchParams }[] = [];
  const error = (response: ServerResponse, status: number, code: string, message: string): void => {
    response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-123' });
    response.end(
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-123</RequestId></ErrorResponse>`,
    );
  };
  const server = await startServer(async (request, response) => {
    const params = new URLSearchParams(request.body);
    const action = params.get('Action') ?? '';
    if (request.method !== 'POST' || params.get('Version') !== '2011-06-15')
      return error(response, 400, 'InvalidAction', 'expected POST with Version=2011-06-15');
    let accessKeyId: string | undefined;
    if (action === 'AssumeRole') {
      const result = await verify(
        { method: request.method, url: request.url, headers: request.headers as Record<string, string>, body: request.body },
        { credentials: (id) => options.keys[id], service: 'sts' },
      );
      if (!result.ok) return error(response, 403, 'SignatureDoesNotMatch', `${result.reason}: ${result.message}`);
      accessKeyId = result.accessKeyId;
    } else if (action === 'AssumeRoleWithWebIdentity') {
      if (request.headers.authorization !== undefined)
        return error(response, 400, 'InvalidRequest', 'AssumeRoleWithWebIdentity must be unsigned');
      if (!(options.webIdentityTokens ?? []).includes(params.get('WebIdentityToken') ?? ''))
        return error(response, 400, 'InvalidIdentityToken', 'The web identity token is not valid');
    } else {
      return error(response, 400, 'InvalidAction', `unknown action ${action}`);
    }
    const role = options.roles[params.get('RoleArn') ?? ''];
    if (role === undefined)
      return error(response, 403, 'AccessDenied', `User is not authorized to perform: sts:${action} on resource: ${params.get('RoleArn')}`);
    verified.push({ action, ...(accessKeyId === undefined ? {} : { accessKeyId }), params });
    response.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-200' });
    response.end(
      `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>` +
        `<AssumedRoleUser><AssumedRoleId>AROA:${params.get('RoleSessionName')}</AssumedRoleId><Arn>${params.get('RoleArn')}/${params.get('RoleSessionName')}</Arn></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${role.accessKeyId}</AccessKeyId><SecretAccessKey>${role.secretAccessKey}</SecretAccessKey>` +
        `<SessionToken>${role.sessionToken}</SessionToken><Expiration>${role.expiration}</Expiration></Credentials>` +
        `</${action}Result><ResponseMetadata><RequestId>req-200</RequestId></ResponseMetadata></${action}Response>`,
    );
  });
  return Object.assign(server, { verified });
}

/** An hour from now, as STS writes it. */
export function inOneHour(): string {
  return new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
