/**
 * A minimal edit of a JSON document: the members that changed are spliced into the original bytes, and
 * every other byte stays as it was. Re-serialising the whole document (`JSON.stringify(JSON.parse(text))`)
 * would silently rewrite what Glassbox does not own: it drops all but the last of duplicate keys, turns
 * `12345678901234567890123` into `1.2345678901234568e+22`, replaces invalid UTF-8 with U+FFFD, drops a BOM,
 * reflows whitespace, and overflows the stack on a value nested a few thousand deep.
 *
 * How it stays exact: the document is parsed twice, once before and once after the caller's change to
 * the parsed copy; the two are compared member by member (iteratively, so depth costs no stack). An
 * object whose members are all equal is copied byte for byte. In an object that changed, the surviving
 * members keep their bytes, their separators and their whitespace; a removed member goes with its comma;
 * a changed member keeps its key and colon, and is edited inside if both old and new values are objects,
 * else gets the new value; new members are appended in the style of their siblings. Duplicate keys follow
 * the last occurrence, as JSON.parse and Go's encoding/json do: an unchanged duplicate stays, and when a
 * duplicated member changes or goes, its earlier copies go too (they are shadowed anyway, and may hold an
 * old password).
 *
 * The scanner works on bytes and trusts that JSON.parse has already accepted the text: JSON's structure is
 * ASCII, and no byte of a multi-byte (or invalid) UTF-8 sequence is below 0x80, so it cannot be mistaken for
 * a quote, a backslash or a bracket.
 */

/** One `"key": value` member of an object, as byte offsets into the document. */
export interface JsonMember {
  /** The decoded key. */
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  /** Offset just after the key's closing quote. */
  keyEnd: number;
  /** Offset of the value's first byte. */
  valueStart: number;
  /** Offset just after the value's last byte. */
  valueEnd: number;
}

/** An object in the document: where its braces are and its members in document order (duplicates included). */
export interface JsonObjectSpan {
  /** Offset of `{`. */
  open: number;
  /** Offset of `}`. */
  close: number;
  /** The members, in document order. */
  members: JsonMember[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function skipWhitespace(bytes: Uint8Array, offset: number): number {
  let i = offset;
  while (i < bytes.length && isWhitespace(bytes[i])) i++;
  return i;
}

function malformed(offset: number): Error {
  return new Error(`JSON scan: unexpected end or byte at offset ${offset}`);
}

/** `offset` is at a quote; returns the offset after the closing one. */
function skipString(bytes: Uint8Array, offset: number): number {
  for (let i = offset + 1; i < bytes.length; i++) {
    if (bytes[i] === BACKSLASH) i++;
    else if (bytes[i] === QUOTE) return i + 1;
  }
  throw malformed(offset);
}

/** Returns the offset after the value starting at `offset`; nested values are skipped by counting, not recursion. */
function skipValue(bytes: Uint8Array, offset: number): number {
  const first = bytes[offset];
  if (first === QUOTE) return skipString(bytes, offset);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let i = offset; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === QUOTE) i = skipString(bytes, i) - 1;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --depth === 0) return i + 1;
    }
    throw malformed(offset);
  }
  // A number, true, false or null: up to the next delimiter.
  let i = offset;
  while (i < bytes.length && !isWhitespace(bytes[i]) && bytes[i] !== COMMA && bytes[i] !== CLOSE_BRACE && bytes[i] !== CLOSE_BRACKET) i++;
  return i;
}

/**
 * The offset of the document's top-level value: after a UTF-8 BOM and whitespace.
 *
 * @example
 * ```ts
 * rootValueStart(Buffer.from('\ufeff {"a":1}')); // 4
 * ```
 */
export function rootValueStart(bytes: Uint8Array): number {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return skipWhitespace(bytes, bom);
}

/**
 * The members of the object whose `{` is at `open`, with their byte offsets.
 *
 * @example
 * ```ts
 * scanObject(Buffer.from('{"a": 1, "a": 2}'), 0).members.map((m) => m.key); // ['a', 'a']
 * ```
 */
export function scanObject(bytes: Uint8Array, open: number): JsonObjectSpan {
  if (bytes[open] !== OPEN_BRACE) throw malformed(open);
  const members: JsonMember[] = [];
  let i = skipWhitespace(bytes, open + 1);
  if (bytes[i] === CLOSE_BRACE) return { open, close: i, members };
  for (;;) {
    if (bytes[i] !== QUOTE) throw malformed(i);
    const keyStart = i;
    const keyEnd = skipString(bytes, i);
    const key = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + keyStart, keyEnd - keyStart).toString('utf8')) as string;
    i = skipWhitespace(bytes, keyEnd);
    if (bytes[i] !== COLON) throw malformed(i);
    const valueStart = skipWhitespace(bytes, i + 1);
    const valueEnd = skipValue(bytes, valueStart);
    members.push({ key, keyStart, keyEnd, valueStart, valueEnd });
    i = skipWhitespace(bytes, valueEnd);
    if (bytes[i] === COMMA) {
      i = skipWhitespace(bytes, i + 1);
      continue;
    }
    if (bytes[i] !== CLOSE_BRACE) throw malformed(i);
    return { open, close: i, members };
  }
}

/**
 * The 1-based line of a byte offset.
 *
 * @example
 * ```ts
 * lineAt(Buffer.from('{\n"a": 1}'), 2); // 2
 * ```
 */
export function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === NEWLINE) line++;
  return line;
}

type Json = unknown;
type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A member as JSON.stringify would write it: present and not undefined. */
function has(object: JsonRecord, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined;
}

/**
 * Whether two parsed JSON values are equal, walked with an explicit stack (a document nested 100 000 deep
 * compares without overflowing).
 *
 * @example
 * ```ts
 * jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }); // true
 * ```
 */
export function jsonEqual(left: Json, right: Json): boolean {
  const pending: Array<[Json, Json]> = [[left, right]];
  while (pending.length > 0) {
    const [a, b] = pending.pop()!;
    if (a === b) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) pending.push([a[i], b[i]]);
      continue;
    }
    const ra = a as JsonRecord;
    const rb = b as JsonRecord;
    const keysA = Object.keys(ra).filter((key) => has(ra, key));
    const keysB = Object.keys(rb).filter((key) => has(rb, key));
    if (keysA.length !== keysB.length) return false;
    for (const key of keysA) {
      if (!has(rb, key)) return false;
      pending.push([ra[key], rb[key]]);
    }
  }
  return true;
}

/** How new text is laid out: the file's indentation unit and line ending. */
interface Layout {
  indent: string;
  eol: string;
  /** A one-line document: a member added to an empty object stays on the line. */
  compact: boolean;
}

/** The whitespace a line starts with, for the line holding `offset`. */
function lineIndent(bytes: Uint8Array, offset: number): string {
  let start = offset;
  while (start > 0 && bytes[start - 1] !== NEWLINE) start--;
  let end = start;
  while (end < offset && (bytes[end] === 0x20 || bytes[end] === 0x09)) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** A value as new text, continuing the indentation that `lead` (the whitespace before its member) sets. */
function serialize(value: unknown, lead: string, layout: Layout): string {
  const newline = lead.lastIndexOf('\n');
  if (newline === -1) return JSON.stringify(value);
  const indent = lead.slice(newline + 1);
  return JSON.stringify(value, null, layout.indent)
    .split('\n')
    .join(layout.eol + indent);
}

function slice(bytes: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
}

/** The object at `span` with `after`'s members in place of `before`'s, everything unchanged kept byte for byte. */
function renderObject(bytes: Uint8Array, span: JsonObjectSpan, before: JsonRecord, after: JsonRecord, layout: Layout): Buffer[] {
  const { members } = span;
  const lastIndexOf = new Map<string, number>();
  members.forEach((member, index) => lastIndexOf.set(member.key, index));
  const changed = new Map<string, boolean>();
  const isChanged = (key: string): boolean => {
    let value = changed.get(key);
    if (value === undefined) changed.set(key, (value = !jsonEqual(before[key], after[key])));
    return value;
  };
  const leadOf = (index: number): Buffer =>
    slice(bytes, index === 0 ? span.open + 1 : members[index - 1]!.valueEnd, members[index]!.keyStart);

  const parts: Buffer[] = [Buffer.from('{')];
  let written = 0;
  members.forEach((member, index) => {
    if (!has(after, member.key)) return; // removed
    const memberChanged = isChanged(member.key);
    if (memberChanged && lastIndexOf.get(member.key) !== index) return; // a shadowed copy of a changed member
    // The first member written takes the object's opening whitespace; later ones their own separator.
    parts.push(written === 0 || index === 0 ? leadOf(0) : leadOf(index));
    written++;
    if (!memberChanged) {
      parts.push(slice(bytes, member.keyStart, member.valueEnd));
      return;
    }
    parts.push(slice(bytes, member.keyStart, member.valueStart));
    const oldValue = before[member.key];
    const newValue = after[member.key];
    if (isRecord(oldValue) && isRecord(newValue) && bytes[member.valueStart] === OPEN_BRACE) {
      parts.push(...renderObject(bytes, scanObject(bytes, member.valueStart), oldValue, newValue, layout));
    } else {
      parts.push(Buffer.from(serialize(newValue, leadOf(index).toString('latin1'), layout)));
    }
  });

  const added = Object.keys(after).filter((key) => has(after, key) && !lastIndexOf.has(key));
  const innerIndent = lineIndent(bytes, span.open) + layout.indent;
  // New members copy the first member's opening whitespace and colon, and the separator of the last one.
  const firstLead = members.length > 0 ? leadOf(0).toString('latin1') : layout.compact ? '' : `${layout.eol}${innerIndent}`;
  // Prefer a separator that starts a new line: `"a": 1, "a": 2` on one line of a multi-line object is not the layout to copy.
  const separators = members.slice(1).map((_, index) => leadOf(index + 1).toString('latin1'));
  const separator = separators.filter((lead) => lead.includes('\n')).pop() ?? separators.pop() ?? `,${firstLead}`;
  const colon =
    members.length > 0 ? slice(bytes, members[0]!.keyEnd, members[0]!.valueStart).toString('latin1') : layout.compact ? ':' : ': ';
  for (const key of added) {
    const lead = written === 0 ? firstLead : separator;
    parts.push(Buffer.from(`${lead}${JSON.stringify(key)}${colon}${serialize(after[key], lead, layout)}`));
    written++;
  }

  if (members.length > 0) {
    // Whatever followed the last member (its line break and the closing brace's indentation); nothing if none is left.
    if (written > 0) parts.push(slice(bytes, members[members.length - 1]!.valueEnd, span.close));
  } else if (added.length > 0) {
    parts.push(Buffer.from(firstLead.includes('\n') ? `${layout.eol}${lineIndent(bytes, span.open)}` : ''));
  } else {
    parts.push(slice(bytes, span.open + 1, span.close));
  }
  parts.push(Buffer.from('}'));
  return parts;
}

/**
 * The document `bytes` (which parsed as `before`) edited to say `after`: only the members that differ are
 * rewritten, in the layout of the file (`indent`: its indentation unit; line endings as found). When the
 * top-level value is not an object on both sides, it is replaced whole (BOM and surrounding whitespace kept).
 *
 * @example
 * ```ts
 * const text = Buffer.from('{"n": 12345678901234567890123, "auths": {}}');
 * const data = JSON.parse(text.toString());
 * spliceJson(text, JSON.parse(text.toString()), { ...data, auths: { h: { auth: 'eDp5' } } }, '\t').toString();
 * // '{"n": 12345678901234567890123, "auths": {"h": {"auth":"eDp5"}}}'
 * ```
 */
export function spliceJson(bytes: Uint8Array, before: unknown, after: unknown, indent: string): Buffer {
  const start = rootValueStart(bytes);
  const end = skipValue(bytes, start);
  const whole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const eol = whole.includes('\r\n') ? '\r\n' : '\n';
  const compact = bytes[start] === OPEN_BRACE && !slice(bytes, start, end).includes('\n') && skipWhitespace(bytes, start + 1) !== end - 1;
  const layout: Layout = { indent, eol, compact };
  let middle: Buffer[];
  if (jsonEqual(before, after)) middle = [slice(bytes, start, end)];
  else if (isRecord(before) && isRecord(after) && bytes[start] === OPEN_BRACE)
    middle = renderObject(bytes, scanObject(bytes, start), before, after, layout);
  else middle = [Buffer.from(JSON.stringify(after, null, indent).split('\n').join(layout.eol))];
  return Buffer.concat([slice(bytes, 0, start), ...middle, slice(bytes, end, bytes.length)]);
}
