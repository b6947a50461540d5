/**
 * A local Amazon ECR (and ECR Public) `GetAuthorizationToken` endpoint, for teaching and testing.
 *
 * It is a real HTTP server on 127.0.0.1 that checks every request's SigV4 signature with
 * @glassbox/sigv4's `verify`, answers exactly as AWS does (headers, JSON shape, the float `expiresAt`,
 * the error codes and their messages — including the "Canonical String ... should have been" text of a
 * signature mismatch), and misbehaves on request: throttling, 5xx, slow answers, a skewed clock, dropped
 * connections. Any client can use it — ours, the AWS CLI, `@aws-sdk/client-ecr` — by pointing its
 * endpoint at `url`. It is not a registry and never talks to AWS. See docs/emulator.md.
 *
 * @packageDocumentation
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readAuthorizationHeader, verify, type VerifyFailure } from '@glassbox/sigv4';
import { partitionOf } from './endpoints.ts';
import { EcrError } from './errors.ts';

/** A key pair the emulator accepts, and how it should treat it. */
export interface EmulatorCredential {
  /** The access key ID requests must be signed with. */
  accessKeyId: string;
  /** Its secret, to verify signatures with. */
  secretAccessKey: string;
  /** When set, requests must carry this `X-Amz-Security-Token` (temporary credentials). */
  sessionToken?: string | undefined;
  /** Answer `ExpiredTokenException`, as AWS does for expired temporary credentials. */
  expired?: boolean | undefined;
  /** Answer `AccessDeniedException`, as AWS does when no policy allows `ecr:GetAuthorizationToken`. */
  denied?: boolean | undefined;
  /** The principal named in `AccessDeniedException` messages. Default `arn:aws:iam::<account>:user/glassbox`. */
  arn?: string | undefined;
}

/**
 * Faults to inject. Counters (`throttleFirst`, `failFirst`, `dropFirst`) count down per request in the
 * order drop, fail, throttle, before authentication — they model the service being unwell, not the caller
 * being wrong. {@link EcrEmulator.setFaults} replaces them and restarts the counters.
 */
export interface EmulatorFaults {
  /** Answer the next N requests with `ThrottlingException` ("Rate exceeded", HTTP 400). */
  throttleFirst?: number | undefined;
  /** Answer the next N requests with `ServerException` (HTTP `failStatus`). */
  failFirst?: number | undefined;
  /** The status of injected server errors. Default 500. */
  failStatus?: number | undefined;
  /** Drop the connection of the next N requests without answering (clients see a reset / "other side closed"). */
  dropFirst?: number | undefined;
  /** Wait this long before answering every request (to exercise client timeouts). */
  delayMs?: number | undefined;
  /** Run the server's clock this many seconds ahead (negative: behind) of `clock`. */
  clockSkewSeconds?: number | undefined;
  /**
   * Answer this `proxyEndpoint`, verbatim, in every `authorizationData` entry (ECR Public too), instead of the
   * registry's own: a hostile or broken endpoint, which a client must refuse rather than write to config.json.
   */
  proxyEndpoint?: string | undefined;
}

/** What the token a call produces is for (passed to `tokenFor`). */
export interface TokenContext {
  /** The access key ID the request was signed with. */
  accessKeyId: string;
  /** The registry (account) ID; undefined for ECR Public. */
  registryId: string | undefined;
  /** Whether this is ECR Public. */
  public: boolean;
  /** The region the request was scoped to. */
  region: string;
}

/** Options of {@link startEcrEmulator}. */
export interface EmulatorOptions {
  /** The key pairs it accepts. */
  credentials: readonly EmulatorCredential[];
  /** The account whose registry the default token is for. Default `123456789012`. */
  accountId?: string | undefined;
  /** The only region it answers for (ECR Public: always us-east-1). Default: any region the request is scoped to. */
  region?: string | undefined;
  /** The registry password in every token. Default: a fresh random one per call, like AWS. */
  password?: string | undefined;
  /** Computes the password per call (wins over `password`). */
  tokenFor?: ((context: TokenContext) => string) | undefined;
  /** Token lifetime in seconds. Default 43 200 (12 hours, as ECR). Zero or negative: a token already expired when issued (a fault). */
  tokenLifetimeSeconds?: number | undefined;
  /** Faults to start with. */
  faults?: EmulatorFaults | undefined;
  /** The emulator's clock, epoch ms (before any skew fault). Default `Date.now`. */
  clock?: (() => number) | undefined;
  /**
   * The port to listen on, on 127.0.0.1. Default 0: any free port (read it from `port`). A fixed port lets a
   * shell session keep one `AWS_ENDPOINT_URL_ECR` across restarts (`glassbox emulator --port`).
   */
  port?: number | undefined;
  /** Called once per request, when its answer is sent (or its connection dropped): a live log of {@link EcrEmulator.calls}. */
  onCall?: ((call: EmulatorCall) => void) | undefined;
}

/** One request the emulator received. */
export interface EmulatorCall {
  /** 1-based, in arrival order. */
  index: number;
  /** The `X-Amz-Target` header, if any. */
  target: string | undefined;
  /** The access key ID the request claimed, if it could be read. */
  accessKeyId: string | undefined;
  /** The HTTP status answered (0 when the connection was dropped). */
  status: number;
  /** `ok`, the AWS error code answered, or `dropped`. */
  outcome: string;
  /** The error message answered with the error code (AWS's words, e.g. `Signature expired: …`); undefined for `ok`. */
  message?: string | undefined;
  /** The emulator's (skewed) time of arrival. */
  at: Date;
}

/** A running emulator. */
export interface EcrEmulator {
  /** `http://127.0.0.1:<port>`: give it to a client as its endpoint. */
  readonly url: string;
  /** The port it listens on (on 127.0.0.1). */
  readonly port: number;
  /** Every request received, in order. */
  readonly calls: readonly EmulatorCall[];
  /** How many requests it answered successfully. */
  readonly served: number;
  /** Replaces the faults and restarts their counters. */
  setFaults(faults: EmulatorFaults): void;
  /** Forgets the recorded calls. */
  resetCalls(): void;
  /** Stops the server, dropping kept-alive and pending connections. */
  close(): Promise<void>;
}

const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
const ECR_PUBLIC_TARGET = 'SpencerFrontendService.GetAuthorizationToken';
const JSON_11 = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Formats a number as Java's `Double.toString` does for large values — `1.7385984915E9` — which is how
 * AWS writes `expiresAt`. Clients that expect an integer break on it; a faithful emulator must send it.
 *
 * @example
 * ```ts
 * formatAwsTimestamp(1738598491.5); // '1.7385984915E9'
 * ```
 */
export function formatAwsTimestamp(epochSeconds: number): string {
  return epochSeconds.toExponential().replace('e+', 'E').replace('e-', 'E-');
}

/**
 * The message AWS JSON services give for a signature mismatch, with the strings the server computed.
 *
 * @example
 * ```ts
 * signatureMismatchMessage(canonicalRequest, stringToSign);
 * // "The request signature we calculated does not match ...\n\nThe Canonical String for this request should have been\n'POST\n/\n..."
 * ```
 */
export function signatureMismatchMessage(canonicalRequest: string, stringToSign: string): string {
  return (
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
    'and signing method. Consult the service documentation for details.\n\n' +
    `The Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
    `The String-to-Sign should have been\n'${stringToSign}'\n`
  );
}

class ServiceFault {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

/**
 * Starts a local ECR `GetAuthorizationToken` endpoint on 127.0.0.1 (an ephemeral port, or `port`).
 *
 * A teaching and testing tool: sign a request wrong and it tells you, as AWS would, which canonical
 * request it expected; inject throttling or a skewed clock and watch a client's retries. It serves only
 * `GetAuthorizationToken` (ECR and ECR Public) — enough for `docker login`-style flows, not a registry.
 *
 * @example
 * ```ts
 * import { startEcrEmulator } from '@glassbox/ecr/emulator';
 * import { getAuthorizationToken } from '@glassbox/ecr';
 *
 * const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
 * const emulator = await startEcrEmulator({ credentials: [credentials], password: 'hunter2', faults: { throttleFirst: 1 } });
 * const token = await getAuthorizationToken({ region: 'us-east-1', endpoint: emulator.url, credentials });
 * console.log(token.password, emulator.calls.length); // 'hunter2' 2
 * await emulator.close();
 * ```
 */
export async function startEcrEmulator(options: EmulatorOptions): Promise<EcrEmulator> {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.credentials)) {
    throw new EcrError('INVALID_CONFIGURATION', 'startEcrEmulator: `credentials` must be an array of { accessKeyId, secretAccessKey }.');
  }
  for (const credential of options.credentials) {
    if (
      typeof credential?.accessKeyId !== 'string' ||
      typeof credential.secretAccessKey !== 'string' ||
      credential.accessKeyId === '' ||
      credential.secretAccessKey === ''
    ) {
      throw new EcrError('INVALID_CONFIGURATION', 'startEcrEmulator: every credential needs a non-empty accessKeyId and secretAccessKey.');
    }
  }
  const accountId = options.accountId ?? '123456789012';
  if (!/^\d{12}$/.test(accountId)) throw new EcrError('INVALID_CONFIGURATION', 'startEcrEmulator: accountId must be 12 digits.');
  // Zero or negative is allowed on purpose: a token that is already expired when issued, which clients must refuse.
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65_535)) {
    throw new EcrError(
      'INVALID_CONFIGURATION',
      `startEcrEmulator: port must be a whole number from 0 to 65535, not ${String(options.port)}.`,
    );
  }
  if (options.tokenLifetimeSeconds !== undefined && !Number.isFinite(options.tokenLifetimeSeconds)) {
    throw new EcrError('INVALID_CONFIGURATION', 'startEcrEmulator: tokenLifetimeSeconds must be a finite number.');
  }
  // Without a configured region the emulator answers for whichever region the request is scoped to.
  const fixedRegion = options.region;
  const lifetime = options.tokenLifetimeSeconds ?? 43_200;
  const clock = options.clock ?? Date.now;
  const byKey = new Map(options.credentials.map((credential) => [credential.accessKeyId, credential]));

  let faults: EmulatorFaults = {};
  let remaining = { throttle: 0, fail: 0, drop: 0 };
  const setFaults = (next: EmulatorFaults): void => {
    checkFaults(next);
    faults = { ...next };
    remaining = { throttle: next.throttleFirst ?? 0, fail: next.failFirst ?? 0, drop: next.dropFirst ?? 0 };
  };
  setFaults(options.faults ?? {});

  const calls: EmulatorCall[] = [];
  let served = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const serverNow = (): number => clock() + (faults.clockSkewSeconds ?? 0) * 1000;

  const respond = (res: ServerResponse, call: EmulatorCall, status: number, body: string): void => {
    call.status = status;
    res.writeHead(status, {
      'x-amzn-RequestId': randomUUID(),
      'Content-Type': JSON_11,
      'Content-Length': Buffer.byteLength(body),
      Date: new Date(serverNow()).toUTCString(),
    });
    res.end(body);
    options.onCall?.(call);
  };
  const respondError = (res: ServerResponse, call: EmulatorCall, fault: ServiceFault): void => {
    call.outcome = fault.code;
    call.message = fault.message;
    respond(res, call, fault.status, JSON.stringify({ __type: fault.code, message: fault.message }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const target = headerOf(req, 'x-amz-target');
    const call: EmulatorCall = {
      index: calls.length + 1,
      target,
      accessKeyId: readAuthorizationHeader(headerOf(req, 'authorization') ?? '')?.credential?.split('/')[0],
      status: 0,
      outcome: 'pending',
      at: new Date(serverNow()),
    };
    calls.push(call);

    if (faults.delayMs !== undefined && faults.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, faults.delayMs);
        timers.add(timer);
      });
      if (req.socket.destroyed) {
        call.outcome = 'client-gone';
        options.onCall?.(call);
        return;
      }
    }
    if (remaining.drop > 0) {
      remaining.drop--;
      call.outcome = 'dropped';
      req.socket.destroy();
      options.onCall?.(call);
      return;
    }
    if (remaining.fail > 0) {
      remaining.fail--;
      return respondError(
        res,
        call,
        new ServiceFault(faults.failStatus ?? 500, 'ServerException', 'Service encountered an internal error. Try again later.'),
      );
    }
    if (remaining.throttle > 0) {
      remaining.throttle--;
      return respondError(res, call, new ServiceFault(400, 'ThrottlingException', 'Rate exceeded'));
    }

    if (body === undefined) return respondError(res, call, new ServiceFault(413, 'SerializationException', 'Request body too large.'));
    if (req.method !== 'POST') return respondError(res, call, new ServiceFault(404, 'UnknownOperationException', ''));
    const isPublic = target === ECR_PUBLIC_TARGET;
    if (target !== ECR_TARGET && !isPublic) {
      return respondError(res, call, new ServiceFault(400, 'UnknownOperationException', ''));
    }

    const auth = await authenticate(req, body, isPublic ? 'ecr-public' : 'ecr', isPublic ? 'us-east-1' : fixedRegion);
    if (auth instanceof ServiceFault) return respondError(res, call, auth);
    const { credential, region } = auth;

    let input: Record<string, unknown>;
    try {
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      return respondError(
        res,
        call,
        new ServiceFault(400, 'SerializationException', 'Start of structure or map found where not expected.'),
      );
    }

    const expiresAt = formatAwsTimestamp(Math.round(serverNow()) / 1000 + lifetime);
    const tokenFor = (registryId: string | undefined): string => {
      const context: TokenContext = {
        accessKeyId: credential.accessKeyId,
        registryId,
        public: isPublic,
        region: isPublic ? 'us-east-1' : region,
      };
      const password = options.tokenFor?.(context) ?? options.password ?? randomPassword(context, serverNow() + lifetime * 1000);
      return Buffer.from(`AWS:${password}`, 'utf8').toString('base64');
    };

    let responseBody: string;
    if (isPublic) {
      const endpoint = faults.proxyEndpoint === undefined ? '' : `,"proxyEndpoint":${JSON.stringify(faults.proxyEndpoint)}`;
      responseBody = `{"authorizationData":{"authorizationToken":${JSON.stringify(tokenFor(undefined))},"expiresAt":${expiresAt}${endpoint}}}`;
    } else {
      const ids = input['registryIds'];
      let registries: string[] = [accountId];
      if (ids !== undefined) {
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 10 || !ids.every((id) => typeof id === 'string' && /^\d{12}$/.test(id))) {
          return respondError(
            res,
            call,
            new ServiceFault(
              400,
              'InvalidParameterException',
              "Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must have length between 1 and 10, each a 12-digit registry ID'",
            ),
          );
        }
        registries = ids as string[];
      }
      const suffix = partitionOf(region).dnsSuffix;
      const items = registries.map(
        (id) =>
          `{"authorizationToken":${JSON.stringify(tokenFor(id))},"expiresAt":${expiresAt},"proxyEndpoint":${JSON.stringify(faults.proxyEndpoint ?? `https://${id}.dkr.ecr.${region}.${suffix}`)}}`,
      );
      responseBody = `{"authorizationData":[${items.join(',')}]}`;
    }
    call.outcome = 'ok';
    served++;
    respond(res, call, 200, responseBody);
  };

  /** The checks AWS makes, in its order; the credential when they pass, the fault to answer otherwise. */
  const authenticate = async (
    req: IncomingMessage,
    body: Buffer,
    service: string,
    scopeRegion: string | undefined,
  ): Promise<{ credential: EmulatorCredential; region: string } | ServiceFault> => {
    const headers: Array<[string, string]> = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
    let result;
    try {
      result = await verify(
        { method: req.method ?? 'POST', url: req.url ?? '/', headers, body: new Uint8Array(body) },
        {
          credentials: (id) => byKey.get(id)?.secretAccessKey,
          now: serverNow(),
          service,
          ...(scopeRegion === undefined ? {} : { region: scopeRegion }),
        },
      );
    } catch (error) {
      return new ServiceFault(
        400,
        'IncompleteSignatureException',
        error instanceof Error ? error.message : 'The request signature is malformed.',
      );
    }
    if (!result.ok) return faultFor(result);
    const credential = byKey.get(result.accessKeyId) as EmulatorCredential;
    const token = headerOf(req, 'x-amz-security-token');
    if ((credential.sessionToken ?? undefined) !== (token ?? undefined)) {
      return new ServiceFault(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (credential.expired) return new ServiceFault(400, 'ExpiredTokenException', 'The security token included in the request is expired');
    if (credential.denied) {
      const arn = credential.arn ?? `arn:aws:iam::${accountId}:user/glassbox`;
      return new ServiceFault(
        400,
        'AccessDeniedException',
        `User: ${arn} is not authorized to perform: ${service}:GetAuthorizationToken on resource: * because no identity-based policy allows the ${service}:GetAuthorizationToken action`,
      );
    }
    return { credential, region: result.region };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': JSON_11 });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: 'The emulator failed to handle the request.' }));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const refuse = (error: NodeJS.ErrnoException): void => {
      // A port someone holds, or one below 1024 without the right to bind it: the caller's choice to fix.
      if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') return reject(error);
      const why = error.code === 'EADDRINUSE' ? 'is in use' : 'may not be bound by this user';
      reject(
        new EcrError(
          'INVALID_CONFIGURATION',
          `startEcrEmulator: 127.0.0.1:${options.port} ${why}; choose another port, or 0 for any free one.`,
          { cause: error },
        ),
      );
    };
    server.once('error', refuse);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', refuse);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    get served() {
      return served;
    },
    setFaults,
    resetCalls() {
      calls.length = 0;
      served = 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function checkFaults(faults: EmulatorFaults): void {
  if (typeof faults !== 'object' || faults === null) throw new EcrError('INVALID_CONFIGURATION', 'Emulator faults must be an object.');
  for (const name of ['throttleFirst', 'failFirst', 'dropFirst', 'delayMs'] as const) {
    const value = faults[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new EcrError('INVALID_CONFIGURATION', `Emulator fault ${name} must be a whole number ≥ 0, not ${String(value)}.`);
    }
  }
  if (faults.failStatus !== undefined && !(Number.isInteger(faults.failStatus) && faults.failStatus >= 500 && faults.failStatus <= 599)) {
    throw new EcrError('INVALID_CONFIGURATION', `Emulator fault failStatus must be a 5xx status, not ${String(faults.failStatus)}.`);
  }
  if (faults.proxyEndpoint !== undefined && typeof faults.proxyEndpoint !== 'string') {
    throw new EcrError('INVALID_CONFIGURATION', 'Emulator fault proxyEndpoint must be a string.');
  }
  if (faults.clockSkewSeconds !== undefined && !Number.isFinite(faults.clockSkewSeconds)) {
    throw new EcrError('INVALID_CONFIGURATION', 'Emulator fault clockSkewSeconds must be a finite number.');
  }
}

/** AWS's answer to each way a signature can fail, from the verifier's reason. */
function faultFor(result: VerifyFailure): ServiceFault {
  switch (result.reason) {
    case 'MISSING_AUTHORIZATION':
      return new ServiceFault(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    case 'UNKNOWN_ACCESS_KEY':
      return new ServiceFault(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'CLOCK_SKEW':
    case 'EXPIRED':
    case 'SCOPE_MISMATCH':
    case 'DATE_MISMATCH':
      return new ServiceFault(400, 'InvalidSignatureException', result.message);
    case 'SIGNATURE_MISMATCH':
    case 'PAYLOAD_HASH_MISMATCH':
      if (result.canonicalRequest !== undefined && result.stringToSign !== undefined) {
        return new ServiceFault(400, 'InvalidSignatureException', signatureMismatchMessage(result.canonicalRequest, result.stringToSign));
      }
      return new ServiceFault(400, 'InvalidSignatureException', result.message);
    default:
      return new ServiceFault(400, 'IncompleteSignatureException', result.message);
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

/**
 * A password shaped like ECR's: base64 of a JSON envelope (real ones carry an encrypted payload and a
 * data key). Random per call, so a client cannot pass by replaying an old one.
 */
function randomPassword(context: TokenContext, expiresAtMs: number): string {
  const envelope = {
    payload: randomBytes(48).toString('base64'),
    datakey: randomBytes(32).toString('base64'),
    version: '2',
    type: 'DATA_KEY',
    issuer: 'glassbox-emulator',
    registry: context.registryId ?? 'public',
    expiration: Math.floor(expiresAtMs / 1000),
  };
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
}
