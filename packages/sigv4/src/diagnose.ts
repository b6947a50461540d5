import { diffLines } from 'diff';
import { removeDotSegments } from './canonical-uri.ts';
import { EMPTY_BODY_SHA256, UNSIGNED_PAYLOAD } from './constants.ts';
import { SigV4Error } from './errors.ts';
import type { TraceStepId } from './trace.ts';
import { redactSecrets } from './redaction.ts';
import { uriDecodeText } from './uri-encode.ts';

/**
 * Why a signature was rejected, as a stable code to switch on.
 *
 * Canonical request: `METHOD_CHANGED`, `PATH_ENCODING` (encoded once vs twice), `PATH_NOT_NORMALIZED`
 * (`.`, `..`, `//`), `PATH_CHANGED`, `QUERY_ORDER`, `QUERY_ENCODING`, `QUERY_CHANGED`,
 * `HEADER_NOT_SIGNED`, `HEADER_REMOVED`, `HEADER_VALUE_WHITESPACE`, `HEADER_VALUE_CHANGED`,
 * `PAYLOAD_HASH`. String to sign and credentials: `CLOCK_SKEW`, `EXPIRED`, `WRONG_REGION`,
 * `WRONG_SERVICE`, `SESSION_TOKEN_MISSING`, `SESSION_TOKEN_INVALID`, `SESSION_TOKEN_EXPIRED`,
 * `UNKNOWN_ACCESS_KEY`, `SECRET_KEY` (everything matches but the signature). `UNKNOWN` otherwise.
 */
export type DiagnosisCode =
  | 'METHOD_CHANGED'
  | 'PATH_ENCODING'
  | 'PATH_NOT_NORMALIZED'
  | 'PATH_CHANGED'
  | 'QUERY_ORDER'
  | 'QUERY_ENCODING'
  | 'QUERY_CHANGED'
  | 'HEADER_NOT_SIGNED'
  | 'HEADER_REMOVED'
  | 'HEADER_VALUE_WHITESPACE'
  | 'HEADER_VALUE_CHANGED'
  | 'PAYLOAD_HASH'
  | 'CLOCK_SKEW'
  | 'EXPIRED'
  | 'WRONG_REGION'
  | 'WRONG_SERVICE'
  | 'SESSION_TOKEN_MISSING'
  | 'SESSION_TOKEN_INVALID'
  | 'SESSION_TOKEN_EXPIRED'
  | 'UNKNOWN_ACCESS_KEY'
  | 'SECRET_KEY'
  | 'UNKNOWN';

/** One named cause: what differs, in one line, and what to change. */
export interface DiagnosisCause {
  /** A stable code: see {@link DiagnosisCode}. */
  readonly code: DiagnosisCode;
  /** What differs, in one line. Never holds a secret: session tokens are redacted. */
  readonly message: string;
  /** What to change so the signatures agree. */
  readonly fix: string;
  /** The step of the algorithm the cause belongs to, when there is one. */
  readonly step: TraceStepId | undefined;
}

/** What the error body said, read into fields. Session tokens in the strings are redacted. */
export interface ServerSignatureReport {
  /** The error code, e.g. `SignatureDoesNotMatch`, `InvalidSignatureException` (namespace removed). */
  code?: string | undefined;
  /** The error message as sent (entities decoded). */
  message?: string | undefined;
  /** The canonical request the server computed. */
  canonicalRequest?: string | undefined;
  /** The string to sign the server computed. */
  stringToSign?: string | undefined;
  /** The signature the request carried (S3 `<SignatureProvided>`). */
  signatureProvided?: string | undefined;
  /** The access key ID the request named (S3 `<AWSAccessKeyId>`). */
  accessKeyId?: string | undefined;
  /** The server's clock, when the body gives it (`ServerTime`, or the time in "Signature expired"). */
  serverTime?: string | undefined;
  /** The region the server expected (S3 `<Region>` / "expecting 'x'"). */
  expectedRegion?: string | undefined;
  /** The region the server refused ("not 'x'" / "the region 'x' is wrong"). */
  rejectedRegion?: string | undefined;
  /** The service signing name the server expected ("scoped to correct service: 'x'"). */
  expectedService?: string | undefined;
  /** Headers S3 says were sent but not signed (`<HeadersNotSigned>`). */
  headersNotSigned?: string[] | undefined;
  /** The request ID, to quote to AWS support. */
  requestId?: string | undefined;
}

/** What {@link diagnose} needs from our side: a {@link SignResult} or {@link PresignResult} fits. */
export interface DiagnoseInput {
  /** The canonical request we signed. */
  readonly canonicalRequest: string;
  /** The string to sign we signed. */
  readonly stringToSign: string;
  /** Our hex signature, to compare with the one the server received. */
  readonly signature?: string | undefined;
}

/** What {@link diagnose} found: where we and the server part ways, why, and the line diff. */
export interface Diagnosis {
  /** The server sent its canonical request and string to sign, and both equal ours. */
  readonly matched: boolean;
  /** Which error format the body is in. */
  readonly format: 's3-xml' | 'json' | 'query-xml' | 'unknown';
  /** The first step at which ours and the server's differ (the likely cause's step). */
  readonly firstDifferentStep: TraceStepId | undefined;
  /** Every cause found, most likely first; never empty (`UNKNOWN` when nothing is recognised). */
  readonly causes: readonly DiagnosisCause[];
  /** The first of {@link causes}. */
  readonly likelyCause: DiagnosisCause;
  /** A unified-style line diff of canonical request and string to sign, ours (`-`) vs the server's (`+`). */
  readonly lineDiff: string;
  /** What the server said, read into fields. */
  readonly server: ServerSignatureReport;
}

type Format = Diagnosis['format'];

/**
 * Explains a SigV4 rejection: reads the error body AWS sent (S3's XML `SignatureDoesNotMatch` with
 * `<CanonicalRequest>` and `<StringToSign>`, the JSON-protocol `InvalidSignatureException` message
 * "The Canonical String for this request should have been …", the query-protocol XML
 * `<ErrorResponse>`, and the clock, scope and token messages), compares the server's canonical
 * request and string to sign with ours part by part, and names the cause with a fix.
 *
 * @example
 * ```ts
 * const ours = await sign(request, options);
 * const response = await fetch(ours.request.url, { method: 'POST', headers: ours.request.headers, body });
 * if (response.status === 403) {
 *   const { likelyCause, lineDiff } = diagnose(ours, await response.text());
 *   console.log(likelyCause.message, '\n', likelyCause.fix, '\n', lineDiff);
 * }
 * ```
 */
export function diagnose(ours: DiagnoseInput, awsErrorBody: string): Diagnosis {
  if (typeof ours !== 'object' || ours === null || typeof ours.canonicalRequest !== 'string' || typeof ours.stringToSign !== 'string') {
    throw new SigV4Error('INVALID_OPTION', 'diagnose: expected our sign() result (with canonicalRequest and stringToSign) as the first argument');
  }
  if (typeof awsErrorBody !== 'string') {
    throw new SigV4Error('INVALID_OPTION', 'diagnose: expected the error response body as a string');
  }
  const { format, server } = readErrorBody(awsErrorBody);
  const causes: DiagnosisCause[] = [...causesFromMessage(server, ours)];

  const theirsCreq = server.canonicalRequest;
  const theirsSts = server.stringToSign;
  if (theirsCreq !== undefined && theirsCreq !== ours.canonicalRequest) {
    causes.push(...compareCanonicalRequests(ours.canonicalRequest, theirsCreq));
  }
  if (theirsSts !== undefined && theirsSts !== ours.stringToSign) {
    causes.push(...compareStringsToSign(ours.stringToSign, theirsSts, theirsCreq === undefined));
  }
  const matched = theirsCreq === ours.canonicalRequest && theirsSts === ours.stringToSign;
  if (matched && !causes.some((c) => c.code !== 'UNKNOWN')) {
    // Same canonical request, same string to sign, different signature: only the key is left.
    causes.push(cause('SECRET_KEY', 'signing-key',
      'The canonical request and string to sign match the server\'s exactly, yet the signature differs: the secret access key is not the one paired with this access key ID.',
      'Use the secret access key that belongs to the access key ID (check the profile, the environment and for stray spaces or newlines in the secret).'));
  }
  const unique = dedupe(causes);
  if (unique.length === 0) {
    unique.push(cause('UNKNOWN', undefined,
      server.message !== undefined
        ? `The server said: ${oneLine(redactTokens(server.message))}`
        : 'The error body holds no canonical request, string to sign or message that Glassbox recognises.',
      'Sign with trace: true and compare each step with the service\'s rules (S3 and most services return their canonical request on SignatureDoesNotMatch).'));
  }
  const likelyCause = unique[0]!;
  return {
    matched,
    format,
    firstDifferentStep: likelyCause.step,
    causes: unique,
    likelyCause,
    lineDiff: [
      sectionDiff('canonical request', ours.canonicalRequest, theirsCreq),
      sectionDiff('string to sign', ours.stringToSign, theirsSts),
    ].join('\n'),
    server: {
      ...server,
      canonicalRequest: theirsCreq === undefined ? undefined : redactTokens(theirsCreq),
      message: server.message === undefined ? undefined : redactTokens(server.message),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the error body.

const CANONICAL_INTRO = /The Canonical String for this request should have been\s*\n'/;
const STS_INTRO = /The String-to-Sign should have been\s*\n'/;

/** Reads any of the three formats AWS answers in; text that is none of them is read as a message. */
function readErrorBody(body: string): { format: Format; server: ServerSignatureReport } {
  const text = body.replace(/^\uFEFF/, '').trim();
  let format: Format = 'unknown';
  const server: ServerSignatureReport = {};
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null) {
      format = 'json';
      const o = parsed as Record<string, unknown>;
      const nested = typeof o['Error'] === 'object' && o['Error'] !== null ? (o['Error'] as Record<string, unknown>) : {};
      server.code = stringField(o['__type'] ?? o['code'] ?? o['Code'] ?? nested['Code']);
      server.message = stringField(o['message'] ?? o['Message'] ?? o['errorMessage'] ?? nested['Message']);
      // JSON 1.x names carry a namespace: "com.amazon.coral.service#InvalidSignatureException".
      if (server.code !== undefined) server.code = server.code.slice(server.code.lastIndexOf('#') + 1).split(':')[0];
    }
  } else if (text.startsWith('<')) {
    // The query protocol wraps its error in <ErrorResponse> (EC2: <Response><Errors>); S3 answers a bare <Error>.
    format = /<ErrorResponse[\s>]|<Response[\s>]\s*<Errors[\s>]/.test(text) ? 'query-xml' : /<Error[\s>]/.test(text) ? 's3-xml' : 'unknown';
    server.code = xmlTag(text, 'Code');
    server.message = xmlTag(text, 'Message');
    server.requestId = xmlTag(text, 'RequestId') ?? xmlTag(text, 'RequestID');
    server.accessKeyId = xmlTag(text, 'AWSAccessKeyId');
    server.signatureProvided = xmlTag(text, 'SignatureProvided');
    server.serverTime = xmlTag(text, 'ServerTime');
    server.expectedRegion = xmlTag(text, 'Region');
    server.canonicalRequest = xmlTag(text, 'CanonicalRequest') ?? bytesText(xmlTag(text, 'CanonicalRequestBytes'));
    server.stringToSign = xmlTag(text, 'StringToSign') ?? bytesText(xmlTag(text, 'StringToSignBytes'));
    const notSigned = xmlTag(text, 'HeadersNotSigned');
    if (notSigned !== undefined) server.headersNotSigned = notSigned.split(/[,;\s]+/).filter((n) => n !== '').map((n) => n.toLowerCase());
  }
  if (format === 'unknown' && server.message === undefined && text !== '') server.message = body;

  const message = server.message?.replace(/\r\n/g, '\n');
  if (message !== undefined) {
    const creqStart = CANONICAL_INTRO.exec(message);
    const stsStart = STS_INTRO.exec(message);
    if (creqStart && server.canonicalRequest === undefined) {
      const from = creqStart.index + creqStart[0].length;
      const to = stsStart && stsStart.index > from ? message.lastIndexOf("'", stsStart.index) : message.lastIndexOf("'");
      if (to > from - 1) server.canonicalRequest = message.slice(from, to);
    }
    if (stsStart && server.stringToSign === undefined) {
      const from = stsStart.index + stsStart[0].length;
      const to = message.lastIndexOf("'");
      if (to > from - 1) server.stringToSign = message.slice(from, to);
    }
    const region = /Credential should be scoped to a valid region, not '([^']*)'/.exec(message) ?? /the region '([^']*)' is wrong/.exec(message);
    if (region) server.rejectedRegion = region[1];
    const expecting = /expecting '([^']*)'/.exec(message);
    if (expecting) server.expectedRegion = expecting[1];
    const service = /Credential should be scoped to correct service: '([^']*)'/.exec(message);
    if (service) server.expectedService = service[1];
    const expired = /Signature expired: \S+ is now earlier than \S+ \((\d{8}T\d{6}Z) - /.exec(message) ?? /Signature not yet current: \S+ is still later than \S+ \((\d{8}T\d{6}Z) \+ /.exec(message);
    if (expired && server.serverTime === undefined) server.serverTime = expired[1];
  }
  return { format, server: dropUndefined(server) };
}

/** The first `<name>…</name>` in an XML text, entities decoded. AWS error bodies are flat and small. */
function xmlTag(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!match) return undefined;
  const inner = match[1]!;
  const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(inner);
  return cdata ? cdata[1]! : decodeXmlEntities(inner);
}

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity as 'amp'];
  });
}

/** S3's `<CanonicalRequestBytes>`: the same text as space-separated hex bytes (exact even for CR, tabs, UTF-8). */
function bytesText(hex: string | undefined): string | undefined {
  if (hex === undefined) return undefined;
  const pairs = hex.trim().split(/\s+/).filter((p) => p !== '');
  if (!pairs.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return undefined;
  return new TextDecoder().decode(Uint8Array.from(pairs, (p) => parseInt(p, 16)));
}

// ---------------------------------------------------------------------------------------------
// Causes the message names outright.

function causesFromMessage(server: ServerSignatureReport, ours: DiagnoseInput): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  const message = server.message ?? '';
  const code = server.code ?? '';
  const weSentToken = /^x-amz-security-token:/m.test(ours.canonicalRequest) || /(^|&)X-Amz-Security-Token=/m.test(ours.canonicalRequest);

  if (/Signature expired:/.test(message) || code === 'RequestTimeTooSkewed' || /Signature not yet current:/.test(message)) {
    const serverTime = server.serverTime === undefined ? '' : ` (server time ${server.serverTime})`;
    causes.push(cause('CLOCK_SKEW', 'signing-time',
      `The signing time is more than 5 minutes from the server's clock${serverTime}: ${oneLine(message)}`,
      'Sync the clock (NTP), or sign with the time from the response Date header as the AWS SDKs do (systemClockOffset); sign right before sending.'));
  }
  if (/Request has expired/.test(message)) {
    causes.push(cause('EXPIRED', 'signing-time',
      `The presigned URL has expired: X-Amz-Date plus X-Amz-Expires is before the server's clock${server.serverTime === undefined ? '' : ` (${server.serverTime})`}.`,
      'Presign a new URL, with a longer expiresIn (at most 604800 s, and no longer than the credentials live), and check the signer\'s clock.'));
  }
  if (server.rejectedRegion !== undefined || (code === 'AuthorizationHeaderMalformed' && server.expectedRegion !== undefined)) {
    const expected = server.expectedRegion === undefined ? '' : `; the server expects '${server.expectedRegion}'`;
    causes.push(cause('WRONG_REGION', 'credential-scope',
      `The credential scope names region '${server.rejectedRegion ?? '?'}'${expected}.`,
      'Sign with the region of the endpoint you call (the region in its host name), not the default region.'));
  }
  if (server.expectedService !== undefined) {
    causes.push(cause('WRONG_SERVICE', 'credential-scope',
      `The credential scope names the wrong service; the server expects '${server.expectedService}'.`,
      `Sign with service '${server.expectedService}' (the signing name, which can differ from the host prefix).`));
  }
  if (/security token included in the request is expired/i.test(message) || /^ExpiredToken/.test(code)) {
    causes.push(cause('SESSION_TOKEN_EXPIRED', 'credentials',
      'The temporary credentials have expired.',
      'Refresh the credentials (assume the role again, or let the credential provider refresh them) and sign again.'));
  } else if (/security token included in the request is invalid/i.test(message) || code === 'InvalidToken' || code === 'UnrecognizedClientException') {
    causes.push(weSentToken
      ? cause('SESSION_TOKEN_INVALID', 'credentials',
        'The server does not accept the session token (or the access key ID) we sent.',
        'Use the session token issued with this access key ID, unchanged and complete; check it is not from another partition or already revoked.')
      : cause('SESSION_TOKEN_MISSING', 'credentials',
        'No session token was signed, and the server does not recognise the access key ID on its own: temporary credentials (ASIA…) need their session token.',
        'Pass sessionToken with the credentials (AWS_SESSION_TOKEN); if the key is long-term (AKIA…), check it is active and in this partition.'));
  }
  if (code === 'InvalidAccessKeyId' || /Access Key Id you provided does not exist/i.test(message)) {
    causes.push(cause('UNKNOWN_ACCESS_KEY', 'credentials',
      `The server does not know the access key ID${server.accessKeyId === undefined ? '' : ` '${server.accessKeyId}'`}.`,
      'Use an active access key ID of this account and partition; temporary keys (ASIA…) also need their session token.'));
  }
  if (server.headersNotSigned !== undefined || /headers present in the request which were not signed/i.test(message)) {
    const names = server.headersNotSigned?.join(', ') ?? 'some headers';
    causes.push(cause('HEADER_NOT_SIGNED', 'headers-to-sign',
      `The server requires these headers to be signed, but they were sent unsigned: ${names}.`,
      `Sign them: add ${names} to the request before signing (and to signableHeaders if they are unsignable by default).`));
  }
  // S3 checks X-Amz-Content-Sha256 against the body before it looks at the signature.
  if (code === 'XAmzContentSHA256Mismatch') {
    causes.push(cause('PAYLOAD_HASH', 'payload-hash',
      'The x-amz-content-sha256 header does not match the body the server received: the body changed after it was hashed.',
      'Sign after the body is final and send exactly those bytes (no re-serialising, re-encoding or re-reading a stream); over HTTPS, UNSIGNED-PAYLOAD avoids hashing.'));
  }
  return causes;
}

// ---------------------------------------------------------------------------------------------
// Comparing the canonical requests part by part.

interface CanonicalParts {
  method: string;
  uri: string;
  query: string;
  headers: Map<string, string>;
  signedHeaders: string;
  payloadHash: string;
}

/** Splits a canonical request into its six parts; undefined when it does not have that shape. */
function canonicalParts(text: string): CanonicalParts | undefined {
  const lines = text.split('\n');
  if (lines.length < 6 || lines[lines.length - 3] !== '') return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(3, -3)) {
    const colon = line.indexOf(':');
    if (colon === -1) return undefined;
    headers.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return { method: lines[0]!, uri: lines[1]!, query: lines[2]!, headers, signedHeaders: lines[lines.length - 2]!, payloadHash: lines[lines.length - 1]! };
}

function compareCanonicalRequests(oursText: string, theirsText: string): DiagnosisCause[] {
  const ours = canonicalParts(oursText);
  const theirs = canonicalParts(theirsText);
  if (!ours || !theirs) {
    return [cause('UNKNOWN', 'canonical-request', 'The canonical requests differ, and one of them does not have the six-part shape of a canonical request.', 'Compare the two line by line (see lineDiff).')];
  }
  const causes: DiagnosisCause[] = [];
  if (ours.method !== theirs.method) {
    causes.push(cause('METHOD_CHANGED', 'canonical-request', `We signed method ${ours.method}, the server received ${theirs.method}.`, 'Sign the method you send, exactly (upper case); a redirect may have changed it.'));
  }
  if (ours.uri !== theirs.uri) causes.push(comparePaths(ours.uri, theirs.uri));
  if (ours.query !== theirs.query) causes.push(compareQueries(ours.query, theirs.query));
  causes.push(...compareHeaders(ours.headers, theirs.headers));
  if (ours.signedHeaders !== theirs.signedHeaders && !causes.some((c) => c.step === 'canonical-headers' || c.step === 'signed-headers' || c.code === 'SESSION_TOKEN_MISSING')) {
    causes.push(cause('HEADER_NOT_SIGNED', 'signed-headers', `We listed SignedHeaders '${ours.signedHeaders}', the server '${theirs.signedHeaders}'.`, 'List each signed header once, lower case, sorted, joined with ";".'));
  }
  if (ours.payloadHash !== theirs.payloadHash) causes.push(comparePayloadHashes(ours.payloadHash, theirs.payloadHash));
  return causes;
}

function comparePaths(ours: string, theirs: string): DiagnosisCause {
  const plainOurs = decodeFully(ours);
  const plainTheirs = decodeFully(theirs);
  if (plainOurs === plainTheirs) {
    const doubleOurs = count(ours, '%25');
    const doubleTheirs = count(theirs, '%25');
    if (doubleTheirs > doubleOurs) {
      return cause('PATH_ENCODING', 'canonical-uri', `The server encodes the path twice ('${theirs}'); we encoded it once ('${ours}').`,
        'Every service but S3 URI-encodes the already-encoded path again: sign with doubleEncode: true (the default).');
    }
    if (doubleOurs > doubleTheirs) {
      return cause('PATH_ENCODING', 'canonical-uri', `The server encodes the path once ('${theirs}'); we encoded it twice ('${ours}').`,
        'S3 encodes the path exactly once: sign with doubleEncode: false and normalizePath: false.');
    }
    return cause('PATH_ENCODING', 'canonical-uri', `The path is encoded differently: ours '${ours}', the server's '${theirs}'.`,
      'Encode every byte of the path except A-Z a-z 0-9 - _ . ~ and /, as %XY with upper-case hex, and send the path exactly as signed.');
  }
  if (removeDotSegments(plainOurs) === removeDotSegments(plainTheirs)) {
    return removeDotSegments(theirs) === theirs
      ? cause('PATH_NOT_NORMALIZED', 'canonical-uri', `The server resolves '.', '..' and '//' in the path ('${theirs}'); we signed it as written ('${ours}').`,
        'Sign with normalizePath: true (the default for every service but S3), or send the normalised path.')
      : cause('PATH_NOT_NORMALIZED', 'canonical-uri', `The server signs the path as written ('${theirs}'); we normalised it ('${ours}').`,
        'S3 keeps ., .. and // in keys: sign with normalizePath: false and doubleEncode: false.');
  }
  return cause('PATH_CHANGED', 'canonical-uri', `The server received another path: we signed '${ours}', it saw '${theirs}'.`,
    'Sign the exact path you send: a proxy, a base path or an API stage prefix may have rewritten it.');
}

function compareQueries(ours: string, theirs: string): DiagnosisCause {
  const oursPairs = ours === '' ? [] : ours.split('&');
  const theirsPairs = theirs === '' ? [] : theirs.split('&');
  if (sameMultiset(oursPairs, theirsPairs)) {
    return cause('QUERY_ORDER', 'canonical-query', `The query parameters are the same but in another order: ours '${redactTokens(ours)}', the server's '${redactTokens(theirs)}'.`,
      'Sort the parameters by encoded name, then by encoded value (byte order, after encoding, not before).');
  }
  const loose = (pairs: string[]) => pairs.map((p) => decodeFully(p.replace(/\+/g, ' ')).replace(/\+/g, ' '));
  if (sameMultiset(loose(oursPairs), loose(theirsPairs))) {
    return cause('QUERY_ENCODING', 'canonical-query', `The query is encoded differently: ours '${redactTokens(ours)}', the server's '${redactTokens(theirs)}'.`,
      'Encode names and values as RFC 3986 (space is %20 and + is %2B, never form encoding), every reserved character as %XY, exactly once.');
  }
  return cause('QUERY_CHANGED', 'canonical-query', `The server received other query parameters: ours '${redactTokens(ours)}', the server's '${redactTokens(theirs)}'.`,
    'Sign the query you send, every parameter, including empty ones (a=); a client or proxy may have added or dropped one.');
}

function compareHeaders(ours: Map<string, string>, theirs: Map<string, string>): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  const names = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  for (const name of names) {
    const mine = ours.get(name);
    const seen = theirs.get(name);
    if (mine === seen) continue;
    if (mine === undefined) {
      causes.push(name === 'x-amz-security-token'
        ? cause('SESSION_TOKEN_MISSING', 'credentials', 'The server signs a session token (x-amz-security-token) and we signed none.',
          'Pass sessionToken with temporary credentials (AWS_SESSION_TOKEN), and keep signSessionToken on.')
        : cause('HEADER_NOT_SIGNED', 'headers-to-sign', `The server signs '${name}' but we left it unsigned.`,
          `Sign '${name}': remove it from unsignableHeaders (or add it to signableHeaders), and sign after it is set.`));
    } else if (seen === undefined) {
      causes.push(cause('HEADER_REMOVED', 'canonical-headers', `We signed '${name}', but the server's canonical request has no such header: it was removed on the way, or the server does not sign it.`,
        `Leave '${name}' unsigned (unsignableHeaders), or make sure it reaches the server unchanged.`));
    } else if (collapse(mine) === collapse(seen)) {
      causes.push(cause('HEADER_VALUE_WHITESPACE', 'canonical-headers', `The value of '${name}' differs only in white space: ours ${JSON.stringify(shown(name, mine))}, the server's ${JSON.stringify(shown(name, seen))}.`,
        'Trim each header value and collapse inner runs of white space to one space before signing (the signer does this; check hand-built canonical requests).'));
    } else if (name === 'x-amz-date') {
      causes.push(cause('CLOCK_SKEW', 'signing-time', `We signed X-Amz-Date ${mine}, the server received ${seen}.`,
        'Sign and send the same X-Amz-Date; do not add a second date or re-sign with another clock.'));
    } else if (name === 'x-amz-security-token') {
      causes.push(cause('SESSION_TOKEN_INVALID', 'credentials', 'The session token the server received differs from the one we signed.',
        'Send the session token exactly as signed, from the same credentials as the access key ID.'));
    } else {
      const why = name === 'host' ? ' (a proxy, a load balancer or a non-default port rewrote Host)' : ' (a proxy or client library rewrote it)';
      causes.push(cause('HEADER_VALUE_CHANGED', 'canonical-headers', `The server received another value for '${name}'${why}: ours '${mine}', the server's '${seen}'.`,
        name === 'host'
          ? 'Sign the Host the server sees: the endpoint host name with its port when it is not 80/443, as the proxy forwards it.'
          : `Set '${name}' before signing and keep it unchanged on the way, or leave it unsigned.`));
    }
  }
  return causes;
}

function comparePayloadHashes(ours: string, theirs: string): DiagnosisCause {
  let detail: string;
  if (theirs === UNSIGNED_PAYLOAD || ours === UNSIGNED_PAYLOAD) detail = `one side signs ${UNSIGNED_PAYLOAD} (x-amz-content-sha256), the other the body hash`;
  else if (theirs === EMPTY_BODY_SHA256) detail = 'the server hashed an empty body: the body was not sent';
  else if (ours === EMPTY_BODY_SHA256) detail = 'we signed an empty body, but a body was sent';
  else detail = 'the body the server received is not the one we hashed (re-serialised, re-encoded or compressed after signing)';
  return cause('PAYLOAD_HASH', 'payload-hash', `The payload hash differs: ${detail}.`,
    'Sign the exact bytes you send, after every transformation; or send x-amz-content-sha256 with the hash (or UNSIGNED-PAYLOAD where the service allows it).');
}

// ---------------------------------------------------------------------------------------------
// Comparing the strings to sign.

function compareStringsToSign(oursText: string, theirsText: string, noCanonicalRequest: boolean): DiagnosisCause[] {
  const ours = oursText.split('\n');
  const theirs = theirsText.split('\n');
  const causes: DiagnosisCause[] = [];
  if (ours[1] !== theirs[1]) {
    causes.push(cause('CLOCK_SKEW', 'signing-time', `The signing time differs: ours ${ours[1] ?? '?'}, the server's ${theirs[1] ?? '?'}.`,
      'Sign and send one X-Amz-Date; sign right before sending.'));
  }
  const [oursDate, oursRegion, oursService] = (ours[2] ?? '').split('/');
  const [theirsDate, theirsRegion, theirsService] = (theirs[2] ?? '').split('/');
  if (oursDate !== theirsDate && ours[1] === theirs[1]) {
    causes.push(cause('CLOCK_SKEW', 'credential-scope', `The scope date differs: ours ${oursDate ?? '?'}, the server's ${theirsDate ?? '?'}.`,
      'The scope date must be the UTC date of X-Amz-Date.'));
  }
  if (oursRegion !== theirsRegion) {
    causes.push(cause('WRONG_REGION', 'credential-scope', `We signed for region '${oursRegion ?? ''}', the server expects '${theirsRegion ?? ''}'.`,
      'Sign with the region of the endpoint you call (the region in its host name), not the default region.'));
  }
  if (oursService !== theirsService) {
    causes.push(cause('WRONG_SERVICE', 'credential-scope', `We signed for service '${oursService ?? ''}', the server expects '${theirsService ?? ''}'.`,
      `Sign with service '${theirsService ?? ''}' (the signing name, which can differ from the host prefix).`));
  }
  if (ours[3] !== theirs[3] && noCanonicalRequest) {
    causes.push(cause('UNKNOWN', 'canonical-request', 'The canonical request hashes differ, and the server did not send its canonical request.',
      'Sign with trace: true and check the path encoding, query order, signed headers and payload hash against the service\'s rules.'));
  }
  return causes;
}

// ---------------------------------------------------------------------------------------------
// The line diff, with secrets out and white space visible.

function sectionDiff(label: string, ours: string, theirs: string | undefined): string {
  if (theirs === undefined) return `(the server did not send its ${label})\n`;
  const mine = redactTokens(ours);
  const seen = redactTokens(theirs);
  if (mine === seen) return `${label}: identical (${mine.split('\n').length} lines)\n`;
  const lines = [`--- ours: ${label}`, `+++ server: ${label}`];
  for (const change of diffLines(mine, seen)) {
    const prefix = change.added ? '+' : change.removed ? '-' : ' ';
    const body = change.value.endsWith('\n') ? change.value.slice(0, -1) : change.value;
    for (const line of body.split('\n')) lines.push(prefix + (prefix === ' ' ? line : visibleWhitespace(line)));
  }
  return lines.join('\n') + '\n';
}

// A changed line that differs only in a trailing space or a tab must show where.
function visibleWhitespace(line: string): string {
  return line.replace(/\t/g, '→').replace(/ +$/, (spaces) => '·'.repeat(spaces.length));
}

/** Secrets out of canonical requests and the server's messages (a token is a credential): the one redaction. */
function redactTokens(text: string): string {
  return redactSecrets(text);
}

// ---------------------------------------------------------------------------------------------

function cause(code: DiagnosisCode, step: TraceStepId | undefined, message: string, fix: string): DiagnosisCause {
  return { code, message: redactTokens(message), fix, step };
}

function dedupe(causes: DiagnosisCause[]): DiagnosisCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    // One cause per code and step: the message-named cause wins over the diff-named one.
    const key = `${c.code}:${c.step === 'credential-scope' || c.step === 'signing-time' ? 'time-scope' : c.step ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function shown(name: string, value: string): string {
  return name === 'x-amz-security-token' ? `[redacted: session token, ${value.length} chars]` : value;
}

function collapse(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

// Percent-decodes until nothing changes (bounded: a path is encoded at most a few times).
function decodeFully(text: string): string {
  let current = text;
  for (let i = 0; i < 4; i++) {
    const next = uriDecodeText(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

function count(text: string, piece: string): number {
  return text.split(piece).length - 1;
}

function oneLine(text: string): string {
  const first = text.split('\n', 1)[0]!.trim();
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function dropUndefined(report: ServerSignatureReport): ServerSignatureReport {
  const out: ServerSignatureReport = {};
  for (const [key, value] of Object.entries(report)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
