/**
 * What a failed exchange means, and what to do about it. Node and undici report network failures as
 * error codes on the error or its causes (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `ERR_SSL_WRONG_VERSION_NUMBER`, `UND_ERR_SOCKET`…); each family gets a kind, whether a retry can help,
 * and a hint written for the person who has to fix it.
 */
import { TransportError, type NetworkFailureKind } from './errors.ts';

/** Certificate-chain codes from OpenSSL, as Node reports them: the issuer is not trusted. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
// CONNECT_TIMEOUT: a direct exchange's own (node-client.ts); PROXY_CONNECT_TIMEOUT: the tunnel's (exchange.ts).
const CONNECT_TIMEOUT = new Set(['CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'PROXY_CONNECT_TIMEOUT']);
const READ_TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The error codes on an error and its causes, outermost first (abort codes skipped: they say nothing). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function messages(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.join(' / ');
}

/** Where the request went, for messages: method, origin and the proxy, if any. */
export interface FailureTarget {
  /** `GET`, `POST`… */
  method: string;
  /** The target URL. */
  url: URL;
  /** The proxy (without credentials), if one was used. */
  via?: string | undefined;
  /** The CA bundle in use, if any: an untrusted certificate then means the bundle lacks its issuer. */
  caFrom?: string | undefined;
  /** The connect limit (ms), for timeout messages. */
  connectTimeoutMs: number;
  /** The read limit (ms), for timeout messages. */
  readTimeoutMs: number;
}

/** A classified failure: the kind, its code, whether a retry may help, and the hint. */
export interface NetworkFailure {
  /** Which failure. */
  kind: NetworkFailureKind;
  /** The underlying code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
  code: string | undefined;
  /** Whether the same request may succeed if sent again. */
  retryable: boolean;
  /** What happened, one clause. */
  what: string;
  /** What to do. */
  hint: string;
}

/** `https://host:port` of a URL, with its default port spelt out (people compare ports). */
function authority(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/**
 * Classifies a failure from Node or undici. A read timeout of our own passes `code: 'READ_TIMEOUT'` with
 * `phase`; the connect phase of a proxy tunnel `PROXY_CONNECT_TIMEOUT`.
 *
 * @example
 * ```ts
 * classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), target).kind; // 'refused'
 * ```
 */
export function classifyFailure(error: unknown, target: FailureTarget): NetworkFailure {
  const codes = errorCodes(error);
  const detail = messages(error);
  const has = (set: ReadonlySet<string>): string | undefined => codes.find((code) => set.has(code));
  const host = authority(target.url);
  const proxied = target.via === undefined ? '' : ` through the proxy ${target.via}`;

  const untrusted = has(UNTRUSTED);
  if (untrusted !== undefined) {
    return {
      kind: 'untrusted-certificate',
      code: untrusted,
      retryable: false,
      what: `the TLS certificate of ${host} is not trusted (${untrusted}${untrusted.includes('SELF_SIGNED') ? ': self-signed' : ''})`,
      hint:
        target.caFrom === undefined
          ? 'If the server uses a private or self-signed CA, point AWS_CA_BUNDLE (or ca_bundle in the profile) at a PEM file of that CA, or add it with NODE_EXTRA_CA_CERTS.'
          : `The CA bundle from ${target.caFrom} replaces the default roots and does not hold this certificate's issuer: add the issuing CA to that file, or unset it to trust the public CAs.`,
    };
  }
  const expired = has(EXPIRED);
  if (expired !== undefined) {
    return {
      kind: 'expired-certificate',
      code: expired,
      retryable: false,
      what: `the TLS certificate of ${host} is ${expired === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'} (${expired})`,
      hint: "Renew the server's certificate, or check this machine's clock.",
    };
  }
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) {
    return {
      kind: 'hostname-mismatch',
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      retryable: false,
      what: `the TLS certificate of ${host} is for another name (${detail.match(/Host: [^.]*\. is not in the cert's altnames: [^/]*|IP: [^ ]* is not in the cert's list: [^/]*/)?.[0] ?? 'ERR_TLS_CERT_ALTNAME_INVALID'})`,
      hint: 'Use a host name the certificate names in the endpoint URL, or give the server a certificate for this name.',
    };
  }
  const notTls = codes.find(
    (code) => code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_HTTP_REQUEST' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  );
  if (notTls !== undefined || /wrong version number|http request/i.test(detail)) {
    return {
      kind: 'not-tls',
      code: notTls ?? codes[0],
      retryable: false,
      what: `${host} did not answer in TLS (${notTls ?? 'wrong version number'}): it looks like a plain-HTTP port`,
      hint: `Use http:// instead of https:// for this endpoint, or the port that serves https.`,
    };
  }
  const tls = codes.find((code) => code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO');
  if (tls !== undefined) {
    return {
      kind: 'tls',
      code: tls,
      retryable: false,
      what: `the TLS handshake with ${host} failed (${tls}: ${detail})`,
      hint: 'Check that the endpoint serves https on this port, and its TLS versions and ciphers.',
    };
  }
  const proxyStatus = /Proxy response \((\d+)\)/.exec(detail);
  if (proxyStatus !== null) {
    return {
      kind: 'proxy',
      code: `PROXY_HTTP_${proxyStatus[1]}`,
      retryable: proxyStatus[1] === '502' || proxyStatus[1] === '503' || proxyStatus[1] === '504',
      what: `the proxy ${target.via ?? ''} refused to open a tunnel to ${host} (HTTP ${proxyStatus[1]})`,
      hint: 'Check HTTPS_PROXY / HTTP_PROXY and the proxy credentials in it, or add the host to NO_PROXY.',
    };
  }
  const dns = has(DNS);
  if (dns !== undefined) {
    return {
      kind: 'dns',
      code: dns,
      retryable: dns === 'EAI_AGAIN',
      what: `the name ${target.url.hostname} could not be resolved (${dns}${dns === 'EAI_AGAIN' ? ': the DNS server did not answer in time' : ''})`,
      hint: "Check the host in the endpoint URL (and the region it was built from), this machine's DNS, or set HTTPS_PROXY if only a proxy can reach it.",
    };
  }
  if (codes.includes('ECONNREFUSED')) {
    return {
      kind: 'refused',
      code: 'ECONNREFUSED',
      retryable: true,
      what: `nothing accepts connections at ${target.via === undefined ? host : `the proxy ${target.via}`} (ECONNREFUSED)`,
      hint:
        target.via === undefined
          ? 'Check the endpoint URL and its port, and that the service is running.'
          : 'Check HTTPS_PROXY / HTTP_PROXY, and that the proxy is running.',
    };
  }
  const unreachable = has(UNREACHABLE);
  if (unreachable !== undefined) {
    return {
      kind: 'unreachable',
      code: unreachable,
      retryable: true,
      what: `${host} cannot be reached (${unreachable})`,
      hint: 'Check the network route and firewall, or set HTTPS_PROXY if only a proxy can reach it.',
    };
  }
  const connectTimeout = has(CONNECT_TIMEOUT);
  if (connectTimeout !== undefined) {
    return {
      kind: 'connect-timeout',
      code: connectTimeout,
      retryable: true,
      what: `connecting to ${host}${proxied} took longer than ${target.connectTimeoutMs} ms`,
      hint: `Check the network path${target.via === undefined ? '' : ' and the proxy'} (a firewall that drops packets looks like this), or raise the connect timeout.`,
    };
  }
  const readTimeout = has(READ_TIMEOUT) ?? (codes.includes('READ_TIMEOUT') ? 'READ_TIMEOUT' : undefined);
  if (readTimeout !== undefined) {
    const phase = (error as { phase?: string }).phase;
    return {
      kind: 'read-timeout',
      code: readTimeout,
      retryable: true,
      what:
        phase === 'body'
          ? `the response from ${host} stalled: no data for ${target.readTimeoutMs} ms`
          : `${host}${proxied} did not answer within ${target.readTimeoutMs} ms`,
      hint: 'The service or the network is slow: try again, or raise the read timeout.',
    };
  }
  const reset = has(RESET);
  if (reset !== undefined || /other side closed|socket hang up|premature close/i.test(detail)) {
    return {
      kind: 'reset',
      code: reset ?? codes[0],
      retryable: true,
      what: `the connection to ${host}${proxied} was closed before the response was complete (${reset ?? detail})`,
      hint:
        target.url.protocol === 'http:'
          ? 'If the endpoint serves https, use https:// (a TLS port closes plain-HTTP connections like this); otherwise try again, or check the proxy and the network.'
          : 'Try again; if it keeps happening, check the proxy, a load balancer or the network in between.',
    };
  }
  return {
    kind: 'other',
    code: codes[0],
    retryable: false,
    what: `the exchange with ${host}${proxied} failed: ${detail}${codes[0] === undefined ? '' : ` (${codes[0]})`}`,
    hint: 'Check the endpoint URL, the proxy settings and the network.',
  };
}

/**
 * The error to throw for a classified failure: `TIMEOUT` for the two timeouts, `NETWORK_ERROR` otherwise;
 * the message is the target, what happened and the hint.
 *
 * @example
 * ```ts
 * throw failureError(classifyFailure(cause, target), target, cause);
 * ```
 */
export function failureError(
  failure: NetworkFailure,
  target: Pick<FailureTarget, 'method' | 'url' | 'via'>,
  cause: unknown,
): TransportError {
  const code = failure.kind === 'connect-timeout' || failure.kind === 'read-timeout' ? 'TIMEOUT' : 'NETWORK_ERROR';
  const where = `${target.method} ${target.url.origin}${target.via === undefined ? '' : ` via proxy ${target.via}`}`;
  return new TransportError(code, `${where}: ${failure.what}. ${failure.hint}`, {
    cause,
    kind: failure.kind,
    hint: failure.hint,
    causeCode: failure.code,
    via: target.via,
  });
}
