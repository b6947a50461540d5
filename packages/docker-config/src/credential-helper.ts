/**
 * The server side of the docker-credential-helpers protocol: `docker-credential-glassbox <action>`
 * (docker/docker-credential-helpers `credentials/credentials.go`). Docker writes the server URL on stdin
 * and reads the answer on stdout; errors are text on **stdout** with exit code 1, and exactly
 * `credentials not found in native keychain` tells Docker to go on without credentials. Diagnostics go to
 * stderr, which Docker shows to the user.
 *
 * Docker runs the helper for every pull and push, so `get` is built for a warm cache: it reads one small
 * file and answers, and only on a miss loads @glassbox/ecr (undici, the credential chain, the signer).
 */
import type * as Redaction from '@glassbox/ecr/redaction';
import { MISSING_SERVER_URL_MESSAGE, MISSING_USERNAME_MESSAGE, NOT_FOUND_MESSAGE } from './protocol-messages.ts';
import {
  cachedToken,
  credentialIdentity,
  freshCachedToken,
  isStillValid,
  readCachedToken,
  tokenCacheDir,
  tokenCachePath,
  type Env,
  type FetchedToken,
} from './token-cache.ts';

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises) and costs a warm `get` several milliseconds; this reads the same module.
const { closeSync, constants, existsSync, fchmodSync, fstatSync, openSync, readFileSync, readdirSync, writeSync } = process.getBuiltinModule('node:fs');

/** An alias that made a host ECR, as the helper uses it (see @glassbox/ecr `registry-aliases`). */
interface AliasMatch {
  /** The aliased host as configured (`127.0.0.1:5000`). */
  from: string;
  /** `env` (GLASSBOX_REGISTRY_ALIASES) or `file` (the Glassbox config file). */
  source: 'env' | 'file';
  /** The ECR registry it maps to. */
  registry: { host: string; account?: string | undefined; region: string; public: boolean };
}

/**
 * Whether any registry alias can be configured: the variable is set or the Glassbox config file exists
 * (`$XDG_CONFIG_HOME/glassbox/config.json`, else `~/.config/glassbox/config.json`, as @glassbox/ecr
 * `glassboxConfigFile` says). Checked before loading the alias module so that a machine without aliases pays
 * one `stat` on the warm path.
 */
function mayHaveAliases(env: Env): boolean {
  if (env['GLASSBOX_REGISTRY_ALIASES']?.trim()) return true;
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg && xdg.startsWith('/') ? xdg : `${env['HOME'] || process.getBuiltinModule('node:os').homedir()}/.config`;
  return existsSync(`${base}/glassbox/config.json`);
}

/** Every alias in effect (empty without any configured); a malformed one throws @glassbox/ecr's EcrError. */
async function loadAliases(env: Env): Promise<{ aliases: AliasMatch[]; find: (serverURL: string) => AliasMatch | undefined }> {
  if (!mayHaveAliases(env)) return { aliases: [], find: () => undefined };
  // The alias module alone: it loads no network code.
  const { findRegistryAlias, loadRegistryAliases } = await import('@glassbox/ecr/registry-aliases');
  const aliases = loadRegistryAliases({ env });
  return { aliases, find: (serverURL) => findRegistryAlias(aliases, serverURL) };
}

/** The trace line for an alias; the same words as @glassbox/ecr `describeAlias`. */
function aliasLine(alias: AliasMatch): string {
  return `alias ${alias.from} -> ${alias.registry.host} (from ${alias.source})`;
}

/** The registry a token is asked for, as parsed from the host Docker gave. */
export interface EcrTokenRequest {
  /** The registry host (lower-case, no scheme, port or path). */
  host: string;
  /** The 12-digit account; absent for ECR Public. */
  account?: string | undefined;
  /** The region in the hostname (`us-east-1` for ECR Public). */
  region: string;
  /** ECR Public (`public.ecr.aws`) rather than a private registry. */
  public: boolean;
  /** The environment the helper runs with. */
  env: Env;
}

/** Stdin as text, or as a stream of chunks. */
export type StdinSource = AsyncIterable<Uint8Array | string> | string;

/** Where output goes: anything with a `write(string)` (process.stdout, a test buffer). */
export interface TextSink {
  /** Writes `text` as is (the engine adds the newlines). */
  write(text: string): unknown;
}

/** Options of {@link runCredentialHelper}. */
export interface CredentialHelperOptions {
  /** The arguments after the program name, e.g. `['get']`. */
  argv: readonly string[];
  /**
   * What Docker wrote on stdin: the text, a stream, or a function giving either — called only by the
   * actions that read stdin, so `version` never waits on a terminal.
   */
  stdin: StdinSource | (() => StdinSource);
  /** The protocol channel. Only protocol payloads and protocol errors are written here. */
  stdout: TextSink;
  /** Diagnostics for the user. */
  stderr: TextSink;
  /** The environment. Default `process.env`. */
  env?: Env | undefined;
  /** Fetches a token on a cache miss. Default: @glassbox/ecr `getAuthorizationToken`, loaded on first use. */
  getToken?: ((request: EcrTokenRequest) => Promise<FetchedToken>) | undefined;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: (() => number) | undefined;
  /** The program name in usage and version lines. Default `docker-credential-glassbox`. */
  programName?: string | undefined;
  /** The version printed by `version`. Default: this package's version. */
  version?: string | undefined;
}

/** stdin is a host name or a small JSON object; anything longer is not Docker talking. */
const MAX_STDIN_BYTES = 64 * 1024;

async function readAll(source: CredentialHelperOptions['stdin']): Promise<string> {
  const stdin = typeof source === 'function' ? source() : source;
  if (typeof stdin === 'string') return stdin;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The hostname Docker asked about, reduced as @glassbox/ecr's `parseRegistryHost` reduces it (scheme, path,
 * port and a final dot dropped, lower-cased) — without loading that package.
 */
function cheapHostname(input: string): string {
  let rest = input.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  let host = end === -1 ? rest : rest.slice(0, end);
  host = host.replace(/:\d{1,5}$/, '');
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host.toLowerCase();
}

/** Every ECR and ECR Public registry host contains `ecr` (`dkr.ecr`, `dkr-ecr`, `public.ecr.aws`, `ecr-public.aws.com`). */
function mightBeEcr(hostname: string): boolean {
  return hostname.includes('ecr');
}

function ownVersion(): string {
  try {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function defaultGetToken(request: EcrTokenRequest): Promise<FetchedToken> {
  const { getAuthorizationToken, closeConnections } = await import('@glassbox/ecr');
  try {
    const result = await getAuthorizationToken({
      registry: request.host,
      region: request.region,
      public: request.public,
      ...(request.account !== undefined && !request.public ? { registryIds: [request.account] } : {}),
      env: request.env,
    });
    return { username: result.username, password: result.password, expiresAt: result.expiresAt };
  } finally {
    // Kept-alive sockets would hold the process open for seconds after Docker has its answer.
    await closeConnections();
  }
}

let redaction: typeof Redaction | undefined;

/**
 * The one redaction (@glassbox/ecr `redaction`), loaded on first use: resolving it costs a warm `get` about
 * 5 ms (two packages' export maps), and the warm path writes nothing that needs it — only the answer.
 */
async function loadRedaction(): Promise<typeof Redaction> {
  return (redaction ??= await import('@glassbox/ecr/redaction'));
}

/** Redacts with the loaded module; every path that writes a diagnostic has awaited {@link loadRedaction} first. */
function redactLoaded(text: string): string {
  if (redaction === undefined) throw new Error('glassbox: internal error: a diagnostic was written before the redaction was loaded');
  return redaction.redactSecrets(text);
}

/** An empty password is never a token (ECR issues none): the same `TOKEN_INVALID` @glassbox/ecr raises, so the exit code is 3. */
function emptyPassword(): Error {
  return Object.assign(new Error('the registry password is empty (ECR never issues one), so the token was refused and not cached'), { code: 'TOKEN_INVALID' });
}

/**
 * Appends one line to the log file: created 0600 (a umask only narrows that), and an existing regular file
 * of ours with group or other bits is tightened to 0600 (a log holds registry names and identities), said
 * in the log itself. Opened with O_NONBLOCK: a FIFO nobody reads fails with ENXIO instead of hanging the
 * helper; a terminal or /dev/stderr is written to as it is, never chmod-ed.
 */
function appendLogLine(file: string, prefix: string, message: string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o600);
  try {
    const info = fstatSync(fd);
    const ours = typeof process.getuid !== 'function' || info.uid === process.getuid();
    let text = `${prefix} ${message}\n`;
    if (info.isFile() && ours && (info.mode & 0o077) !== 0) {
      fchmodSync(fd, 0o600);
      text = `${prefix} log file was mode 0${(info.mode & 0o777).toString(8)}; changed it to 0600\n${text}`;
    }
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Appends a line to `GLASSBOX_LOG` when it is set; never anything secret, never stdout. */
function makeLogger(env: Env, now: () => number): (message: string) => void {
  const file = env['GLASSBOX_LOG'];
  if (!file) return () => undefined;
  return (message) => {
    try {
      appendLogLine(file, `${new Date(now()).toISOString()} docker-credential-glassbox[${process.pid}]`, redactLoaded(message));
    } catch {
      // Logging must never break the protocol.
    }
  };
}

/**
 * Runs one credential-helper action and returns the exit code: 0, or 1 for a failure, or 3 when ECR (or the
 * endpoint) handed out a token that must not be used — an empty password, an expired token, a foreign
 * `proxyEndpoint` — the code `glassbox ecr login` exits with for the same answer.
 *
 * - `get`: stdin is a registry (host, `https://host`, `host/path`). ECR and ECR Public hosts get
 *   `{"ServerURL","Username","Secret"}` from the token cache or, on a miss, from `GetAuthorizationToken`;
 *   so do hosts with a registry alias (`GLASSBOX_REGISTRY_ALIASES`, the Glassbox config file), with the token
 *   of the registry they map to (cached under that registry, so an alias and the real name share it);
 *   any other host gets `credentials not found in native keychain`.
 * - `store` / `erase` for ECR hosts: accepted and ignored (the password comes from AWS credentials), so
 *   `docker login` / `docker logout` work with `"credsStore": "glassbox"`. Other hosts: an error (we store
 *   no passwords).
 * - `list`: the registries with a valid cached token for the current identity, and the aliases of those
 *   registries; no network call.
 * - `version`: one line.
 *
 * @example
 * ```ts
 * const code = await runCredentialHelper({ argv: process.argv.slice(2), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
 * process.exitCode = code;
 * ```
 */
export async function runCredentialHelper(options: CredentialHelperOptions): Promise<number> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const program = options.programName ?? 'docker-credential-glassbox';
  // Every diagnostic passes the one redaction (a failing source may quote credentials); only `answer` writes a
  // secret, on purpose, and the protocol's fixed messages (`reply`) hold none.
  if (env['GLASSBOX_LOG']) await loadRedaction();
  const log = makeLogger(env, now);
  const stderr: TextSink = { write: (text) => options.stderr.write(redactLoaded(text)) };
  const reply = (message: string): number => {
    options.stdout.write(`${message}\n`);
    return 1;
  };
  const fail = async (message: string, code = 1): Promise<number> => {
    await loadRedaction();
    options.stdout.write(`${redactLoaded(message)}\n`);
    return code;
  };
  const usage = `Usage: ${program} <store|get|erase|list|version>`;

  if (options.argv.length !== 1) return reply(usage);
  const action = options.argv[0]!;
  try {
    return await dispatch(action);
  } catch (error) {
    // Whatever went wrong, answer in the protocol's terms: a crash would leave Docker an empty stdout to show.
    await loadRedaction();
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`glassbox: ${action} failed: ${message}\n`);
    log(`${action} failed: ${message}`);
    return fail(`glassbox: ${action} failed: ${message}`);
  }

  async function dispatch(action: string): Promise<number> {
    switch (action) {
      case '--help':
      case '-h':
        options.stdout.write(`${usage}\n`);
        return 0;
      case 'version':
      case '--version':
      case '-v':
        options.stdout.write(`${program} (@glassbox/docker-config) ${options.version ?? ownVersion()}\n`);
        return 0;
      case 'get':
        return get();
      case 'store':
        return storeOrErase('store');
      case 'erase':
        return storeOrErase('erase');
      case 'list':
        return list();
      default:
        return fail(`${program}: unknown action: ${action}`);
    }
  }

  async function get(): Promise<number> {
    const serverURL = (await readAll(options.stdin)).trim();
    if (serverURL === '') return reply(MISSING_SERVER_URL_MESSAGE);
    const hostname = cheapHostname(serverURL);
    // An explicit alias decides first: it may make a non-ECR host ECR, or give a VPC endpoint name its account.
    const alias = (await loadAliases(env)).find(serverURL);
    if (alias) log(`get ${hostname}: ${aliasLine(alias)}`);
    if (!alias && !mightBeEcr(hostname)) {
      log(`get ${hostname}: not an ECR host`);
      return reply(NOT_FOUND_MESSAGE);
    }
    const identity = credentialIdentity(env);
    const cacheDir = tokenCacheDir(env);
    const answer = (username: string, secret: string): number => {
      options.stdout.write(JSON.stringify({ ServerURL: serverURL, Username: username, Secret: secret }) + '\n');
      return 0;
    };

    // Warm path: only hosts that parsed as ECR (or alias targets) were ever cached, so a hit needs no parsing.
    const warm = await freshCachedToken(tokenCachePath(cacheDir, alias?.registry.host ?? hostname, identity.hash), now());
    // An entry with an empty password is no token (ECR never issues one): fetch a real one instead of serving it.
    if (warm && warm.password !== '') {
      log(`get ${hostname}: cache hit (identity ${identity.hash})`);
      return answer(warm.username, warm.password);
    }

    const registry = alias?.registry ?? (await import('@glassbox/ecr')).parseRegistryHost(serverURL);
    const { rememberSecret } = await loadRedaction(); // the miss path: it may write diagnostics from here on
    // Shown when a token is fetched (a miss), so a user sees which registry an aliased host was served from.
    if (alias) stderr.write(`glassbox: ${aliasLine(alias)}\n`);
    if (!registry) {
      log(`get ${hostname}: not an ECR host`);
      return reply(NOT_FOUND_MESSAGE);
    }
    const getToken = options.getToken ?? defaultGetToken;
    try {
      const started = now();
      const { token, source } = await cachedToken({
        registry: registry.host,
        identityHash: identity.hash,
        cacheDir,
        fetch: async () => {
          const fetched = await getToken({ host: registry.host, account: registry.account, region: registry.region, public: registry.public, env });
          if (fetched.password === '') throw emptyPassword();
          return fetched;
        },
        warn: (message) => {
          stderr.write(`${message}\n`);
          log(message);
        },
        now,
      });
      log(`get ${registry.host}: ${source} in ${now() - started} ms (identity ${identity.hash}: ${identity.description})`);
      if (token.password === '') throw emptyPassword();
      rememberSecret(token.password, 'registry password');
      return answer(token.username, token.password);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const via = alias ? ` (${aliasLine(alias)})` : '';
      stderr.write(`glassbox: cannot get an ECR token for ${registry.host}${via}: ${message}\n`);
      log(`get ${registry.host}${via}: failed: ${message}`);
      // ECR Public allows anonymous pulls: "not found" lets Docker go on without credentials. For a
      // private registry the reason is more useful to the user than an anonymous "no basic auth credentials".
      if (registry.public) return reply(NOT_FOUND_MESSAGE);
      // A token ECR should never have issued (empty password, expired, another host) exits 3, as `glassbox ecr login` does: Docker reads any non-zero status as failure.
      const code = (error as { code?: unknown }).code;
      return fail(`glassbox: cannot get an ECR token for ${registry.host}${via}: ${message}`, code === 'TOKEN_INVALID' || code === 'TOKEN_EXPIRED' ? 3 : 1);
    }
  }

  async function storeOrErase(which: 'store' | 'erase'): Promise<number> {
    const input = (await readAll(options.stdin)).trim();
    let serverURL = input;
    if (which === 'store') {
      let parsed: { ServerURL?: unknown; Username?: unknown } | null = null;
      try {
        parsed = JSON.parse(input) as { ServerURL?: unknown; Username?: unknown } | null;
      } catch {
        parsed = null;
      }
      serverURL = typeof parsed?.ServerURL === 'string' ? parsed.ServerURL.trim() : '';
      if (serverURL === '') return reply(MISSING_SERVER_URL_MESSAGE);
      if (typeof parsed?.Username !== 'string' || parsed.Username === '') return reply(MISSING_USERNAME_MESSAGE);
    }
    if (serverURL === '') return reply(MISSING_SERVER_URL_MESSAGE);
    const hostname = cheapHostname(serverURL);
    const isEcr =
      (await loadAliases(env)).find(serverURL) !== undefined ||
      (mightBeEcr(hostname) && (await import('@glassbox/ecr')).parseRegistryHost(serverURL) !== undefined);
    if (isEcr) {
      log(`${which} ${hostname}: accepted; ECR passwords come from AWS credentials, nothing is stored`);
      return 0;
    }
    log(`${which} ${hostname}: not an ECR host`);
    if (which === 'erase') return reply(NOT_FOUND_MESSAGE);
    return fail(`${program} keeps no passwords and only serves Amazon ECR registries; store ${hostname} with another credential store, or route only ECR hosts to glassbox with "credHelpers".`);
  }

  async function list(): Promise<number> {
    const identity = credentialIdentity(env);
    const cacheDir = tokenCacheDir(env);
    const suffix = `-${identity.hash}.json`;
    const found: Record<string, string> = {};
    let names: string[] = [];
    try {
      names = readdirSync(cacheDir).filter((name) => name.startsWith('ecr-') && name.endsWith(suffix));
    } catch {
      names = [];
    }
    for (const name of names.sort()) {
      const entry = await readCachedToken(tokenCachePath(cacheDir, name.slice(4, -suffix.length), identity.hash));
      if (typeof entry === 'object' && isStillValid(entry, now())) found[entry.registry] = entry.username;
    }
    // An aliased host is served its registry's token, so it is listed when that token is.
    for (const alias of (await loadAliases(env)).aliases) {
      const username = found[alias.registry.host];
      if (username !== undefined && found[alias.from] === undefined) found[alias.from] = username;
    }
    options.stdout.write(JSON.stringify(found) + '\n');
    return 0;
  }
}
