/**
 * The one XML reader of @glassbox/aws. AWS's Query-protocol answers (STS) and error bodies are flat,
 * small and machine-written, so a full parser is not needed: the first element of a name, its CDATA or
 * its text with the five named entities and numeric character references decoded. A reference past the
 * last Unicode code point (`&#x110000;`) stays as written: `String.fromCodePoint` would throw a
 * `RangeError`, which would surface as a crash (exit 70) instead of the service's message. The same rules
 * as the signature-error reader of `@glassbox/sigv4`'s diagnosis (`diagnose/error-body.ts`), which cannot
 * import this package (the dependencies point the other way).
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The highest Unicode code point (The Unicode Standard, §2.4 "Code Points and Characters"). */
const MAX_CODE_POINT = 0x10ffff;

/**
 * Decodes XML's predefined entities and character references (XML 1.0 §4.1, §4.6); anything else, and a
 * reference to no code point, stays as written.
 *
 * @example
 * ```ts
 * decodeXmlText('a &amp; b &#x263A; &#x110000;'); // 'a & b ☺ &#x110000;'
 * ```
 */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const hex = entity[1] === 'x' || entity[1] === 'X';
      const code = Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10);
      return code <= MAX_CODE_POINT ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/**
 * The content of the first `<name>…</name>` element (attributes allowed, no nesting of the same name),
 * a CDATA section taken as is and text decoded; undefined when there is none.
 *
 * @example
 * ```ts
 * xmlElementText('<Error><Code>AccessDenied</Code></Error>', 'Code'); // 'AccessDenied'
 * xmlElementText('<Message><![CDATA[a < b]]></Message>', 'Message'); // 'a < b'
 * ```
 */
export function xmlElementText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!match) return undefined;
  const inner = match[1] as string;
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(inner);
  return cdata ? (cdata[1] as string) : decodeXmlText(inner);
}
