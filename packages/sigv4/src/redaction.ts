/**
 * Redaction: the one place that decides what a secret looks like in text. Every package that prints,
 * logs or raises an error with text it did not write itself (a `credential_process`'s stderr, an STS or
 * ECR error body, a server's echo of the canonical request) passes it through {@link redactSecrets}.
 *
 * Two things make text safe:
 * 1. **The values Glassbox has seen.** Every credential a provider returns, every token and password it
 *    fetches, is remembered with {@link rememberSecret} in one process-wide registry; each later
 *    occurrence (raw or URI-encoded) becomes `[redacted: <what>, N chars]`, as smithy-rs writes it.
 * 2. **What a credential looks like.** A failing source can print credentials Glassbox never accepted
 *    (a `credential_process` that writes its JSON to stderr and exits 1). Fields named like credentials —
 *    `"SecretAccessKey": "…"`, `<SessionToken>…</SessionToken>`, `password=…`, `x-amz-security-token:…` —
 *    lose their value whatever the source.
 *
 * The registry lives on `globalThis` under a `Symbol.for` key, so a second copy of this module (the
 * built `dist` and the TypeScript source in one test process) shares it rather than starting empty.
 */
import { canonicalHeaderValue } from './canonical-headers.ts';
import { uriEncode } from './uri-encode.ts';

/**
 * What an object's `toJSON` / `util.inspect` view shows in place of a secret field (credentials, registry auth).
 *
 * @example
 * ```ts
 * const view = { accessKeyId: credentials.accessKeyId, secretAccessKey: REDACTED }; // what toJSON returns
 * ```
 */
export const REDACTED = '[redacted]';

/**
 * Shorter values would redact ordinary words; real AWS secrets, tokens and passwords are 16+ characters.
 *
 * @example
 * ```ts
 * rememberSecret('short');            // ignored: shorter than MIN_SECRET_LENGTH (8)
 * rememberSecret('hunter2-but-long'); // remembered
 * ```
 */
export const MIN_SECRET_LENGTH = 8;

/** A long-running process that sees rotating credentials must not grow without bound: the oldest go first. */
const MAX_REMEMBERED = 512;

const REGISTRY = Symbol.for('glassbox.redaction.secrets');

/** Secret value → what it is (`session token`, `registry password`, …), in the order first seen. */
function registry(): Map<string, string> {
  const holder = globalThis as { [REGISTRY]?: Map<string, string> };
  return (holder[REGISTRY] ??= new Map());
}

/**
 * Remembers a secret for the rest of the process: {@link redactSecrets} replaces it wherever it appears.
 * Values shorter than {@link MIN_SECRET_LENGTH} are ignored.
 *
 * @example
 * ```ts
 * rememberSecret(credentials.sessionToken, 'session token');
 * redactSecrets(`echoed ${credentials.sessionToken}`); // 'echoed [redacted: session token, 356 chars]'
 * ```
 */
export function rememberSecret(value: string | undefined, label = 'secret'): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const known = registry();
  if (known.has(value)) return;
  if (known.size >= MAX_REMEMBERED) known.delete(known.keys().next().value as string);
  known.set(value, label);
}

/**
 * Forgets every remembered secret. For tests that need a process with a clean slate; production code
 * never forgets (a secret printed after it was "forgotten" would still be a leak).
 *
 * @example
 * ```ts
 * forgetSecrets();
 * ```
 */
export function forgetSecrets(): void {
  registry().clear();
}

/**
 * Replaces every occurrence of the given secrets (raw and URI-encoded) in a text with a placeholder that
 * keeps its length, as smithy-rs does in its signing logs. {@link redactSecrets} is this plus the
 * registry and the credential shapes.
 *
 * @example
 * ```ts
 * redact('x-amz-security-token:abc', ['abc'], 'session token'); // 'x-amz-security-token:[redacted: session token, 3 chars]'
 * ```
 */
export function redact(text: string, secrets: readonly (string | undefined)[], label = 'secret'): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    out = replaceForms(out, secret, label);
  }
  return out;
}

function replaceForms(text: string, secret: string, label: string): string {
  let out = text;
  const placeholder = `[redacted: ${label}, ${secret.length} chars]`;
  for (const form of secretForms(secret)) if (out.includes(form)) out = out.split(form).join(placeholder);
  return out;
}

// Every way a secret can be written into a signature's working: raw, RFC 3986-encoded (a presigned
// URL), encodeURIComponent-encoded (leaves ! ' ( ) * raw), and as a canonical header value.
function secretForms(secret: string): Set<string> {
  const rfc3986 = uriEncode(secret); // unlike encodeURIComponent, never throws on a lone surrogate
  const component = rfc3986.replace(/%(21|27|28|29|2A)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return new Set([secret, rfc3986, component, canonicalHeaderValue(secret)].filter((form) => form !== ''));
}

/**
 * Field names whose value is a credential, in the spellings AWS and Docker use: the credential
 * documents of `credential_process`, the container endpoint and IMDS (`SecretAccessKey`, `Token`), STS's
 * XML (`SessionToken`), IAM Identity Center (`secretAccessKey`, `accessToken`), the shared credentials
 * file (`aws_secret_access_key`), ECR (`authorizationToken`), Docker's helper protocol (`Secret`) and
 * config.json (`password`, `identitytoken`, `registrytoken`). Case matters: `token: user AWS` in a trace is
 * prose, `Token: …` is a field.
 */
const FIELD_NAMES = [
  'SecretAccessKey',
  'secretAccessKey',
  'aws_secret_access_key',
  'SessionToken',
  'sessionToken',
  'aws_session_token',
  'Token',
  'accessToken',
  'refreshToken',
  'authorizationToken',
  'identitytoken',
  'registrytoken',
  'Password',
  'password',
  'Secret',
];
const NAME = `(?:${FIELD_NAMES.join('|')})`;

/** `"Name": "value"`, `'Name': 'value'`, `\"Name\":\"value\"` (JSON inside a JSON string), or `"Name": 123`. */
const QUOTED_FIELD = new RegExp(`((\\\\?["'])(${NAME})\\2\\s*[:=]\\s*)(?:(\\\\?["'])(.*?)\\4|([^\\s,}\\]"'\\\\]+))`, 'g');
/** `<SecretAccessKey>value</SecretAccessKey>`: STS's XML. */
const XML_FIELD = new RegExp(`(<(${NAME})>)([^<]*)(</\\2>)`, 'g');
/** `SecretAccessKey=value`, `password: value`: an ini file, a query string or a log line quoted back. */
const BARE_FIELD = new RegExp(`(^|[^A-Za-z0-9_"'\\\\])(${NAME})(\\s*[:=]\\s*)([^\\s"'&,;<>(){}\\[\\]]+)`, 'gm');
/** The session token as a signed header line or a presigned query parameter (a server's echo of our request). */
const TOKEN_HEADER = /^(x-amz-security-token:)(.*)$/gim;
const TOKEN_QUERY = /((?:^|&|\?)X-Amz-Security-Token=)([^&\s']*)/gi;

function placeholder(label: string, value: string): string {
  return `[redacted: ${label}, ${value.length} chars]`;
}

function isPlaceholder(value: string): boolean {
  return value.startsWith('[redacted');
}

/**
 * Removes the values of credential-shaped fields from a text, whoever wrote it.
 *
 * @example
 * ```ts
 * redactCredentialShapes('{"AccessKeyId":"ASIA…","SecretAccessKey":"wJalr…"}');
 * // '{"AccessKeyId":"ASIA…","SecretAccessKey":"[redacted: SecretAccessKey, 6 chars]"}'
 * ```
 */
export function redactCredentialShapes(text: string): string {
  return text
    .replace(TOKEN_HEADER, (_, name: string, value: string) =>
      isPlaceholder(value) ? name + value : `${name}${placeholder('session token', value)}`,
    )
    .replace(TOKEN_QUERY, (_, name: string, value: string) =>
      isPlaceholder(value) ? name + value : `${name}${placeholder('session token', value)}`,
    )
    .replace(
      QUOTED_FIELD,
      (match, head: string, _q: string, name: string, quote: string | undefined, quoted: string | undefined, bare: string | undefined) => {
        const value = quoted ?? bare ?? '';
        if (value === '' || isPlaceholder(value)) return match;
        return quote === undefined ? `${head}"${placeholder(name, value)}"` : `${head}${quote}${placeholder(name, value)}${quote}`;
      },
    )
    .replace(XML_FIELD, (match, open: string, name: string, value: string, close: string) =>
      value.trim() === '' || isPlaceholder(value) ? match : `${open}${placeholder(name, value)}${close}`,
    )
    .replace(BARE_FIELD, (match, before: string, name: string, separator: string, value: string) =>
      isPlaceholder(value) ? match : `${before}${name}${separator}${placeholder(name, value)}`,
    );
}

/** Options of {@link redactSecrets}. */
export interface RedactOptions {
  /** More values to hide in this call only (they are not remembered). */
  secrets?: readonly (string | undefined)[] | undefined;
  /**
   * Also hide credential-shaped fields (default true). False only where the text is what the user asked
   * to see, e.g. a response body `glassbox sign --send` prints: remembered secrets still go.
   */
  shapes?: boolean | undefined;
}

/**
 * The one redaction: every remembered secret, the given ones, and (unless `shapes: false`) the value of
 * every credential-shaped field. Safe to call on any text any number of times.
 *
 * @example
 * ```ts
 * throw new EcrError('CREDENTIAL_PROCESS_FAILED', redactSecrets(`exited with code 1: ${stderr}`));
 * ```
 */
export function redactSecrets(text: string, options: RedactOptions = {}): string {
  if (typeof text !== 'string' || text === '') return text;
  let out = text;
  // Longest first: a password that contains a shorter remembered value must go whole.
  const known = [...registry()].sort((a, b) => b[0].length - a[0].length);
  for (const [secret, label] of known) out = replaceForms(out, secret, label);
  for (const secret of options.secrets ?? [])
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) out = replaceForms(out, secret, 'secret');
  return options.shapes === false ? out : redactCredentialShapes(out);
}

/**
 * {@link redactSecrets} over every string in a JSON-like value (objects, arrays; 8 levels deep), for
 * structured results such as a diagnosis that quotes a server's message.
 *
 * @example
 * ```ts
 * redactDeep({ message: `token ${token}` }); // { message: 'token [redacted: session token, 356 chars]' }
 * ```
 */
export function redactDeep<T>(value: T, options: RedactOptions = {}, depth = 0): T {
  if (depth > 8) return value;
  if (typeof value === 'string') return redactSecrets(value, options) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, options, depth + 1)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, options, depth + 1)])) as T;
  }
  return value;
}

/**
 * A request header's value fit for a trace: the `Authorization` signature and the session token
 * replaced, everything else through {@link redactSecrets}.
 *
 * @example
 * ```ts
 * redactHeaderValue('X-Amz-Security-Token', token); // '[redacted: session token, 356 chars]'
 * ```
 */
export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization') return value.replace(/Signature=[0-9a-f]+/, 'Signature=[redacted]');
  if (lower === 'x-amz-security-token') return placeholder('session token', value);
  return redactSecrets(value);
}
