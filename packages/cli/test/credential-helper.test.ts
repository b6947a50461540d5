/**
 * The helper as Docker runs it: the built bin as a subprocess, the registry on stdin, the answer on
 * stdout, and the local ECR emulator (a real HTTP server on 127.0.0.1) as the AWS endpoint.
 */
import { spawnSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tokenCachePath } from '@glassbox/docker-config/token-cache';
import { credentialIdentity } from '../src/helper/credential-identity.ts';
import { runCredentialHelper } from '../src/helper/run-credential-helper.ts';
import { tempDir } from './support/helper/paths.ts';
import { helperSuite } from './support/helper/helper-suite.ts';
import { run as runProcess, runHelper, type Run } from './support/helper/process.ts';
import { HELPER_BIN } from './support/helper/paths.ts';
import { coldHelperGets } from './support/helper/cold-gets.ts';

const ACCESS_KEY_ID = 'AKIDGLASSBOXHELPER';
const SECRET_ACCESS_KEY = 'helper-test-secret-access-key-do-not-print';
const SESSION_TOKEN = 'helper-test-session-token-do-not-print';
const DENIED_KEY_ID = 'AKIDDENIEDHELPER';
const PASSWORD = 'emulator-issued-registry-password';
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const NOT_FOUND = 'credentials not found in native keychain';

function assertNoAwsSecret(run: Run): void {
  for (const text of [run.stdout, run.stderr]) {
    assert.not.ok(text.includes(SECRET_ACCESS_KEY), 'secret access key printed');
    assert.not.ok(text.includes(SESSION_TOKEN), 'session token printed');
  }
}

const helper = helperSuite(
  'docker-credential-glassbox',
  {
    credentials: [
      { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN },
      { accessKeyId: DENIED_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, denied: true },
    ],
    password: PASSWORD,
  },
  (emulatorUrl) => ({ AWS_ENDPOINT_URL_ECR_PUBLIC: emulatorUrl }),
);

helper(
  "get for an ECR host answers Docker's JSON from GetAuthorizationToken, then from the cache without an API call",
  async ({ emulator, env }) => {
    const first = await runHelper(['get'], `https://${HOST}\n`, env);
    assert.is(first.code, 0, first.stdout + first.stderr);
    assert.equal(JSON.parse(first.stdout), { ServerURL: `https://${HOST}`, Username: 'AWS', Secret: PASSWORD });
    assert.ok(first.stdout.endsWith('}\n'));
    assert.is(emulator.served, 1);
    assertNoAwsSecret(first);

    const second = await runHelper(['get'], HOST, env);
    assert.is(second.code, 0);
    assert.equal(JSON.parse(second.stdout), { ServerURL: HOST, Username: 'AWS', Secret: PASSWORD });
    assert.is(emulator.calls.length, 1, 'the cache answered');
    assert.is(second.stderr, '');

    const files = await readdir(env['GLASSBOX_CACHE_DIR']!);
    assert.is(files.length, 1);
    assert.is((await stat(join(env['GLASSBOX_CACHE_DIR']!, files[0]!))).mode & 0o777, 0o600);
  },
);

helper('get for ECR Public uses the ecr-public API', async ({ emulator, env }) => {
  const run = await runHelper(['get'], 'public.ecr.aws', env);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.equal(JSON.parse(run.stdout), { ServerURL: 'public.ecr.aws', Username: 'AWS', Secret: PASSWORD });
  assert.is(emulator.calls[0]?.target, 'SpencerFrontendService.GetAuthorizationToken');
});

helper('a host that is not ECR gets exactly the not-found text, without any API call', async ({ emulator, env }) => {
  for (const input of ['docker.io', 'https://index.docker.io/v1/', 'localhost:5000', `${HOST}.example.com`, 'ecr.example.com']) {
    const run = await runHelper(['get'], input, env);
    assert.is(run.code, 1, input);
    assert.is(run.stdout, `${NOT_FOUND}\n`, input);
  }
  assert.is(emulator.calls.length, 0);
});

helper('empty stdin is "no credentials server URL"; usage, unknown actions and version follow the protocol', async ({ env }) => {
  const empty = await runHelper(['get'], '', env);
  assert.is(empty.code, 1);
  assert.is(empty.stdout, 'no credentials server URL\n');
  const none = await runHelper([], '', env);
  assert.is(none.code, 1);
  assert.is(none.stdout, 'Usage: docker-credential-glassbox <store|get|erase|list|version>\n');
  const unknown = await runHelper(['fetch'], '', env);
  assert.is(unknown.code, 1);
  assert.is(unknown.stdout, 'docker-credential-glassbox: unknown action: fetch\n');
  const version = await runHelper(['version'], '', env);
  assert.is(version.code, 0);
  assert.match(version.stdout, /^docker-credential-glassbox \(@glassbox\/docker-config\) \d+\.\d+\.\d+\n$/);
});

helper('store and erase for ECR hosts are accepted no-ops; store for another host is refused', async ({ emulator, env }) => {
  const store = await runHelper(['store'], JSON.stringify({ ServerURL: HOST, Username: 'AWS', Secret: 'typed-by-docker-login' }), env);
  assert.is(store.code, 0, store.stdout);
  assert.is(store.stdout, '');
  const erase = await runHelper(['erase'], HOST, env);
  assert.is(erase.code, 0);
  assert.is(erase.stdout, '');
  const other = await runHelper(['store'], JSON.stringify({ ServerURL: 'registry.example', Username: 'u', Secret: 'p' }), env);
  assert.is(other.code, 1);
  assert.match(other.stdout, /keeps no passwords/);
  const noUrl = await runHelper(['store'], JSON.stringify({ Username: 'u', Secret: 'p' }), env);
  assert.is(noUrl.stdout, 'no credentials server URL\n');
  assert.is(emulator.calls.length, 0);
});

helper('a corrupt cache is ignored, reported on stderr and rewritten', async ({ emulator, env }) => {
  const cacheDir = env['GLASSBOX_CACHE_DIR']!;
  await runHelper(['get'], HOST, env);
  const [file] = await readdir(cacheDir);
  await writeFile(join(cacheDir, file!), 'not json at all', { mode: 0o600 });
  const run = await runHelper(['get'], HOST, env);
  assert.is(run.code, 0);
  assert.is(JSON.parse(run.stdout).Secret, PASSWORD);
  assert.match(run.stderr, /unreadable token cache/);
  assert.is(emulator.calls.length, 2);
  assert.is((JSON.parse(await readFile(join(cacheDir, file!), 'utf8')) as { password: string }).password, PASSWORD);
});

helper('when the API fails, a still-valid cached token is served with a warning on stderr', async ({ emulator, env }) => {
  // A token requested 10 hours ago that expires in 2: past our refresh point, still usable.
  const now = Date.now();
  const deniedEnv: Record<string, string> = { ...env, AWS_ACCESS_KEY_ID: DENIED_KEY_ID };
  delete deniedEnv['AWS_SESSION_TOKEN'];
  const file = tokenCachePath(env['GLASSBOX_CACHE_DIR']!, HOST, credentialIdentity(deniedEnv).hash);
  await mkdir(env['GLASSBOX_CACHE_DIR']!, { recursive: true, mode: 0o700 });
  await writeFile(
    file,
    JSON.stringify({
      version: 1,
      registry: HOST,
      username: 'AWS',
      password: 'older-password',
      requestedAt: now - 10 * 3_600_000,
      expiresAt: now + 2 * 3_600_000,
    }),
    { mode: 0o600 },
  );
  const run = await runHelper(['get'], HOST, deniedEnv);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.is(JSON.parse(run.stdout).Secret, 'older-password');
  assert.match(run.stderr, /could not refresh the ECR token/);
  assert.match(run.stderr, /AccessDenied/);
  assert.is(emulator.calls.length, 1);
  assert.is(emulator.calls[0]?.outcome, 'AccessDeniedException');
  assertNoAwsSecret(run);
  assert.not.ok(run.stderr.includes('older-password'));
});

helper('when the API fails and nothing is cached, the reason goes to stdout (exit 1) and stderr, with no secret', async ({ env }) => {
  const run = await runHelper(['get'], HOST, { ...env, AWS_ACCESS_KEY_ID: DENIED_KEY_ID, AWS_SESSION_TOKEN: '' });
  assert.is(run.code, 1);
  assert.match(run.stdout, /^glassbox: cannot get an ECR token for 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com: .*AccessDenied/);
  assert.match(run.stderr, /AccessDenied/);
  assertNoAwsSecret(run);
});

helper('two concurrent gets make one API call', async ({ emulator, env }) => {
  emulator.setFaults({ delayMs: 400 });
  const [a, b] = await Promise.all([runHelper(['get'], HOST, env), runHelper(['get'], HOST, env)]);
  assert.is(a.code, 0, a.stdout + a.stderr);
  assert.is(b.code, 0, b.stdout + b.stderr);
  assert.is(JSON.parse(a.stdout).Secret, PASSWORD);
  assert.is(JSON.parse(b.stdout).Secret, PASSWORD);
  assert.is(emulator.calls.length, 1);
});

helper('list names the registries with a valid cached token, without calling the API', async ({ emulator, env }) => {
  assert.is((await runHelper(['list'], 'unused', env)).stdout, '{}\n');
  await runHelper(['get'], HOST, env);
  const run = await runHelper(['list'], 'unused', env);
  assert.is(run.code, 0);
  assert.equal(JSON.parse(run.stdout), { [HOST]: 'AWS' });
  assert.is(emulator.calls.length, 1);
});

helper('GLASSBOX_LOG gets a log (no secrets, mode 0600); stdout carries only the protocol', async ({ dir, env }) => {
  const log = join(dir, 'helper.log');
  const run = await runHelper(['get'], HOST, { ...env, GLASSBOX_LOG: log });
  assert.is(run.code, 0);
  assert.equal(Object.keys(JSON.parse(run.stdout)), ['ServerURL', 'Username', 'Secret']);
  const text = await readFile(log, 'utf8');
  assert.match(text, /get 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com: api in \d+ ms/);
  assert.not.ok(text.includes(PASSWORD));
  assert.not.ok(text.includes(SECRET_ACCESS_KEY));
  assert.not.ok(text.includes(SESSION_TOKEN));
  assert.is((await stat(log)).mode & 0o777, 0o600);
});

helper(
  'an existing GLASSBOX_LOG at 0644 is tightened to 0600 (and says so in the log); a new one is 0600 under umask 000',
  async ({ dir, env }) => {
    const existing = join(dir, 'existing.log');
    await writeFile(existing, 'earlier line\n');
    await chmod(existing, 0o644);
    const first = await runHelper(['get'], HOST, { ...env, GLASSBOX_LOG: existing });
    assert.is(first.code, 0, first.stdout + first.stderr);
    assert.is((await stat(existing)).mode & 0o777, 0o600);
    const text = await readFile(existing, 'utf8');
    assert.ok(text.startsWith('earlier line\n'), 'appended, not replaced');
    assert.match(text, /log file was mode 0644; changed it to 0600/);

    // The umask is per process: run the helper itself under umask 000.
    const fresh = join(dir, 'fresh.log');
    const underUmask = await runProcess(
      '/bin/sh',
      ['-c', `umask 000; exec "$0" "$1" get`, process.execPath, HELPER_BIN],
      { ...env, GLASSBOX_LOG: fresh },
      HOST,
      20_000,
    );
    assert.is(underUmask.code, 0, underUmask.stdout + underUmask.stderr);
    assert.is((await stat(fresh)).mode & 0o777, 0o600);
  },
);

helper('GLASSBOX_LOG naming a FIFO nobody reads does not hang the helper: the answer comes, the FIFO stays', async ({ dir, env }) => {
  const fifo = join(dir, 'log.fifo');
  assert.is(spawnSync('mkfifo', ['-m', '600', fifo]).status, 0);
  const run = await runHelper(['get'], HOST, { ...env, GLASSBOX_LOG: fifo });
  assert.is(run.code, 0, `killed or failed: ${run.code} ${run.stdout} ${run.stderr}`);
  assert.is(JSON.parse(run.stdout).Secret, PASSWORD);
  assert.ok((await lstat(fifo)).isFIFO());
});

helper.run();

/** The soak's cold-start figure, bounded: many helpers at once on an empty cache share one API call. */
const cold = suite('many cold gets at once');

cold('10 cold gets at once against a slow ECR make exactly one API call, and all get the password', async () => {
  const result = await coldHelperGets(10);
  assert.is(result.failed, 0);
  assert.is(result.apiCalls, 1);
});

cold.run();

/** The engine in-process, with the token source injected (the seam the bin fills with @glassbox/ecr). */
const engine = suite('runCredentialHelper in-process');

function sink(): { text: string; write(chunk: string): void } {
  return {
    text: '',
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

engine('version never reads stdin (so it never waits on a terminal)', async () => {
  const stdout = sink();
  let read = false;
  const code = await runCredentialHelper({
    argv: ['version'],
    stdin: () => {
      read = true;
      return '';
    },
    stdout,
    stderr: sink(),
    version: '9.9.9',
  });
  assert.is(code, 0);
  assert.is(stdout.text, 'docker-credential-glassbox (@glassbox/docker-config) 9.9.9\n');
  assert.not.ok(read);
});

engine("get asks the injected token source with the host's region, account and kind, then caches", async () => {
  const { dir, cleanup } = await tempDir('glassbox-engine-');
  try {
    const asked: unknown[] = [];
    const env = { HOME: dir, GLASSBOX_CACHE_DIR: join(dir, 'cache'), AWS_ACCESS_KEY_ID: 'AKIDENGINE', AWS_SECRET_ACCESS_KEY: 's' };
    const getToken = async (request: { host: string; account?: string | undefined; region: string; public: boolean }) => {
      asked.push({ host: request.host, account: request.account, region: request.region, public: request.public });
      return { username: 'AWS', password: 'engine-pw', expiresAt: new Date(Date.now() + 43_200_000) };
    };
    for (let round = 0; round < 2; round++) {
      const stdout = sink();
      const code = await runCredentialHelper({
        argv: ['get'],
        stdin: 'https://123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/v2/',
        stdout,
        stderr: sink(),
        env,
        getToken,
      });
      assert.is(code, 0);
      assert.is(JSON.parse(stdout.text).Secret, 'engine-pw');
    }
    assert.equal(asked, [
      { host: '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', account: '123456789012', region: 'us-gov-west-1', public: false },
    ]);
  } finally {
    await cleanup();
  }
});

engine('ECR Public failures become "not found" (anonymous pulls still work); unexpected failures stay in the protocol', async () => {
  const { dir, cleanup } = await tempDir('glassbox-engine-');
  try {
    const env = { HOME: dir, GLASSBOX_CACHE_DIR: join(dir, 'cache'), AWS_ACCESS_KEY_ID: 'AKIDENGINE', AWS_SECRET_ACCESS_KEY: 's' };
    const failing = async () => {
      throw new Error('no route to the API');
    };
    const publicOut = sink();
    const publicErr = sink();
    assert.is(
      await runCredentialHelper({ argv: ['get'], stdin: 'public.ecr.aws', stdout: publicOut, stderr: publicErr, env, getToken: failing }),
      1,
    );
    assert.is(publicOut.text, `${NOT_FOUND}\n`);
    assert.match(publicErr.text, /no route to the API/);

    const brokenOut = sink();
    const code = await runCredentialHelper({
      argv: ['get'],
      stdin: () => {
        throw new Error('stdin vanished');
      },
      stdout: brokenOut,
      stderr: sink(),
      env,
    });
    assert.is(code, 1);
    assert.is(brokenOut.text, 'glassbox: get failed: stdin vanished\n');
  } finally {
    await cleanup();
  }
});

engine(
  'a fetch failure quoting credentials reaches stdout, stderr and GLASSBOX_LOG without them; an empty password exits 3 and is not cached',
  async () => {
    const { dir, cleanup } = await tempDir('glassbox-engine-');
    try {
      const secret = 'engineLeakSECRET/0123456789abcdefghij+KLMN';
      const token = 'engineLeakTOKEN//FwoGZXIvYXdzEJr0123456789==';
      const log = join(dir, 'helper.log');
      const env = {
        HOME: dir,
        GLASSBOX_CACHE_DIR: join(dir, 'cache'),
        GLASSBOX_LOG: log,
        AWS_ACCESS_KEY_ID: 'AKIDENGINE',
        AWS_SECRET_ACCESS_KEY: 's',
      };
      const leaking = async () => {
        throw new Error(
          `credential_process exited with code 1: {"AccessKeyId":"ASIALEAK","SecretAccessKey":"${secret}","SessionToken":"${token}"}`,
        );
      };
      const out = sink();
      const err = sink();
      const code = await runCredentialHelper({
        argv: ['get'],
        stdin: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        stdout: out,
        stderr: err,
        env,
        getToken: leaking,
      });
      assert.is(code, 1);
      const logged = await readFile(log, 'utf8');
      for (const [where, text] of [
        ['stdout', out.text],
        ['stderr', err.text],
        ['GLASSBOX_LOG', logged],
      ] as const) {
        assert.match(text, /"AccessKeyId":"ASIALEAK","SecretAccessKey":"\[redacted/, where);
        assert.not.ok(text.includes(secret), `${where} holds the secret: ${text}`);
        assert.not.ok(text.includes(token), `${where} holds the token: ${text}`);
      }

      const empty = sink();
      const emptyCode = await runCredentialHelper({
        argv: ['get'],
        stdin: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        stdout: empty,
        stderr: sink(),
        env,
        getToken: async () => ({ username: 'AWS', password: '', expiresAt: new Date(Date.now() + 12 * 3600_000) }),
      });
      assert.is(emptyCode, 3);
      assert.match(empty.text, /empty/);
      assert.not.ok(empty.text.includes('"Secret"'));
      assert.equal(
        (await readdir(join(dir, 'cache')).catch(() => [] as string[])).filter((name) => name.endsWith('.json')),
        [],
        'nothing cached',
      );
    } finally {
      await cleanup();
    }
  },
);

engine.run();
