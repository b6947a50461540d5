/** What the error body said, read into fields. Session tokens in the strings are redacted by diagnose(). */
export interface ServerSignatureReport {
  /** The error code, e.g. `SignatureDoesNotMatch`, `InvalidSignatureException` (namespace removed). */
  code?: string | undefined;
  /** The error message as sent (entities decoded). */
  message?: string | undefined;
  /** The canonical request the server computed. */
  canonicalRequest?: string | undefined;
  /** The string to sign the server computed. */
  stringToSign?: string | undefined;
  /** The canonical request read from S3's `<CanonicalRequestBytes>` (exact even when the text was re-wrapped). */
  canonicalRequestFromBytes?: string | undefined;
  /** The string to sign read from S3's `<StringToSignBytes>`. */
  stringToSignFromBytes?: string | undefined;
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

/**
 * The shape the error was in: S3's `<Error>` XML, the query protocol's `<ErrorResponse>`, JSON (AWS
 * JSON protocols, API Gateway, a serialised SDK exception), `text` (an exception message as the AWS
 * CLI, botocore or the JS SDK print it), or `unknown`.
 */
export type ErrorBodyFormat = 's3-xml' | 'json' | 'query-xml' | 'text' | 'unknown';

/** What {@link readServerError} read. */
export interface ServerErrorReading {
  /** The shape the error was in. */
  format: ErrorBodyFormat;
  /** Its fields. */
  server: ServerSignatureReport;
}

const CANONICAL_INTRO = /The Canonical String for this request should have been\s*\n'/;
const STS_INTRO = /The String-to-Sign should have been\s*\n'/;
const CLI_PREFIX =
  /^(?:[\w.[\]]+(?:Error|Exception):\s*)?An error occurred \(([\w.:#-]+)\) when calling the \w+ operation(?: \([^)]*\))?:\s*/;
const JS_PREFIX = /^([A-Z][A-Za-z0-9]*(?:Exception|Error|Match|Mismatch|Signature|Denied|Expired|KeyId|Skewed|Token)): /;

/**
 * Reads an AWS signature error as people have it: the body of the response (S3 XML with or without
 * `<CanonicalRequest>`, query-protocol `<ErrorResponse>`, AWS JSON `__type`/`message`, API Gateway's
 * `{"errors":[{"message","code"}]}`, `{"Message": …}`), the whole HTTP response with its
 * `x-amzn-ErrorType` header, or the exception text an SDK printed (`An error occurred (…) when calling
 * …`, `SignatureDoesNotMatch: …` with the JS SDK's fields, Python's repr) with its prefix, quotes and
 * escaped `\n`.
 *
 * @example
 * ```ts
 * readServerError('{"errors":[{"message":"…","code":"InvalidSignature"}]}').server.code; // 'InvalidSignature'
 * ```
 */
export function readServerError(body: string): ServerErrorReading {
  const text = body.replace(/^\uFEFF/, '').trim();
  const response = /^HTTP\/\d(?:\.\d)? \d{3}[^\n]*\r?\n/.exec(text);
  if (response) {
    const end = /\r?\n\r?\n/.exec(text);
    const head = end === null ? text : text.slice(0, end.index);
    const rest = end === null ? '' : text.slice(end.index + end[0].length);
    const header = (name: string): string | undefined => new RegExp(`^${name}:[ \\t]*(.*?)\\s*$`, 'im').exec(head)?.[1];
    const inner = readServerError(rest);
    const errorType = header('x-amzn-ErrorType')?.split(':')[0];
    const server = { ...inner.server };
    if (server.code === undefined && errorType !== undefined) server.code = errorType.slice(errorType.lastIndexOf('#') + 1);
    server.requestId ??= header('x-amzn-RequestId') ?? header('x-amz-request-id');
    return { format: inner.format === 'unknown' && server.code !== undefined ? 'json' : inner.format, server: dropUndefined(server) };
  }
  const unwrapped = unwrap(text);
  let format: ErrorBodyFormat = 'unknown';
  const server: ServerSignatureReport = {};
  if (unwrapped.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(unwrapped);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null) {
      format = 'json';
      readJson(parsed as Record<string, unknown>, server);
    }
  } else if (unwrapped.startsWith('<')) {
    // The query protocol wraps its error in <ErrorResponse> (EC2: <Response><Errors>); S3 answers a bare <Error>.
    format = /<ErrorResponse[\s>]|<Response[\s>]\s*<Errors[\s>]/.test(unwrapped)
      ? 'query-xml'
      : /<Error[\s>]/.test(unwrapped)
        ? 's3-xml'
        : 'unknown';
    readXml(unwrapped, server);
  } else if (unwrapped !== '') {
    readExceptionText(unwrapped, server);
    if (server.code !== undefined || CANONICAL_INTRO.test(server.message ?? '')) format = 'text';
  }
  if (server.message === '') server.message = undefined;
  server.canonicalRequest ??= server.canonicalRequestFromBytes;
  server.stringToSign ??= server.stringToSignFromBytes;
  if (format === 'unknown' && server.message === undefined && text !== '') server.message = body;
  readMessage(server);
  return { format, server: dropUndefined(server) };
}

/** Removes what printing added around the error: surrounding quotes, a Python repr, escaped newlines. */
function unwrap(text: string): string {
  let out = text;
  const repr = /^[\w.]+\((['"])([\s\S]*)\1\)$/.exec(out);
  if (repr) out = unescapeText(repr[2]!);
  else if (out.length > 1 && (out[0] === '"' || out[0] === "'") && out[out.length - 1] === out[0]) {
    let inner: string | undefined;
    if (out[0] === '"') {
      try {
        inner = JSON.parse(out) as string;
      } catch {
        inner = undefined;
      }
    }
    out = inner ?? unescapeText(out.slice(1, -1));
  }
  // A message copied from a log line or a JSON string keeps its newlines as "\n".
  if (!out.startsWith('{') && /\\n/.test(out) && (/should have been\\n/.test(out) || !out.includes('\n'))) out = unescapeText(out);
  return out.trim();
}

function unescapeText(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'u' || e[0] === 'x') return e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e;
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

function readJson(o: Record<string, unknown>, server: ServerSignatureReport): void {
  const field = (from: Record<string, unknown>, ...names: string[]): unknown => {
    for (const name of names) {
      const key = Object.keys(from).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key !== undefined && from[key] !== undefined && from[key] !== null) return from[key];
    }
    return undefined;
  };
  const nested = asObject(field(o, 'Error'));
  // API Gateway (and Selling Partner API): {"errors":[{"message":"…","code":"InvalidSignature"}]}
  const errors = field(o, 'errors');
  const first = Array.isArray(errors) ? asObject(errors[0]) : {};
  const headers = asObject(field(o, 'headers', '$response'));
  const code = stringField(
    field(o, '__type', 'code', 'name') ??
      field(nested, 'Code') ??
      field(first, 'code') ??
      field(headers, 'x-amzn-ErrorType') ??
      field(o, 'x-amzn-ErrorType'),
  );
  // JSON 1.x names carry a namespace: "com.amazon.coral.service#InvalidSignatureException"; the header adds ":http://…".
  server.code = code === undefined ? undefined : code.slice(code.lastIndexOf('#') + 1).split(':')[0];
  server.message = stringField(field(o, 'message', 'errorMessage') ?? field(nested, 'Message') ?? field(first, 'message'));
  // A serialised JS SDK exception carries the S3 XML's fields as properties.
  const from = (name: string): string | undefined => stringField(field(o, name) ?? field(nested, name));
  server.canonicalRequest = from('CanonicalRequest');
  server.stringToSign = from('StringToSign');
  server.canonicalRequestFromBytes = bytesText(from('CanonicalRequestBytes'));
  server.stringToSignFromBytes = bytesText(from('StringToSignBytes'));
  server.signatureProvided = from('SignatureProvided');
  server.accessKeyId = from('AWSAccessKeyId');
  server.requestId = from('RequestId') ?? stringField(field(asObject(field(o, '$metadata')), 'requestId'));
}

function readXml(xml: string, server: ServerSignatureReport): void {
  server.code = xmlTag(xml, 'Code');
  server.message = xmlTag(xml, 'Message');
  server.requestId = xmlTag(xml, 'RequestId') ?? xmlTag(xml, 'RequestID');
  server.accessKeyId = xmlTag(xml, 'AWSAccessKeyId');
  server.signatureProvided = xmlTag(xml, 'SignatureProvided');
  server.serverTime = xmlTag(xml, 'ServerTime');
  server.expectedRegion = xmlTag(xml, 'Region');
  server.canonicalRequest = xmlTag(xml, 'CanonicalRequest');
  server.stringToSign = xmlTag(xml, 'StringToSign');
  server.canonicalRequestFromBytes = bytesText(xmlTag(xml, 'CanonicalRequestBytes'));
  server.stringToSignFromBytes = bytesText(xmlTag(xml, 'StringToSignBytes'));
  const notSigned = xmlTag(xml, 'HeadersNotSigned');
  if (notSigned !== undefined)
    server.headersNotSigned = notSigned
      .split(/[,;\s]+/)
      .filter((n) => n !== '')
      .map((n) => n.toLowerCase());
}

/**
 * An exception as printed: the AWS CLI / botocore's "An error occurred (Code) when calling the Op
 * operation: message", or the JS SDK's "Code: message" followed by its stack and, from
 * `console.log(error)`, its fields (`CanonicalRequest: 'GET\n/…'`).
 */
function readExceptionText(text: string, server: ServerSignatureReport): void {
  const cli = CLI_PREFIX.exec(text);
  if (cli) {
    server.code = cli[1];
    server.message = text.slice(cli[0].length);
    return;
  }
  const js = JS_PREFIX.exec(text);
  if (js) {
    server.code = js[1];
    const rest = text.slice(js[0].length);
    const stack = /\n\s+at /.exec(rest);
    server.message = (stack === null ? rest : rest.slice(0, stack.index)).trim();
    // util.inspect's fields: Name: 'value' (or "value" / `value`), with \n escaped.
    for (const match of text.matchAll(/^\s*'?(\w+)'?: (['"`])((?:\\.|(?!\2)[^\\])*)\2,?$/gm)) {
      const value = unescapeText(match[3]!);
      const name = match[1]!;
      if (name === 'CanonicalRequest') server.canonicalRequest = value;
      else if (name === 'StringToSign') server.stringToSign = value;
      else if (name === 'SignatureProvided') server.signatureProvided = value;
      else if (name === 'AWSAccessKeyId') server.accessKeyId = value;
      else if (name === 'RequestId') server.requestId = value;
      else if (name === 'CanonicalRequestBytes') server.canonicalRequestFromBytes = bytesText(value);
      else if (name === 'StringToSignBytes') server.stringToSignFromBytes = bytesText(value);
    }
    return;
  }
  server.message = text;
}

/** What the message names: the quoted canonical request and string to sign, regions, services, times. */
function readMessage(server: ServerSignatureReport): void {
  const message = server.message?.replace(/\r\n/g, '\n');
  if (message === undefined) return;
  const creqStart = CANONICAL_INTRO.exec(message);
  const stsStart = STS_INTRO.exec(message);
  if (creqStart && server.canonicalRequest === undefined) {
    const from = creqStart.index + creqStart[0].length;
    const to = stsStart && stsStart.index > from ? message.lastIndexOf("'", stsStart.index) : message.lastIndexOf("'");
    if (to > from - 1) server.canonicalRequest = message.slice(from, to);
  }
  if (stsStart && server.stringToSign === undefined) {
    const from = stsStart.index + stsStart[0].length;
    const to = message.indexOf("'", from);
    if (to > from - 1) server.stringToSign = message.slice(from, to);
  }
  const region =
    /Credential should be scoped to a valid region, not '([^']*)'/.exec(message) ?? /the region '([^']*)' is wrong/.exec(message);
  if (region) server.rejectedRegion = region[1];
  const expecting = /expecting '([^']*)'/.exec(message);
  if (expecting) server.expectedRegion = expecting[1];
  const service = /Credential should be scoped to correct service: '([^']*)'/.exec(message);
  if (service) server.expectedService = service[1];
  const expired =
    /Signature expired: \S+ is now earlier than \S+ \((\d{8}T\d{6}Z) - /.exec(message) ??
    /Signature not yet current: \S+ is still later than \S+ \((\d{8}T\d{6}Z) \+ /.exec(message);
  if (expired && server.serverTime === undefined) server.serverTime = expired[1];
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
  const pairs = hex
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  if (pairs.length === 0 || !pairs.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return undefined;
  return new TextDecoder().decode(Uint8Array.from(pairs, (p) => parseInt(p, 16)));
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function dropUndefined(report: ServerSignatureReport): ServerSignatureReport {
  const out: ServerSignatureReport = {};
  for (const [key, value] of Object.entries(report)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
