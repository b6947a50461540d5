/**
 * `GetAuthorizationToken`: IAM credentials in, a Docker registry password out — what
 * `aws ecr get-login-password` does, with every step visible. The request is AWS JSON 1.1: `POST /` with
 * body `{}`, the operation named in `X-Amz-Target`, signed with SigV4 for the service `ecr` (or
 * `ecr-public`). The answer's token is base64 of `AWS:<password>`, valid until `expiresAt`.
 *
 * This entry alone (`@glassbox/ecr/get-authorization-token`) is what a program that only needs a token
 * imports: the package root also loads every credential provider and the transport's whole surface.
 *
 * @module
 */
import { sign } from '@glassbox/sigv4/sign';
import type { SignResult, TraceStep } from '@glassbox/sigv4/sign';
import { ENV_SOURCE, loadProfile, resolveCredentials } from '@glassbox/aws/credential-chain';
import { AwsServiceError, hintFor, isClockSkewError } from '@glassbox/aws/service-errors';
import {
  defaultClockOffsets,
  loadTransportSettings,
  sendWithRetries,
  userAgent,
  type AttemptRecord,
  type ClockOffsets,
  type HttpResponse,
} from '@glassbox/aws/http';
import type { TransportSettings } from '@glassbox/aws/transport';
import { resolveEndpoint, type Environment, type ProfileEndpointSettings, type ResolvedEndpoint } from './endpoints.ts';
import { EcrError } from './errors.ts';
import { redactDeep, redactHeaderValue, redactSecrets, rememberSecret } from './redaction.ts';
import { parseRegistryHost, registryEndpointAuthority } from './registry-host.ts';

/** Static AWS credentials (the shape @glassbox/sigv4 signs with). */
export interface AwsCredentials {
  /** The access key ID (not secret: it travels in every Authorization header). */
  readonly accessKeyId: string;
  /** The secret access key: only ever an input to the signing-key derivation. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials, sent as `X-Amz-Security-Token`. */
  readonly sessionToken?: string | undefined;
}

/** Credentials, or a function that provides them (called once per call). */
export type AwsCredentialsInput = AwsCredentials | (() => AwsCredentials | Promise<AwsCredentials>);

/** Options of {@link getAuthorizationToken}. */
export interface GetAuthorizationTokenOptions {
  /** The region (default: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile, the `registry` host). */
  region?: string | undefined;
  /** Credentials to sign with (default: the AWS credential chain). */
  credentials?: AwsCredentialsInput | undefined;
  /** The AWS profile to read credentials and settings from (an explicit profile wins over environment keys). */
  profile?: string | undefined;
  /** The home directory holding `~/.aws` (default: `HOME` from `env`, else the user's). */
  homedir?: string | undefined;
  /** Deprecated by AWS (the token covers every registry the identity may access), still honoured: one token per ID. */
  registryIds?: readonly string[] | undefined;
  /** An endpoint URL instead of the rule set's (e.g. the emulator's). */
  endpoint?: string | undefined;
  /** ECR Public (`public.ecr.aws`) instead of ECR. */
  public?: boolean | undefined;
  /** The registry the token is for (`<account>.dkr.ecr.<region>.amazonaws.com` or `public.ecr.aws`): supplies region, FIPS and public when not given. */
  registry?: string | undefined;
  /**
   * The alias host (`127.0.0.1:5000`, see `registry-aliases`) the caller will store the token under, when
   * `registry` is an alias's target: a `proxyEndpoint` naming the alias is accepted as well as an ECR host.
   */
  registryAlias?: string | undefined;
  /** Use the FIPS endpoint. */
  useFipsEndpoint?: boolean | undefined;
  /** Use the dual-stack endpoint. */
  useDualstackEndpoint?: boolean | undefined;
  /** Fill `trace` in the result: credential source, endpoint choice, signing steps, HTTP attempts, expiry. */
  trace?: boolean | undefined;
  /** The environment (default `process.env`). */
  env?: Environment | undefined;
  /** Cancels the call, including backoff waits. */
  signal?: AbortSignal | undefined;
  /** Attempts in all (default: `AWS_MAX_ATTEMPTS`, the profile's `max_attempts`, else 3 — 5 in `legacy` retry mode). */
  maxAttempts?: number | undefined;
  /** Connect timeout in ms, 0 for none (default 10 000). */
  connectTimeoutMs?: number | undefined;
  /** Read timeout in ms — for the response to start, then between body chunks — 0 for none (default 30 000). */
  requestTimeoutMs?: number | undefined;
  /** Transport settings already resolved (then `maxAttempts`, the timeouts, `proxy`, `AWS_CA_BUNDLE` and the profile's keys are not read again). */
  transport?: TransportSettings | undefined;
  /** A proxy URL, or `false` to ignore `HTTPS_PROXY`/`HTTP_PROXY`. */
  proxy?: string | false | undefined;
  /** The profile's endpoint settings, when the caller has already read them (the shared files are then not read for them). */
  profileSettings?: ProfileEndpointSettings | undefined;
  /** Our clock, epoch ms (tests). */
  now?: (() => number) | undefined;
  /** Jitter source (tests). */
  random?: (() => number) | undefined;
  /** How to wait between attempts (tests). */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** Where clock-skew corrections are remembered (default: shared by all calls). */
  clockOffsets?: ClockOffsets | undefined;
}

/** One registry's credentials from the response. */
export interface RegistryAuthorization {
  /** Always `AWS` for ECR. */
  username: string;
  /** The registry password. Give it to `docker login --password-stdin`; never print it. */
  password: string;
  /** When the password stops working, from the response (never an assumed 12 hours). */
  expiresAt: Date;
  /** `https://<registry host>` (for ECR Public, `https://public.ecr.aws`, which the response omits). */
  proxyEndpoint: string;
  /** The registry host Docker keys credentials on: the proxy endpoint without its scheme. */
  registryHost: string;
}

/** The trace's account of the credentials: where they came from, never what they are. */
export interface CredentialsTrace {
  /** The source that answered, e.g. `environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`, `shared-credentials-file (profile "dev" from AWS_PROFILE)` or `the \`credentials\` option`. */
  source: string;
  /** The access key ID that signed. */
  accessKeyId: string;
  /** Whether they are temporary (carry a session token). */
  temporary: boolean;
  /** When temporary credentials expire (ISO 8601), if known. */
  expiration?: string | undefined;
  /** The credential chain's per-source trace: which sources were skipped and why. */
  chain?: readonly unknown[] | undefined;
}

/** The trace's account of the signature of the final attempt. */
export interface SigningTrace {
  /** Step 1: the canonical request (session token redacted). */
  canonicalRequest: string;
  /** Step 3: the string to sign. */
  stringToSign: string;
  /** `date/region/service/aws4_request`. */
  credentialScope: string;
  /** The signed header names. */
  signedHeaders: string;
  /** The signing time, corrected for any clock skew. */
  amzDate: string;
  /** Every step of @glassbox/sigv4's trace. */
  steps?: TraceStep[] | undefined;
}

/** One HTTP attempt in the trace: the request as sent (signature and token redacted) and what came back. */
export interface AttemptTrace extends AttemptRecord {
  /** The request as sent. */
  request: {
    /** Always `POST`. */
    method: string;
    /** The endpoint URL. */
    url: string;
    /** The headers, with the Authorization signature and the session token redacted. */
    headers: Record<string, string>;
  };
}

/** The trace's account of the token: its expiry and shape, never its value. */
export interface TokenTrace {
  /** The registry user name (`AWS`). */
  username: string;
  /** When the password expires (ISO 8601), from the response. */
  expiresAt: string;
  /** Seconds from now (on the server's clock) to expiry. */
  expiresInSeconds: number;
  /** The registry host the password is for. */
  registryHost: string;
  /** The password's length: enough to see that one came back, without showing it. */
  passwordLength: number;
  /** How many registries the response covered. */
  registries: number;
}

/** What the trace holds. None of it is secret: no secret key, session token, signing key or password. */
export interface GetAuthorizationTokenTrace {
  /** Which credentials signed, and where they came from. */
  credentials: CredentialsTrace;
  /** The endpoint, and each decision that led to it. */
  endpoint: Pick<
    ResolvedEndpoint,
    'url' | 'host' | 'service' | 'region' | 'regionSource' | 'partition' | 'fips' | 'dualStack' | 'source' | 'why'
  >;
  /** The operation's wire details. */
  operation: {
    /** The `X-Amz-Target` header. */
    target: string;
    /** The JSON body. */
    body: string;
  };
  /** The signature of the final attempt. */
  signing: SigningTrace;
  /** Each HTTP attempt, in order. */
  attempts: AttemptTrace[];
  /** The decoded token's expiry (never the token). */
  token?: TokenTrace | undefined;
  /** The transport settings in effect, and where each came from. */
  transport?:
    | {
        /** Attempts in all. */
        maxAttempts: number;
        /** Where that number came from (`AWS_MAX_ATTEMPTS`, `max_attempts in profile "dev"`, a default). */
        maxAttemptsFrom: string;
        /** `standard`, `legacy` or `adaptive`. */
        retryMode: string;
        /** Where the mode came from. */
        retryModeFrom: string;
        /** The CA bundle file and its source, if one replaces the default roots. */
        caBundle: string | undefined;
        /** What the user should know (e.g. that `adaptive` behaves as `standard`). */
        notes: readonly string[];
      }
    | undefined;
}

/** What {@link getAuthorizationToken} returns. */
export interface AuthorizationToken extends RegistryAuthorization {
  /** Every registry in the response (one per `registryIds` entry; otherwise just the one above). */
  registries: RegistryAuthorization[];
  /** Present with `trace: true`. */
  trace?: GetAuthorizationTokenTrace | undefined;
}

const OPERATIONS = {
  ecr: { target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken' },
  'ecr-public': { target: 'SpencerFrontendService.GetAuthorizationToken' },
} as const;

const PUBLIC_REGISTRY = 'public.ecr.aws';

/** A resolved credential set plus what the trace may say about it. */
interface SigningCredentials {
  credentials: AwsCredentials;
  source: string;
  expiration?: Date | undefined;
  chain?: readonly unknown[] | undefined;
}

/** Finds credentials: the option as given, else the AWS credential chain (./credentials/), as the AWS CLI orders it. */
async function findCredentials(
  options: GetAuthorizationTokenOptions,
  env: Environment,
  transport: TransportSettings,
): Promise<SigningCredentials> {
  if (options.credentials !== undefined) {
    const given = typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
    checkCredentials(given, 'the `credentials` option');
    const extra = given as { source?: unknown; expiration?: unknown };
    const source = typeof extra.source === 'string' ? `the \`credentials\` option (${extra.source})` : 'the `credentials` option';
    return { credentials: given, source, expiration: extra.expiration instanceof Date ? extra.expiration : undefined };
  }
  const resolved = await resolveCredentials({
    profile: options.profile,
    env,
    homedir: options.homedir,
    trace: options.trace === true,
    signal: options.signal,
    now: options.now,
    proxy: options.proxy, // STS (assume role, web identity) goes the way the ECR call goes
    transport,
  });
  const profile = resolved.profile;
  return {
    credentials: resolved.credentials,
    // Environment keys belong to no profile; for the other sources the profile is what the user chose.
    source:
      resolved.source === ENV_SOURCE
        ? `${resolved.source} (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`
        : `${resolved.source} (profile "${profile.name}"${profile.from === 'default' ? '' : ` from ${profile.from}`})`,
    expiration: resolved.credentials.expiration,
    chain: resolved.trace,
  };
}

function checkCredentials(value: unknown, from: string): asserts value is AwsCredentials {
  const record = value as Partial<AwsCredentials> | null | undefined;
  if (
    typeof record?.accessKeyId !== 'string' ||
    record.accessKeyId === '' ||
    typeof record.secretAccessKey !== 'string' ||
    record.secretAccessKey === ''
  ) {
    throw new EcrError('CREDENTIALS_INVALID', `The credentials from ${from} need a non-empty accessKeyId and secretAccessKey.`);
  }
  if (record.sessionToken !== undefined && typeof record.sessionToken !== 'string') {
    throw new EcrError('CREDENTIALS_INVALID', `The session token from ${from} must be a string.`);
  }
}

function checkRegistryIds(ids: readonly string[] | undefined): void {
  if (ids === undefined) return;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 10 || !ids.every((id) => typeof id === 'string' && /^\d{12}$/.test(id))) {
    throw new EcrError('INVALID_CONFIGURATION', '`registryIds` must list 1 to 10 twelve-digit registry (account) IDs.');
  }
}

/** The header map as sent, fit for a trace: the signature and the session token replaced (the one redaction's header rule). */
function redactHeaders(headers: Readonly<Record<string, string | readonly string[]>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = redactHeaderValue(name, Array.isArray(value) ? value.join(', ') : (value as string));
  return out;
}

/**
 * The @glassbox/sigv4 diagnosis of a signature mismatch: it compares our canonical request with the one
 * AWS says it expected (quoted in the error message). Loaded only on a mismatch, so a successful call
 * never reads the diagnosis code.
 */
async function diagnoseMismatch(ours: SignResult, responseBody: string): Promise<unknown> {
  try {
    const { diagnose } = await import('@glassbox/sigv4/diagnose');
    return diagnose(ours, responseBody);
  } catch {
    return undefined;
  }
}

/**
 * The least validity a token must have left when it arrives: enough for a pull or push of a large image.
 * ECR issues 12-hour tokens, so one with less than this was issued on a broken clock or replayed.
 *
 * @example
 * ```ts
 * // getAuthorizationToken throws TOKEN_EXPIRED when expiresAt - now < MIN_TOKEN_VALIDITY_MS (5 minutes).
 * const { expiresAt } = await getAuthorizationToken({ region: 'eu-west-1' });
 * expiresAt.getTime() - Date.now() >= MIN_TOKEN_VALIDITY_MS; // true
 * ```
 */
export const MIN_TOKEN_VALIDITY_MS = 5 * 60_000;

/** What the answer must be for: the registry kind, partition and region we asked, and the alias in use. */
interface ExpectedRegistry {
  public: boolean;
  partition: string;
  region: string;
  /** An alias host (`127.0.0.1:5000`) the caller will store the token under: a `proxyEndpoint` naming it is ours too. */
  alias?: string | undefined;
  /** The server's clock, epoch ms (ours corrected by the skew learnt from its `Date` header). */
  serverNow: number;
}

/** Reads a base64 token as `user:password`, split at the first colon only (passwords may hold colons). */
function decodeToken(token: unknown): { username: string; password: string } {
  if (typeof token !== 'string' || token === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) {
    throw new EcrError('INVALID_RESPONSE', 'The response’s authorizationToken is not base64.');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new EcrError('INVALID_RESPONSE', 'The decoded authorizationToken is not "user:password".');
  const password = decoded.slice(colon + 1);
  // Docker would send `user:` and get "no basic auth credentials": refuse it here, where the cause is known.
  if (password === '')
    throw new EcrError(
      'TOKEN_INVALID',
      'The response’s authorizationToken has an empty password: the endpoint is broken; nothing was written.',
    );
  rememberSecret(password, 'registry password');
  return { username: decoded.slice(0, colon), password };
}

/** `expiresAt` is epoch seconds as a JSON number, often with a fraction in exponent form (1.7385984915E9). */
function decodeExpiry(value: unknown): Date {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(seconds) || Number.isNaN(date.getTime())) {
    throw new EcrError('INVALID_RESPONSE', 'The response’s expiresAt is not a number of epoch seconds.');
  }
  return date;
}

/** A token with less than {@link MIN_TOKEN_VALIDITY_MS} left on the server's clock is refused, saying when it expires. */
function checkValidity(date: Date, serverNow: number): void {
  const left = date.getTime() - serverNow;
  if (left < MIN_TOKEN_VALIDITY_MS) {
    const when = left <= 0 ? `expired ${Math.round(-left / 1000)} s ago` : `expires in ${Math.round(left / 1000)} s`;
    throw new EcrError(
      'TOKEN_EXPIRED',
      `The token the endpoint returned ${when} (expiresAt ${date.toISOString()}); a token needs at least ${MIN_TOKEN_VALIDITY_MS / 60_000} minutes left. Nothing was written: check the endpoint and this machine's clock.`,
    );
  }
}

/**
 * The registry host of a `proxyEndpoint`: an `https://` URL (nothing but a host, and a port for an alias)
 * whose host is an ECR registry of the kind, partition and region asked for, or the alias in use. Anything
 * else — another host, a look-alike, a quote, a newline, a NUL — would become a config.json key holding the
 * ECR password, so it is refused.
 */
function proxyEndpointHost(value: string, expected: ExpectedRegistry): string {
  const shown = JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  const host = registryEndpointAuthority(value);
  if (host === undefined) {
    throw new EcrError(
      'TOKEN_INVALID',
      `The response’s proxyEndpoint ${shown} is not an https:// URL of a registry host; the token was refused and nothing was written.`,
    );
  }
  if (expected.alias !== undefined && host === expected.alias.toLowerCase()) return host;
  const parsed = parseRegistryHost(host);
  const wanted = expected.public
    ? 'the ECR Public registry (public.ecr.aws)'
    : `an ECR registry in ${expected.region} (partition ${expected.partition})`;
  if (
    parsed === undefined ||
    host.includes(':') ||
    parsed.public !== expected.public ||
    parsed.partition !== expected.partition ||
    (!parsed.public && parsed.region !== expected.region)
  ) {
    throw new EcrError(
      'TOKEN_INVALID',
      `The response’s proxyEndpoint ${shown} is not ${wanted}, which is what was asked for; the token was refused and nothing was written.`,
    );
  }
  return host;
}

function registryAuthorization(item: unknown, expected: ExpectedRegistry): RegistryAuthorization {
  if (typeof item !== 'object' || item === null) throw new EcrError('INVALID_RESPONSE', 'An authorizationData entry is not an object.');
  const record = item as Record<string, unknown>;
  const { username, password } = decodeToken(record['authorizationToken']);
  const expiresAt = decodeExpiry(record['expiresAt']);
  let proxyEndpoint: string;
  if (typeof record['proxyEndpoint'] === 'string' && record['proxyEndpoint'] !== '') proxyEndpoint = record['proxyEndpoint'];
  else if (expected.public) proxyEndpoint = `https://${PUBLIC_REGISTRY}`;
  else throw new EcrError('INVALID_RESPONSE', 'An authorizationData entry has no proxyEndpoint.');
  const registryHost = proxyEndpointHost(proxyEndpoint, expected);
  checkValidity(expiresAt, expected.serverNow);
  return { username, password, expiresAt, proxyEndpoint, registryHost };
}

function parseResponse(response: HttpResponse, expected: ExpectedRegistry): RegistryAuthorization[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch (cause) {
    throw new EcrError('INVALID_RESPONSE', `The response (HTTP ${response.status}) is not JSON.`, { cause });
  }
  const data = (parsed as { authorizationData?: unknown } | null)?.authorizationData;
  // ECR Public answers with a single object; ECR with a list.
  const items = expected.public && data !== null && typeof data === 'object' && !Array.isArray(data) ? [data] : data;
  if (!Array.isArray(items) || items.length === 0) {
    throw new EcrError('INVALID_RESPONSE', 'The response has no authorizationData.');
  }
  return items.map((item) => registryAuthorization(item, expected));
}

/**
 * Gets a Docker registry password for Amazon ECR (or ECR Public), as `aws ecr get-login-password` does.
 *
 * Resolves region and endpoint (rule set, FIPS, dual-stack, overrides), finds credentials, signs
 * `POST /` `{}` with exactly `content-type;host;x-amz-date;x-amz-target` (+ the session token) like the
 * AWS CLI, sends it with retries, and decodes the token. Service errors throw {@link AwsServiceError};
 * everything else {@link EcrError}. With `trace: true` the result says how each step went — never
 * showing the password, the secret key or the session token.
 *
 * @example
 * ```ts
 * const { username, password, registryHost, expiresAt } = await getAuthorizationToken({ region: 'eu-west-1' });
 * // pipe `password` to: docker login --username AWS --password-stdin <registryHost>
 * ```
 */
export async function getAuthorizationToken(options: GetAuthorizationTokenOptions = {}): Promise<AuthorizationToken> {
  if (typeof options !== 'object' || options === null) {
    throw new EcrError('INVALID_CONFIGURATION', 'getAuthorizationToken: options must be an object.');
  }
  const env = options.env ?? process.env;
  checkRegistryIds(options.registryIds);
  if (options.registry !== undefined && parseRegistryHost(options.registry) === undefined) {
    throw new EcrError(
      'INVALID_CONFIGURATION',
      `"${options.registry}" is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com or public.ecr.aws).`,
    );
  }

  // The profile's region and endpoint settings; `[services]` entries are per service, so decide that first.
  const publicByRegistry = options.registry === undefined ? undefined : parseRegistryHost(options.registry)?.public;
  const service = (options.public ?? publicByRegistry ?? false) ? 'ecr-public' : 'ecr';
  const profileSettings =
    options.profileSettings ?? (await loadProfile({ env, homedir: options.homedir, profile: options.profile, service }));

  const endpoint = resolveEndpoint({
    region: options.region,
    public: options.public,
    endpoint: options.endpoint,
    useFipsEndpoint: options.useFipsEndpoint,
    useDualstackEndpoint: options.useDualstackEndpoint,
    registry: options.registry,
    env,
    profile: profileSettings,
  });
  const isPublic = endpoint.service === 'ecr-public';
  if (isPublic && options.registryIds !== undefined) {
    throw new EcrError('INVALID_CONFIGURATION', 'ECR Public has no registryIds: one token covers public.ecr.aws.');
  }
  const transport =
    options.transport ??
    (await loadTransportSettings({
      env,
      homedir: options.homedir,
      profile: options.profile,
      maxAttempts: options.maxAttempts,
      connectTimeoutMs: options.connectTimeoutMs,
      readTimeoutMs: options.requestTimeoutMs,
      proxy: options.proxy,
    }));
  const found = await findCredentials(options, env, transport);
  const { credentials } = found;
  // Given as an option or found by the chain, they are now seen: every later text is scrubbed of them.
  rememberSecret(credentials.secretAccessKey, 'secret access key');
  rememberSecret(credentials.sessionToken, 'session token');

  const operation = OPERATIONS[endpoint.service];
  const body = options.registryIds === undefined ? '{}' : JSON.stringify({ registryIds: options.registryIds });
  let lastSigned: SignResult | undefined;
  const attemptsTrace: GetAuthorizationTokenTrace['attempts'] = [];
  let lastSent: { method: string; url: string; headers: Record<string, string> } | undefined;

  const prepare = async (signingTimeMs: number) => {
    let signed: SignResult;
    try {
      signed = await sign(
        {
          method: 'POST',
          url: endpoint.url,
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': operation.target },
          body,
        },
        { credentials, region: endpoint.region, service: endpoint.service, date: new Date(signingTimeMs), trace: options.trace === true },
      );
    } catch (cause) {
      // The request is ours and well formed, so what the signer rejects is the credentials (e.g. a key ID with a slash).
      const detail = cause instanceof Error ? redactSecrets(cause.message) : 'unknown error';
      throw new EcrError('CREDENTIALS_INVALID', `The credentials from ${found.source} cannot sign: ${detail}`, { cause });
    }
    lastSigned = signed;
    // Added after signing, so the signed set stays the AWS CLI's minimal one.
    const headers = { ...signed.request.headers, 'User-Agent': userAgent(`api/${endpoint.service}#GetAuthorizationToken`) };
    if (options.trace) lastSent = { method: 'POST', url: endpoint.url, headers: redactHeaders(headers) };
    return { method: 'POST', url: endpoint.url, headers, body };
  };

  const result = await sendWithRetries(endpoint.url, prepare, {
    settings: transport,
    signal: options.signal,
    random: options.random,
    sleep: options.sleep,
    now: options.now,
    clockOffsets: options.clockOffsets,
    onAttempt: (record) => {
      if (options.trace && lastSent) attemptsTrace.push({ ...record, request: lastSent });
    },
  });

  if (result.error) {
    const { code, message, requestId } = result.error;
    let diagnosis: unknown;
    if ((code === 'InvalidSignatureException' || code === 'SignatureDoesNotMatch') && !isClockSkewError(code, message) && lastSigned) {
      diagnosis = redactDeep(await diagnoseMismatch(lastSigned, result.response.body));
    }
    throw new AwsServiceError({
      code,
      message: redactSecrets(message),
      httpStatus: result.response.status,
      requestId,
      retryable: result.retryable,
      attempts: result.attempts,
      service: endpoint.service,
      operation: 'GetAuthorizationToken',
      hint: hintFor(code, endpoint.service, message),
      diagnosis,
    });
  }

  // Measured on the server's clock, as far as we know it, since expiresAt is on that clock.
  const now = (options.now ?? Date.now)() + (options.clockOffsets ?? defaultClockOffsets).get(endpoint.host);
  const registries = parseResponse(result.response, {
    public: isPublic,
    partition: endpoint.partition,
    region: endpoint.region,
    alias: options.registryAlias,
    serverNow: now,
  });
  const first = registries[0] as RegistryAuthorization;
  const token: AuthorizationToken = { ...first, registries };
  if (options.trace && lastSigned) {
    token.trace = {
      credentials: {
        source: found.source,
        accessKeyId: credentials.accessKeyId,
        temporary: credentials.sessionToken !== undefined,
        expiration: found.expiration?.toISOString(),
        chain: found.chain,
      },
      endpoint: {
        url: endpoint.url,
        host: endpoint.host,
        service: endpoint.service,
        region: endpoint.region,
        regionSource: endpoint.regionSource,
        partition: endpoint.partition,
        fips: endpoint.fips,
        dualStack: endpoint.dualStack,
        source: endpoint.source,
        why: endpoint.why,
      },
      operation: { target: operation.target, body },
      signing: {
        canonicalRequest: redactSecrets(lastSigned.canonicalRequest),
        stringToSign: lastSigned.stringToSign,
        credentialScope: lastSigned.credentialScope,
        signedHeaders: lastSigned.signedHeaders,
        amzDate: lastSigned.amzDate,
        steps: lastSigned.trace,
      },
      attempts: attemptsTrace,
      transport: {
        maxAttempts: transport.maxAttempts,
        maxAttemptsFrom: transport.maxAttemptsFrom,
        retryMode: transport.retryMode,
        retryModeFrom: transport.retryModeFrom,
        caBundle: transport.ca === undefined ? undefined : `${transport.ca.path} (from ${transport.ca.from})`,
        notes: transport.notes,
      },
      token: {
        username: first.username,
        expiresAt: first.expiresAt.toISOString(),
        expiresInSeconds: Math.round((first.expiresAt.getTime() - now) / 1000),
        registryHost: first.registryHost,
        passwordLength: first.password.length,
        registries: registries.length,
      },
    };
  }
  return token;
}
