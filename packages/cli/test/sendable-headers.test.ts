// sign --send -H: a header that cannot be sent exactly as signed is a usage error (exit 2) naming the
// -H flag and the character, before signing; everything else is sent, and the 127.0.0.1 server
// receives the very bytes that were signed (checked with @smithy/signature-v4). Never exit 70.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanEnv, inBatches, runGlassbox, tempDir, type RunResult } from './run-bin.ts';
import { startSigningServer, type SigningServer } from './support/signing-server.ts';

const keys = { accessKeyId: 'AKIAHEADERTEST000001', secretAccessKey: 'header-test-secret-key-0000000000000001' };
const home = tempDir();
const env = cleanEnv(home.path, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
const scope = ['--region', 'us-east-1', '--service', 's3'];
let server: SigningServer;

// The rule, written from RFC 9110 §5.5 and §5.6.2 rather than taken from the code: a name is a token,
// a value (after the spaces and tabs around it) holds tab, space and visible ASCII only.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const SENDABLE_VALUE = /^[\t\x20-\x7e]*$/;
const stripOws = (text: string): string => text.replace(/^[ \t]*/, '').replace(/[ \t]*$/, '');

/** Sends `-H NAME: VALUE` to the server; checks one of the two allowed outcomes. */
async function sendOne(name: string, value: string): Promise<void> {
  const path = `/h${Math.random().toString(36).slice(2)}`;
  const run = await runGlassbox(['sign', '--send', `--header=${name}: ${value}`, ...scope, `${server.url}${path}`], { env });
  const label = `-H ${JSON.stringify(`${name}: ${value}`)}: exit ${run.code}\n${run.stderr.slice(-600)}`;
  assert.not.match(run.stderr, /^\s+at |This is a bug/m, label);
  assert.ok(run.code === 0 || run.code === 2, label);
  // What the OS passes in argv: a lone surrogate becomes U+FFFD on the way (argv is UTF-8).
  const typedName = stripOws(Buffer.from(name, 'utf8').toString('utf8'));
  const typedValue = stripOws(Buffer.from(value, 'utf8').toString('utf8'));
  const received = server.received.find((request) => request.target === path);
  if (TOKEN.test(typedName) && SENDABLE_VALUE.test(typedValue)) {
    assert.is(run.code, 0, label);
    assert.ok(received, label);
    const got = received!.rawHeaders.filter(([n]) => n.toLowerCase() === typedName.toLowerCase()).map(([, v]) => v);
    assert.equal(got, [typedValue], label);
    assert.ok(received!.signatureMatches, `${label}: the SDK signer computes another signature from the bytes received`);
  } else {
    assert.is(run.code, 2, label);
    assert.is(received, undefined, `${label}: nothing may be sent`);
    assert.match(run.stderr, /^error: -H '/m, label);
    assert.match(run.stderr, /U\+[0-9A-F]{4,6}|expected 'Name: value'|it is empty/, label);
    assert.is(run.stderr.split('\n').filter((line) => line !== '').length, 1, `${label}: one line`);
  }
}

// Every class of code point, as fast-check arbitraries (NUL apart: argv cannot carry it).
const classes = {
  'C0 controls': fc.integer({ min: 0x01, max: 0x1f }).map((c) => String.fromCharCode(c)),
  tab: fc.constant('\t'),
  space: fc.constant(' '),
  'visible ASCII': fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  DEL: fc.constant('\x7f'),
  'C1 controls': fc.integer({ min: 0x80, max: 0x9f }).map((c) => String.fromCharCode(c)),
  'Latin-1': fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
  'BMP above U+00FF': fc.integer({ min: 0x100, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
  'lone surrogates': fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  'BMP private use and specials': fc.integer({ min: 0xe000, max: 0xffff }).map((c) => String.fromCharCode(c)),
  astral: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
};
const anyChar = fc.oneof(...Object.values(classes));
const mostlyAscii = fc.oneof(
  { weight: 4, arbitrary: classes['visible ASCII'] },
  { weight: 1, arbitrary: classes.space },
  { weight: 1, arbitrary: anyChar },
);

const test = suite('sign --send -H: sendable or a usage error');
test.before(async () => {
  server = await startSigningServer(keys);
});
test.after(async () => {
  await server.close();
  home.remove();
});

test('one representative of every code point class in a value', async () => {
  const samples = [
    '\x01',
    '\x1b',
    '\x0b',
    '\x0c',
    '\t',
    ' ',
    '~',
    '\x7f',
    '\x80',
    '\x9f',
    '\xa0',
    '\xe9',
    '\xff',
    '\u0100',
    '\u2028',
    '\ufeff',
    '\ud800',
    '\udfff',
    '\ue000',
    '\uffff',
    '\u{1f600}',
    '\u{10ffff}',
  ];
  await inBatches(samples, 3, (char) => sendOne('X-Fuzz', `a${char}b`));
  await inBatches(['\x01', '\xa0', '\u0100', '\ufeff'], 3, (char) => sendOne('X-Fuzz', `ab${char}`)); // at an end, where String#trim would eat some
});

test('fuzz: random values and names from every class, 30 runs', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: mostlyAscii, maxLength: 12 }),
      fc.string({ unit: mostlyAscii, maxLength: 4 }),
      async (value, nameTail) => {
        await sendOne(`X-F${nameTail.replace(/:/g, '')}`, value);
      },
    ),
    { numRuns: 30 },
  );
});

test('the message names -H, the code point and what to do', async () => {
  const control = await runGlassbox(['sign', '--send', '-H', 'X-Note: a\x01b', ...scope, `${server.url}/`], { env });
  assert.is(control.code, 2);
  assert.is(
    control.stderr,
    "error: -H 'X-Note: a\\x01b': the value has U+0001 (a control character) at character 2; a header value may hold only visible ASCII, spaces and tabs\n",
  );
  const wide = await runGlassbox(['sign', '--send', '-H', 'X-Note: caf\u0153', ...scope, `${server.url}/`], { env });
  assert.is(wide.code, 2);
  assert.match(
    wide.stderr,
    /^error: -H 'X-Note: caf\\u\{153\}': the value has U\+0153 \('\u0153'\) at character 4; header values are sent as bytes/,
  );
  const name = await runGlassbox(['sign', '--send', '-H', 'X\u00e9: v', ...scope, `${server.url}/`], { env });
  assert.is(name.code, 2);
  assert.match(name.stderr, /^error: -H 'X\\xe9: v': 'X\\xe9' is not a valid header name: it has U\+00E9 \('\u00e9'\) at character 2/);
});

test('headers the HTTP client manages, or that contradict the body, are usage errors too', async () => {
  const cases: [string[], RegExp][] = [
    [['-H', 'Transfer-Encoding: chunked'], /cannot send a Transfer-Encoding header/],
    [['-H', 'Expect: 100-continue', '-d', 'x'], /cannot send a Expect header/],
    [['-H', 'Connection: upgrade'], /Connection may only be 'close' or 'keep-alive'/],
    [['-H', 'Content-Length: 5', '-d', 'abc'], /Content-Length says 5 bytes but the body has 3/],
    [['-H', 'Content-Length: x'], /Content-Length must be a number/],
  ];
  const runs: RunResult[] = await inBatches(cases, 3, ([args]) =>
    runGlassbox(['sign', '--send', ...args, ...scope, `${server.url}/managed`], { env }),
  );
  cases.forEach(([args, message], i) => {
    assert.is(runs[i]!.code, 2, `${args.join(' ')}: ${runs[i]!.stderr}`);
    assert.match(runs[i]!.stderr, message);
  });
  assert.is(server.received.filter((request) => request.target === '/managed').length, 0);
  const fine = await runGlassbox(
    ['sign', '--send', '-H', 'Connection: close', '-H', 'Content-Length: 3', '-d', 'abc', ...scope, `${server.url}/fine`],
    { env },
  );
  assert.is(fine.code, 0, fine.stderr);
});

test('--request-file headers are checked the same way: NUL, a folded line, U+00E9 (file bytes, not argv)', async () => {
  const host = server.url.slice('http://'.length);
  const cases: [string, Buffer, RegExp][] = [
    ['nul.http', Buffer.from(`GET /f HTTP/1.1\nHost: ${host}\nX-A: a\0b\n`), /NUL/],
    [
      'folded.http',
      Buffer.from(`GET /f HTTP/1.1\nHost: ${host}\nX-A: a\n  b\n`),
      /--request-file 'folded.http': header 'X-A': the value has U\+000A .*join its lines/,
    ],
    [
      'latin.http',
      Buffer.from(`GET /f HTTP/1.1\nHost: ${host}\nX-A: caf\u00e9\n`),
      /--request-file 'latin.http': header 'X-A': the value has U\+00E9/,
    ],
  ];
  for (const [file, bytes, message] of cases) {
    writeFileSync(join(home.path, file), bytes);
    const run = await runGlassbox(['sign', '--send', '--request-file', file, ...scope, '--endpoint-url', server.url], {
      env,
      cwd: home.path,
    });
    assert.is(run.code, 2, `${file}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.not.match(run.stderr, /^\s+at /m);
  }
  assert.is(server.received.filter((request) => request.target === '/f').length, 0);
});
test.run();
