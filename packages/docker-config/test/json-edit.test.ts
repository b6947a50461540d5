import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonEqual, lineAt, rootValueStart, scanObject, spliceJson } from '../src/json-edit.ts';

/** Parses `text` (BOM dropped, as config-file does), applies `change` to a copy, and splices the difference back. */
function edit(text: string | Buffer, change: (data: Record<string, any>) => void, indent = '\t'): string {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const parse = () => JSON.parse(bytes.toString('utf8').replace(/^\ufeff/, '')) as Record<string, any>;
  const after = parse();
  change(after);
  return spliceJson(bytes, parse(), after, indent).toString('latin1');
}

test('an unchanged document comes back byte for byte, whatever it holds', () => {
  const weird = Buffer.concat([
    Buffer.from('\ufeff  { "a" :1,"a":2 , "n": 12345678901234567890123, "s": "'),
    Buffer.from([0xff, 0xc3]),
    Buffer.from('" }\n\n'),
  ]);
  assert.is(
    edit(weird, () => undefined),
    weird.toString('latin1'),
  );
});

const cases: Array<{ name: string; text: string; change: (data: Record<string, any>) => void; expected: string }> = [
  {
    name: 'adds a member after the last one, copying its separator and colon',
    text: '{\n  "a": 1,\n  "b": 2\n}',
    change: (d) => (d['c'] = { x: true }),
    expected: '{\n  "a": 1,\n  "b": 2,\n  "c": {\n  \t"x": true\n  }\n}',
  },
  {
    name: 'fills an empty object on its own indented lines',
    text: '{\n\t"auths": {},\n\t"z": 0\n}',
    change: (d) => (d['auths']['h'] = { auth: 'x' }),
    expected: '{\n\t"auths": {\n\t\t"h": {\n\t\t\t"auth": "x"\n\t\t}\n\t},\n\t"z": 0\n}',
  },
  {
    name: 'keeps a one-line document on one line',
    text: '{"auths":{},"x":1}',
    change: (d) => (d['auths']['h'] = { auth: 'x' }),
    expected: '{"auths":{"h":{"auth":"x"}},"x":1}',
  },
  {
    name: 'removes the first member and its separator',
    text: '{ "a": 1, "b": 2, "c": 3 }',
    change: (d) => delete d['a'],
    expected: '{ "b": 2, "c": 3 }',
  },
  {
    name: 'removes the last member and the comma before it',
    text: '{\n  "a": 1,\n  "b": 2\n}',
    change: (d) => delete d['b'],
    expected: '{\n  "a": 1\n}',
  },
  {
    name: 'removing every member leaves {}',
    text: '{"o": { "a": 1, "b": 2 }}',
    change: (d) => (d['o'] = {}),
    expected: '{"o": {}}',
  },
  {
    name: "a changed duplicate keeps the last copy's place and drops the shadowed ones",
    text: '{"d": 1, "k": 0, "d": 2}',
    change: (d) => (d['d'] = 3),
    expected: '{"k": 0, "d": 3}',
  },
  {
    name: 'an unchanged duplicate stays, both copies',
    text: '{"d": 1, "d": 2, "k": 0}',
    change: (d) => (d['k'] = 1),
    expected: '{"d": 1, "d": 2, "k": 1}',
  },
  {
    name: 'edits inside a nested object without touching its siblings',
    text: '{"auths": {"h": {"auth": "old", "email": "e", "n": 1.0000000000000000001}}}',
    change: (d) => (d['auths']['h']['auth'] = 'new'),
    expected: '{"auths": {"h": {"auth": "new", "email": "e", "n": 1.0000000000000000001}}}',
  },
  {
    name: 'new text uses the CRLF line endings of the file',
    text: '{\r\n  "a": {}\r\n}\r\n',
    change: (d) => (d['a']['k'] = 'v'),
    expected: '{\r\n  "a": {\r\n    "k": "v"\r\n  }\r\n}\r\n',
  },
  {
    name: 'keys with escapes and brackets inside strings do not confuse the scanner',
    text: '{"we\\"ird{": "]}", "x": 1}',
    change: (d) => (d['x'] = 2),
    expected: '{"we\\"ird{": "]}", "x": 2}',
  },
];

for (const { name, text, change, expected } of cases) {
  test(name, () => {
    assert.is(edit(text, change, name.includes('CRLF') ? '  ' : '\t'), expected);
  });
}

test('the scanner reports members with duplicates, in order, and the line of an offset', () => {
  const bytes = Buffer.from('\ufeff{\n"a": [1, {"b": 2}],\n"a": "x"\n}');
  const start = rootValueStart(bytes);
  assert.is(start, 3);
  const span = scanObject(bytes, start);
  assert.equal(
    span.members.map((m) => m.key),
    ['a', 'a'],
  );
  assert.is(lineAt(bytes, span.members[1]!.keyStart), 3);
});

test('comparing values nested 100,000 deep does not overflow the stack', () => {
  const deep = (): unknown => JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
  assert.ok(jsonEqual(deep(), deep()));
  assert.not.ok(jsonEqual(deep(), []));
});

test.run();
