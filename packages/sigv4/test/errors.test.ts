// Bad input: every SigV4ErrorCode has a case that raises it with a message naming what to fix;
// thousands of random requests never make anything but a SigV4Error escape; and no error shows the
// secret access key or the session token.
import { readdirSync, readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHttpRequest, presign, serializeHttpRequest, sign, SigV4Error, verify, type PresignOptions } from '@glassbox/sigv4';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY-errors-test-secret';
const TOKEN = 'FQoGZXIvYXdzEXAMPLE-errors-test-session-token';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN };
const good: PresignOptions = { credentials, region: 'us-east-1', service: 'ecr', date: '20150830T123600Z' };
const request = { method: 'GET', url: 'https://example.amazonaws.com/' };

const seed = process.env.GLASSBOX_SEED !== undefined ? Number(process.env.GLASSBOX_SEED) : (Date.now() % 2 ** 31) | 0;
console.log(`errors: fast-check seed ${seed} (replay with GLASSBOX_SEED=${seed})`);

/** Runs `action` and returns the SigV4Error it throws; fails on success or on any other error. */
async function rejection(action: () => unknown): Promise<SigV4Error> {
  try {
    await action();
  } catch (error) {
    if (error instanceof SigV4Error) return error;
    throw new Error(`expected a SigV4Error, got ${inspect(error)}`);
  }
  throw new Error('expected a SigV4Error, but it succeeded');
}

function assertNoSecrets(text: string, where: string): void {
  assert.not.ok(text.includes(SECRET), `${where} shows the secret access key`);
  assert.not.ok(text.includes(TOKEN), `${where} shows the session token`);
}

// ------------------------------------------------------------- one case per code

const codes = suite('SigV4Error codes');

// Each row: the code, what triggers it, and words the message must contain to say what to fix.
const cases: [code: string, name: string, action: () => unknown, mentions: RegExp][] = [
  [
    'INVALID_REQUEST',
    'a URL that is neither absolute nor a path',
    () => sign({ method: 'GET', url: 'example.com/x' }, good),
    /request\.url.*absolute URL/,
  ],
  [
    'INVALID_REQUEST',
    'a method that is not a token',
    () => sign({ method: 'GE T', url: '/', headers: { host: 'h' } }, good),
    /request\.method.*GET or POST/,
  ],
  ['INVALID_REQUEST', 'an origin-form URL without a Host header', () => sign({ method: 'GET', url: '/path' }, good), /Host header/],
  ['INVALID_REQUEST', 'raw HTTP text without a request line', () => parseHttpRequest('\nHost: x'), /METHOD \/path HTTP\/1\.1/],
  [
    'INVALID_HEADER',
    'a header value smuggling a second header',
    () => sign({ ...request, headers: { 'X-A': 'v\r\nX-B: w' } }, good),
    /X-A.*NUL, CR or LF/,
  ],
  [
    'INVALID_HEADER',
    'a header name with a space',
    () => sign({ ...request, headers: { 'Bad Name': 'v' } }, good),
    /Bad Name.*not a valid header name/,
  ],
  ['INVALID_BODY', 'a number as the body', () => sign({ ...request, body: 42 as never }, good), /body: expected a string, Uint8Array/],
  [
    'INVALID_BODY',
    'a stream yielding numbers',
    () =>
      sign(
        {
          ...request,
          body: (async function* () {
            yield 1 as never;
          })(),
        },
        good,
      ),
    /stream must yield Uint8Array or string/,
  ],
  [
    'MISSING_CREDENTIALS',
    'credentials without a secret',
    () => sign(request, { ...good, credentials: { accessKeyId: 'AKID' } as never }),
    /secretAccessKey: expected a non-empty string/,
  ],
  [
    'MISSING_CREDENTIALS',
    'a credentials provider that fails',
    () => sign(request, { ...good, credentials: () => Promise.reject(new Error('no profile')) }),
    /credentials provider failed/,
  ],
  [
    'INVALID_DATE',
    'a date that is no time',
    () => sign(request, { ...good, date: 'yesterday' }),
    /date: expected a Date.*YYYYMMDDTHHMMSSZ/,
  ],
  [
    'INVALID_DATE',
    "a date that contradicts the request's X-Amz-Date",
    () => sign({ ...request, headers: { 'X-Amz-Date': '20200101T000000Z' } }, good),
    /already carries X-Amz-Date.*remove one/,
  ],
  [
    'EXPIRES_OUT_OF_RANGE',
    'expiresIn 0',
    () => presign(request, { ...good, expiresIn: 0 }),
    /expiresIn: expected whole seconds from 1 to 604800/,
  ],
  [
    'EXPIRES_OUT_OF_RANGE',
    'expiresIn of 7 days and 1 second',
    () => presign(request, { ...good, expiresIn: 604_801 }),
    /expiresIn.*7 days/,
  ],
  [
    'INVALID_REGION',
    'a region with spaces',
    () => sign(request, { ...good, region: 'us east 1' }),
    /region: expected a region name like 'us-east-1'/,
  ],
  ['INVALID_SERVICE', 'an empty service', () => sign(request, { ...good, service: '' }), /service: expected a signing name like 'ecr'/],
  [
    'INVALID_OPTION',
    'a non-boolean switch',
    () => sign(request, { ...good, doubleEncode: 'yes' as never }),
    /doubleEncode: expected true or false/,
  ],
  [
    'INVALID_OPTION',
    'verify without a credentials lookup',
    () => verify(request, {} as never),
    /options\.credentials: expected a function/,
  ],
];

for (const [code, name, action, mentions] of cases) {
  codes(`${code}: ${name}`, async () => {
    const error = await rejection(action);
    assert.is(error.code, code);
    assert.is(error.name, 'SigV4Error');
    assert.ok(error instanceof Error);
    assert.match(error.message, mentions);
    assertNoSecrets(error.message, 'the message');
    assertNoSecrets(inspect(error, { depth: 5 }), 'inspect()');
  });
}

// A new code needs a case: here, or (for a feature with its own test file, such as aws-chunked
// bodies) in another test file of this package that names it.
codes('every code listed in src/errors.ts has a case above or in another test file', () => {
  const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
  const union = /export type SigV4ErrorCode =([^;]+);/.exec(source)![1]!;
  const declared = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]!);
  assert.ok(declared.length >= 9, 'read the codes from the union');
  const here = new Set(cases.map(([code]) => code));
  const testDir = new URL('./', import.meta.url);
  const elsewhere = readdirSync(testDir)
    .filter((f) => f.endsWith('.test.ts') && f !== 'errors.test.ts')
    .map((f) => readFileSync(new URL(f, testDir), 'utf8'))
    .join('\n');
  const untested = declared.filter((code) => !here.has(code) && !elsewhere.includes(`'${code}'`));
  assert.equal(untested, [], 'codes no test raises');
});

codes('an invalid session token is rejected without repeating it', async () => {
  const error = await rejection(() => sign(request, { ...good, credentials: { ...credentials, sessionToken: `${TOKEN}\n` } }));
  assert.is(error.code, 'MISSING_CREDENTIALS');
  assertNoSecrets(error.message, 'the message');
  assertNoSecrets(inspect(error), 'inspect()');
});

codes('an access key ID with a slash is rejected without repeating the secret', async () => {
  const error = await rejection(() => sign(request, { ...good, credentials: { ...credentials, accessKeyId: `AK/${SECRET}` } }));
  assert.is(error.code, 'MISSING_CREDENTIALS');
  assertNoSecrets(error.message, 'the message');
});

codes.run();

// ------------------------------------------------------------- fuzz

const fuzz = suite('fuzz: only SigV4Error escapes');

const junk = fc.anything({
  maxDepth: 2,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
  withUnicodeString: true,
});
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', '/', '?', '&', '=', '%', '#', ' ', '\r', '\n', '\0', ':', '\t', 'é', '%zz', '%41', '..'),
    maxLength: 20,
  }),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, junk);

const url = maybe(
  fc.oneof(
    text,
    text.map((t) => `https://${t}`),
    text.map((t) => `/${t}`),
    fc.tuple(text, text).map(([a, b]) => `http://host:99/${a}?${b}`),
  ),
);
const headerInput = maybe(
  fc.oneof(
    fc.dictionary(text, maybe(fc.oneof(text, fc.array(maybe(text), { maxLength: 3 }))), { maxKeys: 4 }),
    fc.array(fc.oneof(fc.tuple(maybe(text), maybe(text)), junk), { maxLength: 3 }),
  ),
);
const body = maybe(
  fc.oneof(
    text,
    fc.uint8Array({ maxLength: 20 }),
    fc.constant(new ArrayBuffer(3)),
    fc.array(fc.oneof(fc.uint8Array({ maxLength: 4 }), text, junk), { maxLength: 3 }).map((chunks) =>
      (async function* () {
        yield* chunks;
      })(),
    ),
  ),
);
const randomRequest = maybe(
  fc.record(
    {
      method: maybe(fc.oneof(fc.constantFrom('GET', 'POST'), text)),
      url,
      headers: headerInput,
      body,
      hostname: maybe(text),
      path: maybe(text),
      query: junk,
      protocol: junk,
      port: junk,
    },
    { requiredKeys: [] },
  ),
);
const randomCredentials = maybe(
  fc.oneof(
    fc.record(
      {
        accessKeyId: maybe(text),
        secretAccessKey: maybe(fc.constant(SECRET)),
        sessionToken: maybe(fc.constantFrom(TOKEN, `${TOKEN}\r\n`, undefined)),
      },
      { requiredKeys: [] },
    ),
    fc.constant(() => credentials),
    fc.constant(() => {
      throw new TypeError('provider blew up');
    }),
    fc.constant(async () => ({ accessKeyId: 'AK', secretAccessKey: 7 })),
  ),
);
const randomOptions = maybe(
  fc.record(
    {
      credentials: randomCredentials,
      region: maybe(fc.oneof(fc.constant('us-east-1'), text)),
      service: maybe(fc.oneof(fc.constant('ecr'), text)),
      date: maybe(fc.oneof(fc.date(), fc.double(), fc.integer(), text, fc.constant('20150830T123600Z'))),
      doubleEncode: junk,
      normalizePath: junk,
      unsignedPayload: junk,
      payloadHash: maybe(fc.constantFrom('UNSIGNED-PAYLOAD', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'nope')),
      contentSha256Header: junk,
      signSessionToken: junk,
      unsignableHeaders: junk,
      signableHeaders: junk,
      trace: junk,
      revealSigningKey: junk,
      sha256: junk,
      signingKeyCache: junk,
      expiresIn: maybe(fc.oneof(fc.integer(), fc.double())),
    },
    { requiredKeys: [] },
  ),
);
const randomVerifyOptions = maybe(
  fc.record(
    {
      credentials: fc.oneof(
        fc.constant(() => SECRET),
        fc.constant(() => undefined),
        fc.constant(async () => SECRET),
        junk,
      ),
      now: maybe(fc.oneof(fc.date(), fc.double(), fc.integer())),
      maxSkewSeconds: junk,
      region: junk,
      service: junk,
      doubleEncode: junk,
      normalizePath: junk,
      sha256: junk,
    },
    { requiredKeys: [] },
  ),
);
const httpText = fc.oneof(
  text,
  fc
    .tuple(text, text, fc.array(fc.tuple(text, text), { maxLength: 4 }), fc.option(text))
    .map(
      ([method, target, headers, b]) =>
        `${method} ${target} HTTP/1.1\n${headers.map(([n, v]) => `${n}:${v}`).join('\n')}${b === null ? '' : `\n\n${b}`}`,
    ),
);

/** Runs one entry point; only a SigV4Error (which must not show the secret or token) may come out. */
async function onlySigV4Error(where: string, action: () => unknown): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof SigV4Error)) throw new Error(`${where} let ${inspect(error)} escape`);
    assertNoSecrets(error.message, `${where}: message`);
    assertNoSecrets(inspect(error), `${where}: inspect()`);
  }
}

// Bounded by run counts (about 5 s on two busy cores), not by a clock, so a slow machine cannot fail it.
fuzz('random requests and options thrown at sign, presign and verify raise only SigV4Error', async () => {
  await fc.assert(
    fc.asyncProperty(randomRequest, randomOptions, randomVerifyOptions, async (req, options, verifyOptions) => {
      await onlySigV4Error('sign', () => sign(req as never, options as never));
      await onlySigV4Error('presign', () => presign(req as never, options as never));
      await onlySigV4Error('verify', () => verify(req as never, verifyOptions as never));
      await onlySigV4Error('serializeHttpRequest', () => serializeHttpRequest(req as never));
    }),
    { seed, numRuns: 2000, includeErrorInReport: true },
  );
});

fuzz('random raw HTTP text thrown at parseHttpRequest, and what it accepts at sign and verify, raises only SigV4Error', async () => {
  await fc.assert(
    fc.asyncProperty(httpText, async (raw) => {
      let parsed: ReturnType<typeof parseHttpRequest> | undefined;
      await onlySigV4Error('parseHttpRequest', () => (parsed = parseHttpRequest(raw)));
      if (parsed === undefined) return;
      await onlySigV4Error('sign(parsed)', () => sign(parsed!, good));
      await onlySigV4Error('verify(parsed)', () => verify(parsed!, { credentials: () => SECRET }));
    }),
    { seed, numRuns: 2000, includeErrorInReport: true },
  );
});

fuzz('a signed request with one field replaced by junk raises only SigV4Error in verify', async () => {
  const signed = (
    await sign({ method: 'POST', url: 'https://example.amazonaws.com/a?b=c', headers: { 'X-Amz-Target': 't' }, body: '{}' }, good)
  ).request;
  const presigned = (await presign({ method: 'GET', url: 'https://example.amazonaws.com/a?b=c' }, good)).url;
  const field = fc.constantFrom('method', 'url', 'headers', 'body', 'authorization', 'x-amz-date', 'presigned-url');
  await fc.assert(
    fc.asyncProperty(field, fc.oneof(text, junk), async (which, value) => {
      const copy: Record<string, unknown> = { ...signed, headers: { ...signed.headers } };
      if (which === 'authorization' || which === 'x-amz-date')
        (copy.headers as Record<string, unknown>)[which === 'authorization' ? 'Authorization' : 'X-Amz-Date'] = value;
      else if (which === 'presigned-url')
        Object.assign(copy, { url: `${presigned}&${typeof value === 'string' ? value : inspect(value)}`, headers: {} });
      else copy[which] = value;
      await onlySigV4Error('verify(mutated)', () =>
        verify(copy as never, { credentials: () => SECRET, now: Date.parse('2015-08-30T12:36:00Z') }),
      );
    }),
    { seed, numRuns: 2000, includeErrorInReport: true },
  );
});

// Random values everywhere rarely get past the first check; one bad field in an otherwise good
// call reaches every later one.
const requestFields = ['method', 'url', 'headers', 'body'] as const;
const optionFields = [
  'credentials',
  'region',
  'service',
  'date',
  'doubleEncode',
  'normalizePath',
  'unsignedPayload',
  'payloadHash',
  'contentSha256Header',
  'signSessionToken',
  'unsignableHeaders',
  'signableHeaders',
  'trace',
  'revealSigningKey',
  'sha256',
  'signingKeyCache',
  'expiresIn',
] as const;
const junkOrList = fc.oneof(junk, fc.array(junk, { maxLength: 3 }), text);
fuzz('one junk field in an otherwise good sign or presign call raises only SigV4Error', async () => {
  const goodRequest = { method: 'POST', url: 'https://example.amazonaws.com/a?b=c', headers: { 'X-Amz-Target': 't' }, body: '{}' };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...requestFields, ...optionFields), junkOrList, async (field, value) => {
      const req: Record<string, unknown> = { ...goodRequest };
      const options: Record<string, unknown> = { ...good, trace: true };
      if ((requestFields as readonly string[]).includes(field)) req[field] = value;
      else options[field] = value;
      await onlySigV4Error(`sign with junk ${field}`, () => sign(req as never, options as never));
      await onlySigV4Error(`presign with junk ${field}`, () => presign(req as never, options as never));
    }),
    { seed, numRuns: 2000, includeErrorInReport: true },
  );
});

fuzz('one junk option in an otherwise good verify call raises only SigV4Error', async () => {
  const signed = (await sign({ method: 'GET', url: 'https://example.amazonaws.com/' }, good)).request;
  const fields = ['now', 'maxSkewSeconds', 'region', 'service', 'doubleEncode', 'normalizePath', 'sha256'] as const;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...fields), junkOrList, async (field, value) => {
      const options: Record<string, unknown> = { credentials: () => SECRET, now: Date.parse('2015-08-30T12:36:00Z'), [field]: value };
      await onlySigV4Error(`verify with junk ${field}`, () => verify(signed, options as never));
    }),
    { seed, numRuns: 1000, includeErrorInReport: true },
  );
});

fuzz.run();
