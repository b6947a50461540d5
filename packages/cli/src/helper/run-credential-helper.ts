/**
 * The server side of the docker-credential-helpers protocol: `docker-credential-glassbox <action>`
 * (docker/docker-credential-helpers `credentials/credentials.go`). Docker writes the server URL on stdin
 * and reads the answer on stdout; errors are text on **stdout** with exit code 1, and exactly
 * `credentials not found in native keychain` tells Docker to go on without credentials. Diagnostics go to
 * stderr, which Docker shows to the user. The protocol's words are @glassbox/docker-config's
 * (`helper-protocol`), the token cache too; this program composes them with @glassbox/ecr.
 *
 * Docker runs the helper for every pull and push, so `get` is built for a warm cache: it parses the host
 * (`@glassbox/ecr/registry-host`, no imports), reads one small file and answers; only on a miss does it load
 * @glassbox/ecr (undici, the credential chain, the signer).
 */
import { parseRegistryHost, registryHostname } from '@glassbox/ecr/registry-host';
import { formatGetAnswer, MISSING_SERVER_URL_MESSAGE, NOT_FOUND_MESSAGE, parseStoreRequest } from '@glassbox/docker-config/helper-protocol';
import {
  cachedToken,
  freshCachedToken,
  isStillValid,
  readCachedToken,
  tokenCacheDir,
  tokenCachePath,
  type Env,
  type FetchedToken,
} from '@glassbox/docker-config/token-cache';
import { credentialIdentity } from './credential-identity.ts';
import { loadRedaction, redactLoaded } from './diagnostics-redaction.ts';
import type { EcrTokenRequest } from './ecr-token.ts';
import { loadAliases } from './helper-aliases.ts';
import { readStdin, type StdinSource } from './helper-stdin.ts';
// Every other helper module is imported where it is used: a warm `get` loads none of them (each module costs
// start-up time, the product here; bench/helper-startup.ts).

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises) and costs a warm `get` several milliseconds; this reads the same module.
const { readdirSync } = process.getBuiltinModule('node:fs');

export type { EcrTokenRequest } from './ecr-token.ts';
export type { StdinSource } from './helper-stdin.ts';

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
 * - `version`: one line. `--help`: the usage, the variables read and the cache. No action or an unknown
 *   one: the protocol's one-line error on stdout, the help on stderr.
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
  let log: (message: string) => void = () => undefined;
  if (env['GLASSBOX_LOG']) {
    await loadRedaction();
    log = (await import('./helper-log.ts')).makeLogger(env, now, redactLoaded);
  }
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
  /** A protocol error on stdout (what Docker reads), the help on stderr (what a person at a terminal reads). */
  const misuse = async (message: string): Promise<number> => {
    const code = await fail(message);
    const { helperHelp } = await import('./helper-help.ts');
    stderr.write(`\n${helperHelp(program)}`);
    return code;
  };
  const usage = `Usage: ${program} <store|get|erase|list|version>`;

  if (options.argv.length !== 1) return misuse(usage);
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
        options.stdout.write((await import('./helper-help.ts')).helperHelp(program));
        return 0;
      case 'version':
      case '--version':
      case '-v':
        // "(@glassbox/docker-config)": the line as it was when the helper lived there; scripts may match it.
        options.stdout.write(
          `${program} (@glassbox/docker-config) ${options.version ?? (await import('./helper-version.ts')).ownVersion()}\n`,
        );
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
        return misuse(`${program}: unknown action: ${action}`);
    }
  }

  async function get(): Promise<number> {
    const serverURL = (await readStdin(options.stdin)).trim();
    if (serverURL === '') return reply(MISSING_SERVER_URL_MESSAGE);
    const hostname = registryHostname(serverURL) ?? serverURL;
    // An explicit alias decides first: it may make a non-ECR host ECR, or give a VPC endpoint name its account.
    const aliases = await loadAliases(env);
    const alias = aliases.find(serverURL);
    const registry = alias?.registry ?? parseRegistryHost(serverURL);
    if (alias) log(`get ${hostname}: ${aliases.describe(alias)}`);
    if (!registry) {
      log(`get ${hostname}: not an ECR host`);
      return reply(NOT_FOUND_MESSAGE);
    }
    const identity = credentialIdentity(env);
    const cacheDir = tokenCacheDir(env);
    const answer = (username: string, secret: string): number => {
      options.stdout.write(formatGetAnswer(serverURL, username, secret));
      return 0;
    };

    const warm = await freshCachedToken(tokenCachePath(cacheDir, registry.host, identity.hash), now());
    // An entry with an empty password is no token (ECR never issues one): fetch a real one instead of serving it.
    if (warm && warm.password !== '') {
      log(`get ${hostname}: cache hit (identity ${identity.hash})`);
      return answer(warm.username, warm.password);
    }

    const { rememberSecret } = await loadRedaction(); // the miss path: it may write diagnostics from here on
    // Shown when a token is fetched (a miss), so a user sees which registry an aliased host was served from.
    if (alias) stderr.write(`glassbox: ${aliases.describe(alias)}\n`);
    const { emptyPasswordError, fetchEcrToken } = await import('./ecr-token.ts');
    const getToken = options.getToken ?? fetchEcrToken;
    try {
      const started = now();
      const { token, source } = await cachedToken({
        registry: registry.host,
        identityHash: identity.hash,
        cacheDir,
        fetch: async () => {
          const fetched = await getToken({
            host: registry.host,
            account: registry.account,
            region: registry.region,
            public: registry.public,
            env,
          });
          if (fetched.password === '') throw emptyPasswordError();
          return fetched;
        },
        warn: (message) => {
          stderr.write(`${message}\n`);
          log(message);
        },
        now,
      });
      log(`get ${registry.host}: ${source} in ${now() - started} ms (identity ${identity.hash}: ${identity.description})`);
      if (token.password === '') throw emptyPasswordError();
      rememberSecret(token.password, 'registry password');
      return answer(token.username, token.password);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const via = alias ? ` (${aliases.describe(alias)})` : '';
      stderr.write(`glassbox: cannot get an ECR token for ${registry.host}${via}: ${message}\n`);
      log(`get ${registry.host}${via}: failed: ${message}`);
      // ECR Public allows anonymous pulls: "not found" lets Docker go on without credentials. For a
      // private registry the reason is more useful to the user than an anonymous "no basic auth credentials".
      if (registry.public) return reply(NOT_FOUND_MESSAGE);
      // A token ECR should never have issued (empty password, expired, another host) exits 3, as `glassbox ecr login` does: Docker reads any non-zero status as failure.
      const code = (error as { code?: unknown }).code;
      return fail(
        `glassbox: cannot get an ECR token for ${registry.host}${via}: ${message}`,
        code === 'TOKEN_INVALID' || code === 'TOKEN_EXPIRED' ? 3 : 1,
      );
    }
  }

  async function storeOrErase(which: 'store' | 'erase'): Promise<number> {
    const input = (await readStdin(options.stdin)).trim();
    let serverURL = input;
    if (which === 'store') {
      const request = parseStoreRequest(input);
      if ('error' in request) return reply(request.error);
      serverURL = request.serverURL;
    }
    if (serverURL === '') return reply(MISSING_SERVER_URL_MESSAGE);
    const hostname = registryHostname(serverURL) ?? serverURL;
    const isEcr = (await loadAliases(env)).find(serverURL) !== undefined || parseRegistryHost(serverURL) !== undefined;
    if (isEcr) {
      log(`${which} ${hostname}: accepted; ECR passwords come from AWS credentials, nothing is stored`);
      return 0;
    }
    log(`${which} ${hostname}: not an ECR host`);
    if (which === 'erase') return reply(NOT_FOUND_MESSAGE);
    return fail(
      `${program} keeps no passwords and only serves Amazon ECR registries; store ${hostname} with another credential store, or route only ECR hosts to glassbox with "credHelpers".`,
    );
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
