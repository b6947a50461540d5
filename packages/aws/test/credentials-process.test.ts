import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AwsError as EcrError } from '../src/errors.ts';
import { resolveCredentials } from '../src/credentials/chain.ts';
import { splitCommandLine } from '../src/credentials/command-line.ts';
import { tempHome, type TempHome } from './credentials-fixtures.ts';

const SECRET = 'SECRET-process-9f8e7d';
const TOKEN = 'TOKEN-process-1a2b3c';

/** Writes a node script that prints `stdout`, writes `stderr` and exits with `code`; returns a profile's credential_process line. */
async function processProfile(home: TempHome, name: string, script: string): Promise<string> {
  const path = await home.write(`${name}.mjs`, script);
  return `credential_process = "${process.execPath}" "${path}" --profile ${name}\n`;
}

async function resolveWith(home: TempHome, profile: string, options: { processTimeoutMs?: number } = {}) {
  return resolveCredentials({ env: home.env, profile, trace: true, ...options });
}

async function expectFailure(
  home: TempHome,
  profile: string,
  message: RegExp,
  options: { processTimeoutMs?: number } = {},
): Promise<EcrError> {
  try {
    await resolveWith(home, profile, options);
  } catch (error) {
    assert.instance(error, EcrError);
    const ecrError = error as EcrError;
    assert.is(ecrError.code, 'CREDENTIAL_PROCESS_FAILED');
    assert.match(ecrError.message, message);
    for (const text of [ecrError.message, inspect(ecrError), String(ecrError.stack)]) {
      assert.not.ok(text.includes(SECRET), `the secret leaked: ${text}`);
      assert.not.ok(text.includes(TOKEN), `the token leaked: ${text}`);
    }
    return ecrError;
  }
  assert.unreachable('expected a failure');
  throw new Error('unreachable');
}

test('Version 1 JSON with a session token and expiration', async () => {
  const home = await tempHome();
  try {
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    await home.write(
      'config',
      '[profile p]\n' +
        (await processProfile(
          home,
          'p',
          `if (process.argv[2] !== '--profile' || process.argv[3] !== 'p') process.exit(9);\n` +
            `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'ASIAPROC', SecretAccessKey: '${SECRET}', SessionToken: '${TOKEN}', Expiration: '${expiration}' }));`,
        )),
    );
    const resolved = await resolveWith(home, 'p');
    assert.is(resolved.source, 'credential-process');
    assert.is(resolved.credentials.accessKeyId, 'ASIAPROC');
    assert.is(resolved.credentials.secretAccessKey, SECRET);
    assert.is(resolved.credentials.sessionToken, TOKEN);
    assert.is(resolved.credentials.expiration?.toISOString(), expiration);
    assert.is(resolved.credentials.source, 'credential-process (profile p)');
  } finally {
    await home.cleanup();
  }
});

test('the command runs with the injected environment and without a shell', async () => {
  const home = await tempHome();
  try {
    await home.write(
      'config',
      '[profile p]\n' +
        (
          await processProfile(
            home,
            'p',
            `console.log(JSON.stringify({ Version: 1, AccessKeyId: process.env.MARKER + '|' + process.argv.slice(4).join(','), SecretAccessKey: 's' }));`,
          )
        ).replace('\n', ' "a;b" $HOME\n'),
    );
    const resolved = await resolveCredentials({ env: { ...home.env, MARKER: 'injected' }, profile: 'p' });
    assert.is(resolved.credentials.accessKeyId, 'injected|a;b,$HOME');
    assert.is(resolved.credentials.sessionToken, undefined);
    assert.is(resolved.credentials.expiration, undefined);
  } finally {
    await home.cleanup();
  }
});

const failures: [string, string, RegExp][] = [
  [
    'a non-zero exit shows stderr',
    `process.stderr.write('token expired, run sso login'); process.exit(3);`,
    /exited with code 3: token expired, run sso login/,
  ],
  [
    'output that is not JSON is not echoed',
    `process.stdout.write('AccessKeyId=A SecretAccessKey=${SECRET}');`,
    /not JSON \(\d+ bytes, not shown\)/,
  ],
  ['a JSON array', `console.log('[1]');`, /not an object/],
  [
    'Version 2',
    `console.log(JSON.stringify({ Version: 2, AccessKeyId: 'A', SecretAccessKey: '${SECRET}' }));`,
    /Version 2; only Version 1/,
  ],
  ['no Version', `console.log(JSON.stringify({ AccessKeyId: 'A', SecretAccessKey: '${SECRET}' }));`, /Version \(missing\)/],
  ['no secret', `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'A' }));`, /no SecretAccessKey/],
  [
    'a bad Expiration',
    `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'A', SecretAccessKey: '${SECRET}', SessionToken: '${TOKEN}', Expiration: 'tomorrow' }));`,
    /"tomorrow" is not an ISO 8601 date/,
  ],
  [
    'already expired',
    `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'A', SecretAccessKey: '${SECRET}', Expiration: '2001-01-01T00:00:00Z' }));`,
    /expired at 2001-01-01T00:00:00.000Z/,
  ],
  ['killed by a signal', `process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 10000);`, /killed by SIGTERM/],
];
for (const [name, script, message] of failures) {
  test(`failure: ${name}`, async () => {
    const home = await tempHome();
    try {
      await home.write('config', '[profile p]\n' + (await processProfile(home, 'p', script)));
      await expectFailure(home, 'p', message);
    } finally {
      await home.cleanup();
    }
  });
}

test('failure: a command that does not exist', async () => {
  const home = await tempHome();
  try {
    await home.write('config', `[profile p]\ncredential_process = ${home.dir}/no-such-binary\n`);
    await expectFailure(home, 'p', /could not start .*no-such-binary.*ENOENT/);
  } finally {
    await home.cleanup();
  }
});

test('failure: a command that hangs is stopped at the time limit', async () => {
  const home = await tempHome();
  try {
    await home.write('config', '[profile p]\n' + (await processProfile(home, 'p', 'setTimeout(() => {}, 30000);')));
    const started = Date.now();
    await expectFailure(home, 'p', /did not finish within 300 ms/, { processTimeoutMs: 300 });
    assert.ok(Date.now() - started < 5000);
  } finally {
    await home.cleanup();
  }
});

/** Whether a process is gone: no /proc entry, or a zombie (killed, waiting to be reaped by init). */
async function isGone(pid: number): Promise<boolean> {
  // SIGKILL is delivered at once, but the state change is observed asynchronously: look a few times.
  for (let look = 0; look < 100; look++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || /^\d+ \(.*\) Z/.test(stat)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** Fails (rather than hangs) when a wait goes past a generous bound; not a speed check. */
function withinBound<T>(promise: Promise<T>, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms: the wait is unbounded`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** A script that starts `sleep 86400` sharing its stdout and stderr (as `sleep 86400 &` in a shell does) and records its pid. */
function spawnsSleep(pidFile: string, then: string): string {
  return (
    `import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\n` +
    `const sleeper = spawn('sleep', ['86400'], { stdio: ['ignore', 'inherit', 'inherit'] });\n` +
    `writeFileSync(${JSON.stringify(pidFile)}, String(sleeper.pid));\n${then}\n`
  );
}

test('failure: a command that prints its credentials JSON to stderr and exits 1 is quoted without the secret or token', async () => {
  // Values no other test creates credentials with: only the credential-shape rule can hide them.
  const secret = 'stderrOnlySECRET/0123456789abcdefghij+KLMN';
  const token = 'stderrOnlyTOKEN//FwoGZXIvYXdzEJr+0123456789==';
  const home = await tempHome();
  try {
    const document = JSON.stringify({ Version: 1, AccessKeyId: 'ASIASTDERR', SecretAccessKey: secret, SessionToken: token });
    await home.write(
      'config',
      '[profile p]\n' + (await processProfile(home, 'p', `process.stderr.write(${JSON.stringify(document)} + '\\n'); process.exit(1);`)),
    );
    const error = await expectFailure(
      home,
      'p',
      /exited with code 1: \{"Version":1,"AccessKeyId":"ASIASTDERR","SecretAccessKey":"\[redacted/,
    );
    for (const text of [error.message, inspect(error), String(error.stack)]) {
      assert.not.ok(text.includes(secret), text);
      assert.not.ok(text.includes(token), text);
    }
  } finally {
    await home.cleanup();
  }
});

test('failure: a long stderr is redacted before it is cut to its last 1000 characters', async () => {
  const secret = 'cutStderrSECRET/0123456789abcdefghij+KLMN';
  const home = await tempHome();
  try {
    const document = JSON.stringify({ Version: 1, AccessKeyId: 'ASIACUT', SecretAccessKey: secret });
    // The last 1000 characters start inside the field name ("…AccessKey":"<secret>"}…): a cut first would hide the name and show the value.
    const tail = document.slice(document.indexOf('AccessKey":"' + secret));
    const stderr = document + '\n' + '.'.repeat(1000 - tail.length - 1);
    await home.write(
      'config',
      '[profile p]\n' + (await processProfile(home, 'p', `process.stderr.write(${JSON.stringify(stderr)}); process.exit(2);`)),
    );
    const error = await expectFailure(home, 'p', /exited with code 2/);
    assert.not.ok(error.message.includes(secret), error.message);
  } finally {
    await home.cleanup();
  }
});

test('failure: at the time limit the whole process group is killed, even a `sleep 86400 &` holding stdout open', async () => {
  const home = await tempHome();
  try {
    const pidFile = join(home.dir, 'sleep.pid');
    await home.write('config', '[profile p]\n' + (await processProfile(home, 'p', spawnsSleep(pidFile, 'setInterval(() => {}, 1000);'))));
    // Bounded, so that a wait that never ends fails here instead of hanging the run.
    await withinBound(
      expectFailure(home, 'p', /did not finish within 500 ms; it and every process it started were killed/, { processTimeoutMs: 500 }),
    );
    const pid = Number(await readFile(pidFile, 'utf8'));
    assert.ok(pid > 0);
    assert.ok(await isGone(pid), `sleep (pid ${pid}) outlived the credential_process time limit`);
  } finally {
    const pid = Number(await readFile(join(home.dir, 'sleep.pid'), 'utf8').catch(() => '0'));
    if (pid > 0) killQuietly(pid);
    await home.cleanup();
  }
});

test('a command that answers and exits while a descendant holds stdout open is not waited for until the time limit', async () => {
  const home = await tempHome();
  const pidFile = join(home.dir, 'sleep.pid');
  try {
    const answer = `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'ASIADAEMON', SecretAccessKey: 'daemon-secret-0123456789' })); process.exit(0);`;
    await home.write('config', '[profile p]\n' + (await processProfile(home, 'p', spawnsSleep(pidFile, answer))));
    // A limit far beyond the drain: before the fix the answer came only when the limit killed the command (an error).
    const resolved = await withinBound(resolveWith(home, 'p', { processTimeoutMs: 30_000 }));
    assert.is(resolved.credentials.accessKeyId, 'ASIADAEMON');
  } finally {
    const pid = Number(await readFile(pidFile, 'utf8').catch(() => '0'));
    if (pid > 0) killQuietly(pid);
    await home.cleanup();
  }
});

test('an abort signal stops a running credential_process', async () => {
  const home = await tempHome();
  try {
    await home.write('config', '[profile p]\n' + (await processProfile(home, 'p', 'setTimeout(() => {}, 30000);')));
    const started = Date.now();
    const error = await resolveCredentials({ env: home.env, profile: 'p', signal: AbortSignal.timeout(200) }).catch(
      (caught: unknown) => caught,
    );
    assert.instance(error, EcrError);
    assert.is((error as EcrError).code, 'ABORTED');
    assert.ok(Date.now() - started < 5000);
  } finally {
    await home.cleanup();
  }
});

const splitCases: [string, string[]][] = [
  ['/bin/creds', ['/bin/creds']],
  ['  a   b  ', ['a', 'b']],
  [`a "b c" 'd e'`, ['a', 'b c', 'd e']],
  [`a "x\\"y" 'x\\y'`, ['a', 'x"y', 'x\\y']],
  ['a b\\ c', ['a', 'b c']],
  [`a ""`, ['a', '']],
  ['a;b|c $X', ['a;b|c', '$X']],
  [`pre"mid"post`, ['premidpost']],
];
for (const [line, expected] of splitCases) {
  test(`splitCommandLine(${JSON.stringify(line)})`, () => {
    assert.equal(splitCommandLine(line), expected);
  });
}

test('splitCommandLine refuses an unclosed quote', () => {
  assert.throws(
    () => splitCommandLine('a "b'),
    (error: unknown) => error instanceof EcrError && /unclosed double quote/.test(error.message),
  );
});

test.run();
