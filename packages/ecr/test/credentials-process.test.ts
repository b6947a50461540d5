import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EcrError } from '../src/errors.ts';
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

async function expectFailure(home: TempHome, profile: string, message: RegExp, options: { processTimeoutMs?: number } = {}): Promise<EcrError> {
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
        (await processProfile(home, 'p', `console.log(JSON.stringify({ Version: 1, AccessKeyId: process.env.MARKER + '|' + process.argv.slice(4).join(','), SecretAccessKey: 's' }));`)).replace('\n', ' "a;b" $HOME\n'),
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
  ['a non-zero exit shows stderr', `process.stderr.write('token expired, run sso login'); process.exit(3);`, /exited with code 3: token expired, run sso login/],
  ['output that is not JSON is not echoed', `process.stdout.write('AccessKeyId=A SecretAccessKey=${SECRET}');`, /not JSON \(\d+ bytes, not shown\)/],
  ['a JSON array', `console.log('[1]');`, /not an object/],
  ['Version 2', `console.log(JSON.stringify({ Version: 2, AccessKeyId: 'A', SecretAccessKey: '${SECRET}' }));`, /Version 2; only Version 1/],
  ['no Version', `console.log(JSON.stringify({ AccessKeyId: 'A', SecretAccessKey: '${SECRET}' }));`, /Version \(missing\)/],
  ['no secret', `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'A' }));`, /no SecretAccessKey/],
  ['a bad Expiration', `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'A', SecretAccessKey: '${SECRET}', SessionToken: '${TOKEN}', Expiration: 'tomorrow' }));`, /"tomorrow" is not an ISO 8601 date/],
  ['already expired', `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'A', SecretAccessKey: '${SECRET}', Expiration: '2001-01-01T00:00:00Z' }));`, /expired at 2001-01-01T00:00:00.000Z/],
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

test('an abort signal stops a running credential_process', async () => {
  const home = await tempHome();
  try {
    await home.write('config', '[profile p]\n' + (await processProfile(home, 'p', 'setTimeout(() => {}, 30000);')));
    const started = Date.now();
    const error = await resolveCredentials({ env: home.env, profile: 'p', signal: AbortSignal.timeout(200) }).catch((caught: unknown) => caught);
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
  assert.throws(() => splitCommandLine('a "b'), (error: unknown) => error instanceof EcrError && /unclosed double quote/.test(error.message));
});

test.run();
