/**
 * The file-safety soak: many processes writing config.json at once while another reads it, writers killed
 * with SIGKILL at random moments, and random config documents edited and restored (the many cold helper
 * `get`s at once are in packages/cli/test/support/helper/cold-gets.ts). `pnpm soak` (scripts/soak.ts) runs these at full size and prints the
 * figures docs/file-safety.md quotes; the tests run small, bounded versions as regression tests.
 * Not a test file (scripts/test.mjs runs only `*.test.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { removeAuth, setAuth } from '../../src/registry-auth.ts';
import { buildOnce, DIST_INDEX, tempDir } from '../support.ts';

/** The first line of a failed writer's error, to report once rather than 200 stack traces. */
let firstWriterError: string | undefined;

/** Runs `script` as an ES module in a new node process with `args`; resolves with its exit code. */
function nodeModule(script: string, args: string[]): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) firstWriterError ??= /^\w*Error: .*$/m.exec(stderr)?.[0] ?? stderr.slice(0, 300);
      resolve(code);
    });
  });
  return { child, done };
}

function decodeAuth(auth: string | undefined): string | undefined {
  return auth === undefined ? undefined : Buffer.from(auth, 'base64').toString('utf8');
}

/** What {@link concurrentWriters} measured. */
export interface ConcurrentWritersResult {
  writers: number;
  entries: number;
  /** Entries missing or wrong at the end. */
  lost: number;
  /** Whether the unrelated key written before the run survived. */
  unrelatedKept: boolean;
  /** Reads of config.json made while the writers ran, and how many of them did not parse. */
  reads: number;
  invalidReads: number;
  /** Writers that exited with a non-zero code, and the first one's error. */
  failedWriters: number;
  firstError?: string | undefined;
}

/**
 * `writers` processes start at once, each storing `perWriter` registries with setAuth, while this process
 * reads and parses config.json in a loop until they are done.
 */
export async function concurrentWriters(writers: number, perWriter: number): Promise<ConcurrentWritersResult> {
  buildOnce();
  const { dir, cleanup } = await tempDir('glassbox-soak-writers-');
  try {
    const path = join(dir, 'config.json');
    await writeFile(path, '{\n\t"keep": "me"\n}\n', { mode: 0o600 });
    const entry = pathToFileURL(DIST_INDEX).href;
    const script = `import { setAuth } from ${JSON.stringify(entry)};
      const [dir, writer, count] = process.argv.slice(1);
      for (let i = 0; i < Number(count); i++) await setAuth('w' + writer + '-' + i + '.example', 'user' + writer, 'pw-' + writer + '-' + i, { configDir: dir });`;
    const runs = Array.from({ length: writers }, (_, writer) => nodeModule(script, [dir, String(writer), String(perWriter)]).done);
    let running = true;
    const all = Promise.all(runs).finally(() => (running = false));
    let reads = 0;
    let invalidReads = 0;
    while (running) {
      const text = await readFile(path, 'utf8');
      reads++;
      try {
        JSON.parse(text);
      } catch {
        invalidReads++;
      }
    }
    const codes = await all;
    const data = JSON.parse(await readFile(path, 'utf8')) as { keep?: string; auths?: Record<string, { auth?: string }> };
    let lost = 0;
    for (let writer = 0; writer < writers; writer++) {
      for (let i = 0; i < perWriter; i++) {
        if (decodeAuth(data.auths?.[`w${writer}-${i}.example`]?.auth) !== `user${writer}:pw-${writer}-${i}`) lost++;
      }
    }
    const failedWriters = codes.filter((code) => code !== 0).length;
    return {
      writers,
      entries: writers * perWriter,
      lost,
      unrelatedKept: data.keep === 'me',
      reads,
      invalidReads,
      failedWriters,
      ...(failedWriters > 0 ? { firstError: firstWriterError } : {}),
    };
  } finally {
    await cleanup();
  }
}

/** What {@link killWriters} measured. */
export interface KillWritersResult {
  kills: number;
  /** Times config.json did not parse right after a kill. */
  invalidAfterKill: number;
  /** Temporary copies (`.config.json.*.tmp`) present after the kills, and after one more write. */
  temporariesBeforeCleanup: number;
  temporariesAfterNextWrite: number;
  /** Whether the entry written before the run survived every kill. */
  firstEntryKept: boolean;
  /** Entries the killed writers managed to store (so the kills did land among writes). */
  entriesWritten: number;
}

/**
 * `kills` times: a writer process that stores registries in a loop is started and killed with SIGKILL
 * after a random delay of up to `maxDelayMs`; config.json is parsed after each kill. Then one more write
 * is made, and the leftover temporary copies are counted before and after it.
 */
export async function killWriters(kills: number, maxDelayMs: number, random: () => number = Math.random): Promise<KillWritersResult> {
  buildOnce();
  const { dir, cleanup } = await tempDir('glassbox-soak-kill-');
  try {
    const path = join(dir, 'config.json');
    await setAuth('first.example', 'u', 'first-pw', { configDir: dir });
    const entry = pathToFileURL(DIST_INDEX).href;
    const script = `import { setAuth } from ${JSON.stringify(entry)};
      const [dir, run] = process.argv.slice(1);
      for (let i = 0; ; i++) await setAuth('k' + run + '-' + (i % 50) + '.example', 'u', 'pw-' + i, { configDir: dir });`;
    let invalidAfterKill = 0;
    for (let kill = 0; kill < kills; kill++) {
      const { child, done } = nodeModule(script, [dir, String(kill)]);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * maxDelayMs)));
      child.kill('SIGKILL');
      await done;
      try {
        JSON.parse(await readFile(path, 'utf8'));
      } catch {
        invalidAfterKill++;
      }
    }
    const temporaries = async () => (await readdir(dir)).filter((name) => name.startsWith('.config.json.') && name.endsWith('.tmp')).length;
    const temporariesBeforeCleanup = await temporaries();
    // One more write (it may have to wait out a lock a killed writer held: stale after 10 s).
    await setAuth('last.example', 'u', 'last-pw', { configDir: dir });
    const data = JSON.parse(await readFile(path, 'utf8')) as { auths?: Record<string, { auth?: string }> };
    return {
      kills,
      invalidAfterKill,
      temporariesBeforeCleanup,
      temporariesAfterNextWrite: await temporaries(),
      firstEntryKept: decodeAuth(data.auths?.['first.example']?.auth) === 'u:first-pw',
      entriesWritten: Object.keys(data.auths ?? {}).filter((key) => key.startsWith('k')).length,
    };
  } finally {
    await cleanup();
  }
}

/** Whitespace JSON allows, in odd amounts. */
const whitespace = fc.array(fc.constantFrom(' ', '\t', '\n', '\r\n', '  '), { maxLength: 3 }).map((parts) => Buffer.from(parts.join('')));

/** A JSON string token whose content may hold raw invalid UTF-8 bytes and escapes. */
const stringToken = fc
  .array(
    fc.oneof(
      fc.constantFrom('a', 'é', '\\"', '\\u00e9', '\\n', '{', '}', ',', ':', '[', ']', '\\\\'),
      fc.constantFrom('\xff', '\xfe', '\xc3', '\x80'),
    ),
    { maxLength: 6 },
  )
  .map((parts) =>
    Buffer.concat([
      Buffer.from('"'),
      ...parts.map((part) =>
        part.length === 1 && part.charCodeAt(0) >= 0x80 && part !== 'é' ? Buffer.from([part.charCodeAt(0)]) : Buffer.from(part),
      ),
      Buffer.from('"'),
    ]),
  );

/** A number token, big ones included (beyond double precision). */
const numberToken = fc
  .constantFrom('0', '-1', '1.5e3', '12345678901234567890123', '0.30000000000000000000004', '1E400')
  .map((text) => Buffer.from(text));

/** A JSON value as bytes: literals, numbers, strings, arrays and objects (with duplicate keys), up to `depth` deep. */
const valueToken: fc.Arbitrary<Buffer> = fc.letrec<{ value: Buffer }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('true', 'false', 'null').map((text) => Buffer.from(text)),
    numberToken,
    stringToken,
    fc.array(fc.tuple(whitespace, tie('value'), whitespace), { maxLength: 3 }).map((items) =>
      joinTokens(
        '[',
        ']',
        items.map(([a, v, b]) => Buffer.concat([a, v, b])),
      ),
    ),
    fc.array(fc.tuple(whitespace, fc.constantFrom('k', 'dup', 'auths', 'é'), whitespace, tie('value')), { maxLength: 3 }).map((members) =>
      joinTokens(
        '{',
        '}',
        members.map(([a, key, b, v]) => Buffer.concat([a, Buffer.from(JSON.stringify(key)), b, Buffer.from(':'), v])),
      ),
    ),
  ),
})).value;

function joinTokens(open: string, close: string, items: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(open)];
  items.forEach((item, index) => parts.push(...(index > 0 ? [Buffer.from(','), item] : [item])));
  parts.push(Buffer.from(close));
  return Buffer.concat(parts);
}

/** A config.json: optional BOM, odd whitespace, unrelated members (duplicates included) and one non-empty `auths`. */
export const configDocument: fc.Arbitrary<Buffer> = fc
  .record({
    bom: fc.boolean(),
    lead: whitespace,
    before: fc.array(fc.tuple(fc.constantFrom('"x"', '"dup"', '"big"', '"é"'), whitespace, valueToken), { maxLength: 4 }),
    auth: fc.tuple(whitespace, fc.constantFrom('a.example', 'b.example:5000'), whitespace),
    after: fc.array(fc.tuple(fc.constantFrom('"y"', '"dup"', '"credsStorex"'), whitespace, valueToken), { maxLength: 3 }),
    trail: whitespace,
  })
  .map(({ bom, lead, before, auth, after, trail }) => {
    const member = ([key, space, value]: [string, Buffer, Buffer]) =>
      Buffer.concat([Buffer.from(key), space, Buffer.from(':'), space, value]);
    const auths = Buffer.concat([
      Buffer.from('"auths":{'),
      auth[0],
      Buffer.from(JSON.stringify(auth[1])),
      Buffer.from(':{"auth":"dTpw"}'),
      auth[2],
      Buffer.from('}'),
    ]);
    const members = [...before.map(member), auths, ...after.map(member)];
    return Buffer.concat([
      bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
      lead,
      joinTokens(
        '{',
        '}',
        members.map((m) => Buffer.concat([lead, m])),
      ),
      trail,
    ]);
  });

/** What {@link fuzzRoundTrips} measured. */
export interface FuzzResult {
  documents: number;
  /** Documents where the edit did not hold the new entry, or set + remove did not give back the original bytes. */
  failures: number;
  /** The first failing document, as base64, to reproduce it. */
  example?: string | undefined;
}

/**
 * `runs` random config documents (BOM, odd whitespace, duplicate keys, big numbers, invalid UTF-8, nested
 * values): setAuth adds a registry, the result must parse and hold it; removeAuth takes it out again, and
 * the file must then be the original, byte for byte.
 */
export async function fuzzRoundTrips(runs: number, seed?: number): Promise<FuzzResult> {
  const { dir, cleanup } = await tempDir('glassbox-soak-fuzz-');
  let documents = 0;
  let failures = 0;
  let example: string | undefined;
  try {
    const path = join(dir, 'config.json');
    await fc.assert(
      fc.asyncProperty(configDocument, async (original) => {
        documents++;
        let ok = false;
        try {
          await writeFile(path, original, { mode: 0o600 });
          await setAuth('new.example', 'AWS', 'fuzz-pw', { configDir: dir });
          const edited = JSON.parse((await readFile(path)).toString('utf8').replace(/^\ufeff/, '')) as {
            auths?: Record<string, { auth?: string }>;
          };
          await removeAuth('new.example', { configDir: dir });
          ok = decodeAuth(edited.auths?.['new.example']?.auth) === 'AWS:fuzz-pw' && Buffer.compare(await readFile(path), original) === 0;
        } catch (error) {
          if (process.env['SOAK_DEBUG']) console.error(error);
          ok = false;
        }
        if (!ok) {
          failures++;
          example ??= original.toString('base64');
        }
        return true; // count every failure instead of stopping (and shrinking) at the first
      }),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    );
    return { documents, failures, example };
  } finally {
    await cleanup();
  }
}
