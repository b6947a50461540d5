/**
 * Reads an AWS signature error body in the shapes services send it, to compare with what we signed:
 * - S3 (REST-XML): `<Error><Code>SignatureDoesNotMatch</Code>…<StringToSign>…</StringToSign><CanonicalRequest>…</CanonicalRequest></Error>`
 * - JSON protocols (ECR, …): `{"__type":"InvalidSignatureException","message":"… The Canonical String for this request should have been\n'…'\n\nThe String-to-Sign should have been\n'…'\n"}`
 * - Query protocols (STS, IAM): `<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>…</Message>` with the same text.
 */

/** What a signature error body says. */
export interface ServerSignatureError {
  /** The AWS error code, e.g. `SignatureDoesNotMatch`, without any namespace prefix. */
  code: string | undefined;
  /** The service's message. */
  message: string;
  /** The canonical request the service computed, when it says. */
  canonicalRequest?: string | undefined;
  /** The string to sign the service computed, when it says. */
  stringToSign?: string | undefined;
}

/** The error codes that mean "the signature does not match". */
export const SIGNATURE_ERROR_CODES: ReadonlySet<string> = new Set(['SignatureDoesNotMatch', 'InvalidSignatureException']);

/**
 * Parses a service's error body (XML or JSON); returns undefined for text that is neither.
 *
 * @example
 * ```ts
 * parseServerError('{"__type":"InvalidSignatureException","message":"..."}')?.code; // 'InvalidSignatureException'
 * ```
 */
export function parseServerError(text: string): ServerSignatureError | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(trimmed);
    } catch {
      return undefined;
    }
    if (typeof body !== 'object' || body === null) return undefined;
    const record = body as Record<string, unknown>;
    const type = typeof record.__type === 'string' ? record.__type : typeof record.code === 'string' ? record.code : undefined;
    // The code may carry a namespace prefix and a ':' suffix (awsJson rules).
    const code = type?.replace(/^.*#/, '').replace(/:.*$/, '');
    const message = String(record.message ?? record.Message ?? '');
    return { code, message, ...fromMessage(message) };
  }
  if (trimmed.startsWith('<')) {
    const code = xmlElement(trimmed, 'Code');
    const message = xmlElement(trimmed, 'Message') ?? '';
    const canonicalRequest = xmlElement(trimmed, 'CanonicalRequest');
    const stringToSign = xmlElement(trimmed, 'StringToSign');
    if (code === undefined && canonicalRequest === undefined) return undefined;
    if (canonicalRequest !== undefined || stringToSign !== undefined) return { code, message, canonicalRequest, stringToSign };
    return { code, message, ...fromMessage(message) };
  }
  // A bare message as the AWS CLI prints it.
  const found = fromMessage(text);
  return found.canonicalRequest === undefined && found.stringToSign === undefined ? undefined : { code: undefined, message: text, ...found };
}

function fromMessage(message: string): { canonicalRequest?: string; stringToSign?: string } {
  const out: { canonicalRequest?: string; stringToSign?: string } = {};
  const canonical = /The Canonical String for this request should have been\s*\n'([\s\S]*?)'\s*\n\s*\nThe String-to-Sign should have been/.exec(message);
  if (canonical) out.canonicalRequest = canonical[1]!;
  const sts = /The String-to-Sign should have been\s*\n'([\s\S]*?)'\s*$/.exec(message.trimEnd());
  if (sts) out.stringToSign = sts[1]!;
  return out;
}

function xmlElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? decodeXml(match[1]!) : undefined;
}

function decodeXml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
