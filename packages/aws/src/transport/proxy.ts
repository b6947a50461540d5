/**
 * Which proxy a request goes through: `HTTPS_PROXY` for https targets, `HTTP_PROXY` for http ones (either
 * case, lower case first as curl reads them), unless `NO_PROXY` exempts the host. The metadata endpoints
 * (IMDS, the container endpoint) never ask: they are link-local, and the SDKs bypass proxies for them too.
 */

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

function variable(env: Environment, name: string): string | undefined {
  // Lower case first, as curl and most tools do; empty counts as unset.
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** One `NO_PROXY` entry: `*`, `host`, `.domain`, `*.domain`, `host:port`, `[v6]:port`. */
function noProxyEntry(text: string): { host: string; port: string | undefined } | undefined {
  if (text === '') return undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const withPort = /^([^:]+):(\d+)$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1] as string, bracketed[2]]
    : withPort
      ? [withPort[1] as string, withPort[2]]
      : [text, undefined];
  return { host: host.replace(/^\*?\./, ''), port };
}

/**
 * Whether `NO_PROXY` exempts a host: `*`; an exact host; a domain (`example.com`, `.example.com` or
 * `*.example.com`) covering its subdomains; with `:port`, only that port. IP addresses match exactly
 * (no CIDR ranges, as in most tools).
 */
function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.split(/[\s,]+/).some((raw) => {
    const entry = noProxyEntry(raw.trim().toLowerCase());
    if (entry === undefined) return false;
    if (entry.host === '*') return true;
    if (entry.port !== undefined && entry.port !== port) return false;
    return host === entry.host || host.endsWith(`.${entry.host}`);
  });
}

/**
 * The proxy a request to `url` should go through: the explicit option, else `HTTPS_PROXY` for https
 * targets and `HTTP_PROXY` for http ones (either case), unless `NO_PROXY` exempts the host.
 *
 * @example
 * ```ts
 * proxyFor(new URL('https://api.ecr.us-east-1.amazonaws.com/'), { env: { HTTPS_PROXY: 'http://proxy:3128' } });
 * // 'http://proxy:3128'
 * ```
 */
export function proxyFor(
  url: URL,
  options: { env?: Environment | undefined; proxy?: string | false | undefined } = {},
): string | undefined {
  if (options.proxy === false) return undefined;
  if (typeof options.proxy === 'string' && options.proxy !== '') return options.proxy;
  const env = options.env ?? {};
  if (bypassesProxy(url, variable(env, 'NO_PROXY'))) return undefined;
  return url.protocol === 'https:' ? variable(env, 'HTTPS_PROXY') : variable(env, 'HTTP_PROXY');
}

/**
 * A proxy URL fit for a trace: user info removed.
 *
 * @example
 * ```ts
 * displayProxy('http://user:pw@proxy:3128'); // 'http://proxy:3128/ (with credentials)'
 * ```
 */
export function displayProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
      return `${url.href} (with credentials)`;
    }
    return url.href;
  } catch {
    return '[unparseable proxy URL]';
  }
}
