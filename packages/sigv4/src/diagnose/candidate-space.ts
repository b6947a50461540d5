import { canonicalHeaderValue } from '../canonical-headers.ts';
import { canonicalUri } from '../canonical-uri.ts';
import { EMPTY_BODY_SHA256, QUERY, SCOPE_TERMINATOR, UNSIGNED_PAYLOAD } from '../constants.ts';
import type { Sha256 } from '../hash.ts';
import { headerValue, hostFor } from '../request.ts';
import { uriDecodeText, uriEncode, uriEncodeOnce } from '../uri-encode.ts';
import type { CapturedRequest } from './captured-request.ts';
import { signsPathOnce, type BehaviourPart, type SignerBehaviour } from './signer-behaviour.ts';

// The candidate space of a reconstruction: for each part of the canonical request (and the scope and
// time of the string to sign), the distinct values real clients produce for this request, each with
// the behaviours that produce it and a cost that orders the search (1: common mistakes, 2: less
// common, 3: rare, 4: guessed values). Index 0 of every part is the service's own rule, at cost 0.
// Equal values are kept once, with the cheapest explanation, so the search never hashes a canonical
// request twice.

/** One value of one part, and how a client comes to sign it. */
export interface Variant {
  readonly value: string;
  readonly cost: number;
  readonly behaviours: readonly SignerBehaviour[];
  /** For the scope part: the date, region and service of the signing key. */
  readonly scope?: { readonly dateStamp: string; readonly region: string; readonly service: string } | undefined;
}

/** One part of the canonical request or string to sign, with its variants, the rule first. */
export interface Dimension {
  readonly part: BehaviourPart;
  /** What it is, for "ruled out" lists: `path`, `query`, `header content-type`, … */
  readonly label: string;
  /** For a header dimension, the lower-case header name. */
  readonly header?: string | undefined;
  readonly variants: readonly Variant[];
}

/** What the search may use besides the request: hints for the scope, and the hash for body hashes. */
export interface SpaceContext {
  readonly sha256: Sha256;
  /** Extra regions and services to try in the scope (the server's expected ones, the user's). */
  readonly regions?: readonly string[] | undefined;
  readonly services?: readonly string[] | undefined;
}

class Variants {
  readonly #byValue = new Map<string, Variant>();
  add(value: string, cost: number, behaviours: readonly SignerBehaviour[], scope?: Variant['scope']): void {
    const existing = this.#byValue.get(value);
    if (existing === undefined || existing.cost > cost) this.#byValue.set(value, { value, cost, behaviours, scope });
  }
  list(): Variant[] {
    // Stable: equal costs keep the order they were added in (most common first).
    return [...this.#byValue.values()].sort((a, b) => a.cost - b.cost);
  }
}

const b = (
  code: SignerBehaviour['code'],
  part: BehaviourPart,
  diagnosis: SignerBehaviour['diagnosis'],
  did: string,
  expected: string,
  fix: string,
): SignerBehaviour => ({ code, part, did, expected, fix, diagnosis });

/** Every dimension of the space, in canonical-request order, then scope and time. */
export function candidateSpace(captured: CapturedRequest, given: SpaceContext): Dimension[] {
  // The body is hashed once here (a large body would otherwise be read once per use).
  const bodyHash = given.sha256.hex(captured.body);
  const context = { ...given, bodyHash };
  const headerNames = captured.signedHeaders.split(';').map((n) => n.toLowerCase());
  return [
    pathDimension(captured),
    queryDimension(captured),
    signedListDimension(headerNames, captured.signedHeaders),
    ...[...new Set(headerNames)].map((name) => headerDimension(captured, name, context)),
    payloadDimension(captured, context),
    scopeDimension(captured, context),
    timeDimension(captured),
  ];
}

// ---------------------------------------------------------------------------------------------
// Path: encoded once or twice, normalised or not, and the smaller slips.

function pathDimension(c: CapturedRequest): Dimension {
  const s = c.service;
  const once = signsPathOnce(s);
  const encoding = once
    ? b(
        'PATH_ENCODED_TWICE',
        'path',
        'PATH_ENCODING',
        'encoded the path twice, as services other than S3 do',
        `${s} expects it encoded once`,
        'Encode the path once for S3 (sign() with doubleEncode: false; @smithy/signature-v4 with uriEscapePath: false).',
      )
    : b(
        'PATH_ENCODED_ONCE',
        'path',
        'PATH_ENCODING',
        'encoded the path once, as S3 does',
        `${s} expects it encoded twice`,
        'Encode the already-encoded path again for every service but S3 (sign() default doubleEncode: true; @smithy/signature-v4 uriEscapePath: true).',
      );
  const normalising = once
    ? b(
        'PATH_NORMALIZED',
        'path',
        'PATH_NOT_NORMALIZED',
        "resolved '.', '..' and '//' in the path, as services other than S3 do",
        `${s} signs the path as sent`,
        'Sign S3 paths as sent (normalizePath: false).',
      )
    : b(
        'PATH_NOT_NORMALIZED',
        'path',
        'PATH_NOT_NORMALIZED',
        "kept '.', '..' and '//' segments in the path, as S3 does",
        `${s} resolves them before encoding`,
        'Resolve dot segments and collapse // before encoding (normalizePath: true), or send the normalised path.',
      );
  const sources: { path: string; cost: number; behaviours: SignerBehaviour[] }[] = [{ path: c.path, cost: 0, behaviours: [] }];
  if (c.path.length > 1 && c.path.endsWith('/')) {
    sources.push({
      path: c.path.slice(0, -1),
      cost: 3,
      behaviours: [
        b(
          'PATH_TRAILING_SLASH_DROPPED',
          'path',
          'PATH_CHANGED',
          'signed the path without its trailing slash',
          'the request path ends in /',
          'Sign the path exactly as sent, trailing slash included.',
        ),
      ],
    });
  } else if (c.path.length > 1) {
    sources.push({
      path: `${c.path}/`,
      cost: 3,
      behaviours: [
        b(
          'PATH_TRAILING_SLASH_ADDED',
          'path',
          'PATH_CHANGED',
          'signed the path with a trailing slash',
          'the request path has none',
          'Sign the path exactly as sent.',
        ),
      ],
    });
  }
  if (c.path.includes('+')) {
    sources.push({
      path: c.path.replace(/\+/g, '%20'),
      cost: 2,
      behaviours: [
        b(
          'PATH_PLUS_AS_SPACE',
          'path',
          'PATH_ENCODING',
          "read '+' in the path as a space",
          "'+' in a path is a literal plus",
          "Keep '+' in the path as '+' (a space is %20).",
        ),
      ],
    });
  }
  const variants = new Variants();
  for (const source of sources) {
    for (const double of [!once, once]) {
      for (const normalize of [!once, once]) {
        const value = canonicalUri(source.path, { doubleEncode: double, normalizePath: normalize });
        const behaviours = [...source.behaviours, ...(double === once ? [encoding] : []), ...(normalize === once ? [normalising] : [])];
        const cost = source.cost + (double === once ? 1 : 0) + (normalize === once ? 2 : 0);
        variants.add(value, cost, behaviours);
        const loose = value.replace(/%(21|27|28|29|2A)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        variants.add(loose, cost + 2, [
          ...behaviours,
          b(
            'PATH_RESERVED_NOT_ENCODED',
            'path',
            'PATH_ENCODING',
            "left ! ' ( ) * unencoded in the path, as encodeURIComponent does",
            'SigV4 encodes them as %21 %27 %28 %29 %2A',
            "Encode ! ' ( ) * too (encodeURIComponent leaves them).",
          ),
        ]);
      }
    }
  }
  variants.add(c.path, 2, [
    b(
      'PATH_NOT_ENCODED',
      'path',
      'PATH_ENCODING',
      'signed the path as written, without URI-encoding it',
      `${s} URI-encodes every byte but A-Z a-z 0-9 - _ . ~ and /`,
      'URI-encode each path segment before signing.',
    ),
  ]);
  return { part: 'path', label: 'path', variants: variants.list() };
}

// ---------------------------------------------------------------------------------------------
// Query: order, encoding, empty values, and a token added after signing.

type Encoding = { cost: number; behaviour: SignerBehaviour | undefined; encode: (text: string) => string };

function queryDimension(c: CapturedRequest): Dimension {
  const s = c.service;
  const pieces: [string, string, boolean][] = [];
  for (const piece of c.query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = eq === -1 ? piece : piece.slice(0, eq);
    if (uriDecodeText(key) === QUERY.signature) continue;
    pieces.push([key, eq === -1 ? '' : piece.slice(eq + 1), eq !== -1]);
  }
  const unescapeReserved = (text: string): string =>
    text.replace(/%(21|27|28|29|2A)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const encodings: Encoding[] = [{ cost: 0, behaviour: undefined, encode: uriEncodeOnce }];
  if (c.query.includes('+')) {
    encodings.push({
      cost: 1,
      behaviour: b(
        'QUERY_PLUS_AS_SPACE',
        'query',
        'QUERY_ENCODING',
        "read '+' in the query as a space (%20), as HTML forms do",
        `${s} reads it as a literal plus (%2B)`,
        "Send a space as %20 in the query, never '+' (URLSearchParams writes '+'), and sign what you send.",
      ),
      encode: (t) => uriEncodeOnce(t.replace(/\+/g, '%20')),
    });
  }
  encodings.push(
    {
      cost: 2,
      behaviour: b(
        'QUERY_RESERVED_NOT_ENCODED',
        'query',
        'QUERY_ENCODING',
        "left ! ' ( ) * unencoded in the query, as encodeURIComponent does",
        'SigV4 encodes them as %21 %27 %28 %29 %2A',
        "Encode ! ' ( ) * too (encodeURIComponent leaves them).",
      ),
      encode: (t) => unescapeReserved(uriEncodeOnce(t)),
    },
    {
      cost: 2,
      behaviour: b(
        'QUERY_NOT_ENCODED',
        'query',
        'QUERY_ENCODING',
        'signed the query as written, without URI-encoding names and values',
        'SigV4 URI-encodes each name and value once',
        'URI-encode each query name and value exactly once before signing.',
      ),
      encode: (t) => t,
    },
    {
      cost: 2,
      behaviour: b(
        'QUERY_DOUBLE_ENCODED',
        'query',
        'QUERY_ENCODING',
        'encoded the already-encoded query values a second time',
        'SigV4 encodes query names and values exactly once',
        'Decode, then encode each query name and value once.',
      ),
      encode: uriEncode,
    },
  );
  const orders = [
    { cost: 0, behaviour: undefined as SignerBehaviour | undefined, sort: sortByNameThenValue },
    {
      cost: 1,
      behaviour: b(
        'QUERY_UNSORTED',
        'query',
        'QUERY_ORDER',
        'kept the query parameters in the order sent (curl 7.88 --aws-sigv4 does)',
        `${s} expects them sorted by name, then value`,
        'Sort the parameters by encoded name, then encoded value, before signing.',
      ),
      sort: (p: [string, string, boolean][]) => p,
    },
    {
      cost: 2,
      behaviour: b(
        'QUERY_SORTED_BY_NAME_ONLY',
        'query',
        'QUERY_ORDER',
        'sorted the query by name but kept repeated names in the order sent',
        `${s} sorts repeated names by value`,
        'Sort by encoded name, then by encoded value.',
      ),
      sort: (p: [string, string, boolean][]) => [...p].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)),
    },
  ];
  const tokenIndex = c.mode === 'query' ? pieces.findIndex(([k]) => uriDecodeText(k) === QUERY.securityToken) : -1;
  const tokenChoices = tokenIndex === -1 ? [false] : [false, true];
  const hasEmpty = pieces.some(([, v]) => v === '');
  const variants = new Variants();
  for (const withoutToken of tokenChoices) {
    const base = withoutToken ? pieces.filter((_, i) => i !== tokenIndex) : pieces;
    for (const encoding of encodings) {
      const encoded = base.map(([k, v, eq]) => [encoding.encode(k), encoding.encode(v), eq] as [string, string, boolean]);
      for (const order of orders) {
        const ordered = order.sort(encoded);
        for (const bare of hasEmpty ? [false, true] : [false]) {
          const value = ordered.map(([k, v]) => (bare && v === '' ? k : `${k}=${v}`)).join('&');
          const behaviours = [encoding.behaviour, order.behaviour].filter((x): x is SignerBehaviour => x !== undefined);
          if (bare)
            behaviours.push(
              b(
                'QUERY_EMPTY_VALUE_WITHOUT_EQUALS',
                'query',
                'QUERY_ENCODING',
                "signed a parameter with an empty value without its '=' ('a' instead of 'a=')",
                'SigV4 writes every parameter as name=value, empty values included',
                "Write empty parameters as 'name=' in the canonical query.",
              ),
            );
          if (withoutToken)
            behaviours.push(
              b(
                'QUERY_TOKEN_ADDED_AFTER_SIGNING',
                'query',
                'SESSION_TOKEN_INVALID',
                'added X-Amz-Security-Token to the URL after signing it',
                `${s} expects the token signed, among the other X-Amz-* parameters`,
                'Put X-Amz-Security-Token in the query before computing the signature (presign with the session token).',
              ),
            );
          variants.add(value, encoding.cost + order.cost + (bare ? 2 : 0) + (withoutToken ? 1 : 0), behaviours);
        }
      }
    }
  }
  return { part: 'query', label: 'query', variants: variants.list() };
}

function sortByNameThenValue(pairs: [string, string, boolean][]): [string, string, boolean][] {
  return [...pairs].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Headers: the list's order, each value's white space, and what transport changes after signing.

function signedListDimension(names: readonly string[], given: string): Dimension {
  const variants = new Variants();
  variants.add([...names].sort().join(';'), 0, []);
  variants.add(names.join(';'), 2, [
    b(
      'SIGNED_HEADERS_UNSORTED',
      'headers',
      'SIGNED_HEADERS_ORDER',
      `listed and canonicalised the signed headers in the order '${given}'`,
      'SigV4 sorts them by name',
      'Sort the canonical headers and SignedHeaders by lower-case name.',
    ),
  ]);
  return { part: 'headers', label: 'SignedHeaders order', variants: variants.list() };
}

const COMMON_CONTENT_TYPES = [
  'application/octet-stream',
  'binary/octet-stream',
  'application/json',
  'application/xml',
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'text/csv',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/svg+xml',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'video/mp4',
  'audio/mpeg',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'multipart/form-data',
  'application/x-amz-json-1.0',
  'application/x-amz-json-1.1',
];

function headerDimension(c: CapturedRequest, name: string, context: SpaceContext & { bodyHash: string }): Dimension {
  const values: string[] = [];
  for (const [n, v] of c.headers) if (n.toLowerCase() === name) values.push(v);
  // A request given as a URL without a Host header is sent with the URL's host, as every HTTP client does.
  if (name === 'host' && values.length === 0 && c.authority !== undefined) values.push(hostFor(c.scheme, c.authority));
  const variants = new Variants();
  const presigned = c.mode === 'query';
  const received = values.length === 0 ? undefined : values.map(canonicalHeaderValue).join(',');
  const arrived =
    received === undefined
      ? presigned
        ? `the upload sent no ${name}`
        : `the request carries no ${name}`
      : `${presigned ? 'the upload sent' : 'the request carries'} '${received}'`;
  const signedAs = (
    value: string,
    cost: number,
    code: 'HEADER_CHANGED_AFTER_SIGNING' | 'HEADER_DROPPED_AFTER_SIGNING' | 'HEADER_CHARSET_ADDED_AFTER_SIGNING',
    why = '',
  ): void => {
    variants.add(value, cost, [
      b(
        code,
        'headers',
        code === 'HEADER_DROPPED_AFTER_SIGNING' ? 'HEADER_REMOVED' : 'HEADER_VALUE_CHANGED',
        `${presigned ? 'presigned the URL with' : 'signed'} ${name}: '${value}'`,
        `${arrived}${why}`,
        presigned
          ? `Send ${name}: ${value} with the request, exactly as when the URL was presigned (or presign without it).`
          : `Send ${name} exactly as signed (set it before signing, and keep proxies and HTTP clients from changing it), or leave it unsigned.`,
      ),
    ]);
  };
  variants.add(received ?? '', 0, []);
  // A session token is a credential: no variant may quote it, and transports do not rewrite it.
  if (name === 'x-amz-security-token') return { part: 'headers', label: `header ${name}`, header: name, variants: variants.list() };
  const fromQuery = queryValue(c, name);
  if (fromQuery !== undefined)
    signedAs(
      fromQuery,
      1,
      values.length === 0 ? 'HEADER_DROPPED_AFTER_SIGNING' : 'HEADER_CHANGED_AFTER_SIGNING',
      ' (the URL itself names this value)',
    );
  if (values.length > 0) {
    variants.add(values.map((v) => v.trim()).join(','), 2, [
      b(
        'HEADER_SPACES_NOT_COLLAPSED',
        'headers',
        'HEADER_VALUE_WHITESPACE',
        `kept the inner runs of spaces in ${name}`,
        'SigV4 collapses them to one space',
        'Collapse runs of white space in header values to one space before signing.',
      ),
    ]);
    variants.add(values.join(','), 2, [
      b(
        'HEADER_NOT_TRIMMED',
        'headers',
        'HEADER_VALUE_WHITESPACE',
        `signed ${name} without trimming its value`,
        'SigV4 trims leading and trailing white space',
        'Trim header values before signing.',
      ),
    ]);
    if (values.length > 1) {
      variants.add(values.map(canonicalHeaderValue).join(', '), 2, [
        b(
          'HEADER_REPEATS_JOINED_WITH_SPACE',
          'headers',
          'HEADER_VALUE_CHANGED',
          `joined the repeated ${name} values with ', '`,
          "SigV4 joins them with ',' alone",
          "Join repeated header values with ',' (no space).",
        ),
      ]);
    } else if (/,\s/.test(received!)) {
      variants.add(received!.replace(/,\s+/g, ','), 1, [
        b(
          'HEADER_REPEATS_JOINED_WITH_SPACE',
          'headers',
          'HEADER_VALUE_CHANGED',
          `signed ${name} as separate lines ('${received!.replace(/,\s+/g, ',')}')`,
          `they arrived folded into one line ('${received}'), as proxies may do`,
          'Send one header line with the joined value, and sign that.',
        ),
      ]);
    }
    if (name === 'host') hostVariants(received!, c.authority, variants);
    if (name === 'content-type') {
      if (/;\s*charset=utf-8\s*$/i.test(received!))
        signedAs(
          received!.replace(/\s*;\s*charset=utf-8\s*$/i, ''),
          1,
          'HEADER_CHARSET_ADDED_AFTER_SIGNING',
          ', the charset added after signing by the HTTP client',
        );
      else {
        signedAs(`${received}; charset=utf-8`, 2, 'HEADER_CHANGED_AFTER_SIGNING', ', the charset dropped after signing');
        signedAs(`${received};charset=UTF-8`, 3, 'HEADER_CHANGED_AFTER_SIGNING', ', the charset dropped after signing');
      }
    }
    if (name === 'content-length') {
      // The length of the body as it arrived, and of that body before a newline was added or dropped.
      const ends = c.body.length > 0 && c.body[c.body.length - 1] === 0x0a;
      for (const length of [c.body.length, ends ? c.body.length - 1 : c.body.length + 1])
        signedAs(String(length), 2, 'HEADER_CHANGED_AFTER_SIGNING');
    }
  }
  const wellKnown: Record<string, readonly string[]> = {
    'content-length': [String(c.body.length), '0'],
    expect: ['100-continue'],
    'transfer-encoding': ['chunked'],
    'content-encoding': ['gzip', 'aws-chunked'],
    'x-amz-decoded-content-length': [String(c.body.length)],
    'accept-encoding': ['gzip', 'identity', 'gzip, deflate', 'gzip, deflate, br'],
    'x-amz-content-sha256': [context.bodyHash, UNSIGNED_PAYLOAD],
    host: c.authority === undefined ? [] : [c.authority],
  };
  for (const value of wellKnown[name] ?? [])
    signedAs(
      value,
      name === 'expect' || name === 'content-length' ? 1 : 2,
      values.length === 0 ? 'HEADER_DROPPED_AFTER_SIGNING' : 'HEADER_CHANGED_AFTER_SIGNING',
    );
  if (name === 'content-type')
    for (const value of COMMON_CONTENT_TYPES)
      signedAs(value, 4, values.length === 0 ? 'HEADER_DROPPED_AFTER_SIGNING' : 'HEADER_CHANGED_AFTER_SIGNING');
  return { part: 'headers', label: `header ${name}`, header: name, variants: variants.list() };
}

function hostVariants(host: string, authority: string | undefined, variants: Variants): void {
  const port = /:(\d+)$/.exec(host);
  if (port) {
    variants.add(host.slice(0, port.index), 1, [
      b(
        'HOST_PORT_DROPPED',
        'headers',
        'HEADER_VALUE_CHANGED',
        `signed the host without its port (${host.slice(0, port.index)})`,
        `the Host header carries :${port[1]}`,
        'Sign the Host header as sent: with its port when it is not the default one.',
      ),
    ]);
  } else {
    variants.add(`${host}:443`, 1, [
      b(
        'HOST_PORT_ADDED',
        'headers',
        'HEADER_VALUE_CHANGED',
        `signed the host with the default port (${host}:443)`,
        'the Host header carries no port',
        'Sign the Host header as sent: without :443 or :80.',
      ),
    ]);
    variants.add(`${host}:80`, 2, [
      b(
        'HOST_PORT_ADDED',
        'headers',
        'HEADER_VALUE_CHANGED',
        `signed the host with the default port (${host}:80)`,
        'the Host header carries no port',
        'Sign the Host header as sent: without :443 or :80.',
      ),
    ]);
  }
  if (authority !== undefined && authority !== host) {
    variants.add(authority, 1, [
      b(
        'HEADER_CHANGED_AFTER_SIGNING',
        'headers',
        'HEADER_VALUE_CHANGED',
        `signed host '${authority}' (the URL's)`,
        `the Host header says '${host}' (a proxy or client rewrote it)`,
        'Sign the Host the server receives.',
      ),
    ]);
  }
}

/** A query parameter named like a header (`Content-Type=…`, `x-amz-acl=…`): the URL names its value. */
function queryValue(c: CapturedRequest, name: string): string | undefined {
  for (const piece of c.query.split('&')) {
    const eq = piece.indexOf('=');
    if (eq > 0 && uriDecodeText(piece.slice(0, eq)).toLowerCase() === name) return canonicalHeaderValue(uriDecodeText(piece.slice(eq + 1)));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Payload: which hash stands for the body.

function payloadDimension(c: CapturedRequest, context: SpaceContext & { bodyHash: string }): Dimension {
  const s = c.service;
  const hex = (bytes: Uint8Array): string => context.sha256.hex(bytes);
  const bodyHash = context.bodyHash;
  const declared = headerValue(c.headers, 'x-amz-content-sha256')?.trim();
  const rules = c.mode === 'query' && signsPathOnce(s) ? UNSIGNED_PAYLOAD : (declared ?? bodyHash);
  const expected =
    rules === UNSIGNED_PAYLOAD
      ? `${s} signs UNSIGNED-PAYLOAD for a presigned URL`
      : rules === declared
        ? `${s} signs the x-amz-content-sha256 value (${short(declared)})`
        : `${s} signs the hash of the body it received`;
  const variants = new Variants();
  variants.add(rules, 0, []);
  const add = (value: string, cost: number, code: SignerBehaviour['code'], did: string, fix: string): void =>
    variants.add(value, cost, [b(code, 'payload', 'PAYLOAD_HASH', did, expected, fix)]);
  const exact = 'Sign the hash of the exact bytes sent (or send x-amz-content-sha256 and sign its value).';
  // An empty body's hash is named as such: "the hash of the body" would hide that nothing was hashed.
  const empty = (): void =>
    add(
      EMPTY_BODY_SHA256,
      1,
      'PAYLOAD_EMPTY_HASH',
      'signed the hash of an empty body',
      c.body.length === 0 ? exact : 'Hash the body before signing (the signer was given no body, or a stream it did not read).',
    );
  if (c.body.length === 0) empty();
  add(bodyHash, 1, 'PAYLOAD_BODY_HASH', `signed the hash of the body (${short(bodyHash)})`, exact);
  if (declared !== undefined) add(declared, 1, 'PAYLOAD_HEADER_VALUE', `signed the x-amz-content-sha256 value (${short(declared)})`, exact);
  if (c.body.length > 0) empty();
  add(
    UNSIGNED_PAYLOAD,
    1,
    'PAYLOAD_UNSIGNED',
    'signed UNSIGNED-PAYLOAD instead of a hash',
    'Sign UNSIGNED-PAYLOAD only where the service accepts it (S3), and send x-amz-content-sha256: UNSIGNED-PAYLOAD with it.',
  );
  for (const streaming of [
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  ]) {
    add(
      streaming,
      2,
      'PAYLOAD_STREAMING',
      `signed ${streaming}, the value of an aws-chunked upload`,
      'Send the aws-chunked body with x-amz-content-sha256 set to the same value, or sign the hash of the plain body.',
    );
  }
  const last = c.body.length > 0 ? c.body[c.body.length - 1] : undefined;
  if (last === 0x0a)
    add(
      hex(c.body.subarray(0, c.body.length - 1)),
      2,
      'PAYLOAD_BODY_CHANGED',
      'signed the body without the final newline it arrived with (added after signing, by echo or an editor)',
      'Sign the exact bytes sent; strip the newline before sending, or sign it.',
    );
  else {
    const withNewline = new Uint8Array(c.body.length + 1);
    withNewline.set(c.body);
    withNewline[c.body.length] = 0x0a;
    add(
      hex(withNewline),
      3,
      'PAYLOAD_BODY_CHANGED',
      'signed the body with a final newline that did not arrive',
      'Sign the exact bytes sent.',
    );
  }
  return { part: 'payload', label: 'payload hash', variants: variants.list() };
}

const short = (hash: string): string => (/^[0-9a-f]{64}$/.test(hash) ? `${hash.slice(0, 8)}…` : hash);

// ---------------------------------------------------------------------------------------------
// Scope and time: what the signing key was derived for, and the time line of the string to sign.

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The region and service names a host suggests: `api.ecr.eu-west-1.amazonaws.com` → eu-west-1, ecr. */
export function hostScopeHints(host: string | undefined): { regions: string[]; services: string[] } {
  const regions: string[] = [];
  const services: string[] = [];
  if (host === undefined) return { regions, services };
  const labels = host.replace(/:\d+$/, '').toLowerCase().split('.');
  const at = labels.findIndex((l) => REGION.test(l));
  if (at !== -1) regions.push(labels[at]!);
  if (at > 0) {
    services.push(labels[at - 1]!);
    if (at > 1) services.push(`${labels[at - 2]}.${labels[at - 1]}`, labels[0]!);
  }
  const legacy = /^s3[.-]([a-z]{2}(?:-[a-z]+)+-\d+)$/.exec(labels.find((l) => l.startsWith('s3-')) ?? '');
  if (legacy) regions.push(legacy[1]!);
  return { regions, services };
}

const CONFUSIONS: Record<string, readonly string[]> = {
  s3: ['s3-object-lambda', 's3express'],
  's3-object-lambda': ['s3'],
  es: ['aoss'],
  aoss: ['es'],
  ecr: ['api.ecr', 'ecr-public'],
  'api.ecr': ['ecr'],
  'execute-api': ['apigateway'],
  monitoring: ['cloudwatch'],
  email: ['ses'],
};

function scopeDimension(c: CapturedRequest, context: SpaceContext): Dimension {
  const variants = new Variants();
  const scope = (dateStamp: string, region: string, service: string) => ({ dateStamp, region, service });
  const value = (s: ReturnType<typeof scope>): string => `${s.dateStamp}/${s.region}/${s.service}/${SCOPE_TERMINATOR}`;
  const claimed = scope(c.dateStamp, c.region, c.service);
  variants.add(value(claimed), 0, [], claimed);
  const hints = hostScopeHints(c.authority ?? headerValue(c.headers, 'host'));
  for (const region of new Set([...(context.regions ?? []), ...hints.regions, 'us-east-1'])) {
    const s = scope(c.dateStamp, region, c.service);
    variants.add(
      value(s),
      3,
      [
        b(
          'SCOPE_REGION',
          'scope',
          'WRONG_REGION',
          `signed for region '${region}'`,
          `its Credential names '${c.region}'`,
          `Derive the signing key and the scope from the same region: the endpoint's ('${c.region}' here, as sent).`,
        ),
      ],
      s,
    );
  }
  for (const service of new Set([...(context.services ?? []), ...hints.services, ...(CONFUSIONS[c.service] ?? [])])) {
    const s = scope(c.dateStamp, c.region, service);
    variants.add(
      value(s),
      3,
      [
        b(
          'SCOPE_SERVICE',
          'scope',
          'WRONG_SERVICE',
          `signed for service '${service}'`,
          `its Credential names '${c.service}'`,
          `Sign with one service name for the key and the scope: the signing name ('${c.service}' as sent).`,
        ),
      ],
      s,
    );
  }
  const dates = new Set<string>();
  if (c.amzDate !== undefined && /^\d{8}T/.test(c.amzDate)) dates.add(c.amzDate.slice(0, 8));
  for (const offset of [-1, 1]) {
    const day = Date.UTC(+c.dateStamp.slice(0, 4), +c.dateStamp.slice(4, 6) - 1, +c.dateStamp.slice(6, 8)) + offset * 86_400_000;
    if (Number.isFinite(day)) dates.add(new Date(day).toISOString().slice(0, 10).replace(/-/g, ''));
  }
  for (const dateStamp of dates) {
    const s = scope(dateStamp, c.region, c.service);
    variants.add(
      value(s),
      dateStamp === c.amzDate?.slice(0, 8) ? 2 : 3,
      [
        b(
          'SCOPE_DATE',
          'scope',
          'SCOPE_DATE',
          `derived its key for the date ${dateStamp}`,
          `its Credential names ${c.dateStamp}`,
          'Take the scope date from the UTC date of X-Amz-Date, for the key and the Credential alike.',
        ),
      ],
      s,
    );
  }
  return { part: 'scope', label: 'credential scope', variants: variants.list() };
}

function timeDimension(c: CapturedRequest): Dimension {
  const variants = new Variants();
  const dateHeader = headerValue(c.headers, 'date');
  const fromDate = dateHeader === undefined ? undefined : amzDateOf(Date.parse(dateHeader));
  variants.add(c.amzDate ?? fromDate ?? `${c.dateStamp}T000000Z`, 0, []);
  if (fromDate !== undefined) {
    variants.add(fromDate, 3, [
      b(
        'TIME_FROM_DATE_HEADER',
        'time',
        'CLOCK_SKEW',
        `signed the time of its Date header (${fromDate})`,
        `its X-Amz-Date says ${c.amzDate ?? '(none)'}`,
        'Sign the time you send in X-Amz-Date (one clock reading for both).',
      ),
    ]);
  }
  return { part: 'time', label: 'signing time', variants: variants.list() };
}

function amzDateOf(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '') : undefined;
}
