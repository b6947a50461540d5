/**
 * What the built helper loads (issue 14 §4): a warm `get` only the helper's own small modules, a cache-miss
 * `get` against the local ECR emulator neither `diff`, `@smithy/*`, undici (a direct exchange goes through
 * node:http; undici carries only a proxy's), nor the parts of the signer it does not use. The modules
 * are listed by Node's own ES module debug log (NODE_DEBUG=esm: a load hook would miss the graph that the
 * CommonJS bin `require()`s) and, for CommonJS, by a preload that reads require's cache at exit
 * (support/helper/module-list-preload.mjs).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as assert from 'uvu/assert';
import { HELPER_BIN, ROOT } from './support/helper/paths.ts';
import { helperSuite } from './support/helper/helper-suite.ts';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const PASSWORD = 'module-list-registry-password';
const PRELOAD = join(ROOT, 'packages/cli/test/support/helper/module-list-preload.mjs');

/** Runs the built helper's `get` with the preload; resolves with its answer and the modules it loaded. */
function getListingModules(
  env: Record<string, string>,
  listFile: string,
): Promise<{ code: number | null; stdout: string; stderr: string; modules: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, HELPER_BIN, 'get'], {
      env: { ...env, GLASSBOX_MODULE_LIST: listFile, NODE_DEBUG: 'esm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let debug = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (debug += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // Node's lines ("ESM 123: Translating StandardModule file:///…", "… Storing file:///… in ModuleLoadMap")
      // name each ES module by URL; whatever else is on stderr is the helper's own.
      const lines = debug.split('\n');
      const isNodeDebug = (line: string): boolean => /^ESM \d+: /.test(line);
      const stderr = lines.filter((line) => !isNodeDebug(line)).join('\n');
      const esm = lines.filter(isNodeDebug).flatMap((line) => line.match(/\b(?:file:\/\/\/|node:)[^\s'",]+/g) ?? []);
      const listed = [...esm, ...readFileSync(listFile, 'utf8').split('\n').filter(Boolean)];
      // One form for both kinds: a path inside the repository, or `node:<name>`.
      const inRepository = listed.map((entry) => entry.replace(/^file:\/\//, '').replace(`${ROOT}/`, ''));
      const modules = [...new Set(inRepository.filter((path) => path !== relative(ROOT, PRELOAD)))];
      resolve({ code, stdout, stderr, modules });
    });
    child.stdin.end(HOST);
  });
}

const modules = helperSuite('what docker-credential-glassbox get loads', {
  credentials: [{ accessKeyId: 'AKIDMODULELIST', secretAccessKey: 'module-list-secret-access-key' }],
  password: PASSWORD,
});

modules(
  "a cache-miss get loads no diff, no @smithy package, no undici and only the signer's sign path; a warm one only the helper's files",
  async ({ dir, emulator, env }) => {
    const miss = await getListingModules(env, join(dir, 'miss.list'));
    assert.is(miss.code, 0, miss.stdout + miss.stderr);
    assert.is(JSON.parse(miss.stdout).Secret, PASSWORD);
    assert.is(emulator.calls.length, 1, 'the miss called GetAuthorizationToken');
    assert.ok(
      miss.modules.some((path) => path.includes('/proper-lockfile/')),
      'the listing sees CommonJS modules (proper-lockfile, which guards the cache write)',
    );
    assert.ok(miss.modules.includes('packages/ecr/dist/get-authorization-token.js'), 'the listing sees ES modules');

    const checks: Array<{ what: string; pattern: RegExp }> = [
      { what: 'diff', pattern: /\/node_modules\/diff\// },
      { what: '@smithy/*', pattern: /\/node_modules\/@smithy\// },
      { what: 'undici', pattern: /\/node_modules\/undici\// },
      // The signer through `@glassbox/sigv4/sign`, not the root that re-exports everything: one request to sign.
      { what: 'SigV4a', pattern: /packages\/sigv4\/dist\/sigv4a\// },
      { what: 'aws-chunked', pattern: /packages\/sigv4\/dist\/chunked\// },
      { what: 'the diagnosis', pattern: /packages\/sigv4\/dist\/diagnose/ },
      { what: 'the verifier', pattern: /packages\/sigv4\/dist\/verify\.js$/ },
      { what: "the signer's root", pattern: /packages\/sigv4\/dist\/index\.js$/ },
    ];
    for (const { what, pattern } of checks) {
      assert.equal(
        miss.modules.filter((path) => pattern.test(path)),
        [],
        `a cache-miss get loads ${what}`,
      );
    }

    const warm = await getListingModules(env, join(dir, 'warm.list'));
    assert.is(warm.code, 0, warm.stdout + warm.stderr);
    assert.is(JSON.parse(warm.stdout).Secret, PASSWORD);
    assert.is(emulator.calls.length, 1, 'the warm get was answered from the cache');
    assert.equal(
      warm.modules.filter((path) => !path.startsWith('node:')).sort(),
      [
        'packages/aws/dist/credentials/shared-file-syntax.js',
        'packages/aws/dist/profile-identity.js',
        'packages/cli/dist/bin/docker-credential-glassbox.cjs',
        'packages/cli/dist/helper/credential-identity.js',
        'packages/cli/dist/helper/diagnostics-redaction.js',
        'packages/cli/dist/helper/helper-aliases.js',
        'packages/cli/dist/helper/helper-process.js',
        'packages/cli/dist/helper/helper-stdin.js',
        'packages/cli/dist/helper/run-credential-helper.js',
        'packages/docker-config/dist/file-access.js',
        'packages/docker-config/dist/helper-protocol.js',
        'packages/docker-config/dist/token-cache.js',
        'packages/ecr/dist/registry-alias-sources.js',
        'packages/ecr/dist/registry-host.js',
      ],
      'a warm get loads the helper, the cache, the protocol, the host parser and the AWS identity (with the one shared-file parser), and nothing else',
    );
  },
);

modules(
  'keys in the shared credentials file: a cache miss loads no container, IMDS or credential_process provider',
  async ({ dir, emulator, env }) => {
    const credentialsFile = join(dir, 'credentials');
    writeFileSync(
      credentialsFile,
      '[default]\naws_access_key_id = AKIDMODULELIST\naws_secret_access_key = module-list-secret-access-key\n',
    );
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = env;
    const miss = await getListingModules({ ...rest, AWS_SHARED_CREDENTIALS_FILE: credentialsFile }, join(dir, 'file.list'));
    assert.is(miss.code, 0, miss.stdout + miss.stderr);
    assert.is(JSON.parse(miss.stdout).Secret, PASSWORD);
    assert.is(emulator.calls.length, 1);
    assert.ok(miss.modules.includes('packages/aws/dist/credentials/assume-role.js'), 'the chain asked the role provider first');
    assert.equal(
      miss.modules.filter((path) => /credentials\/(container|imds|process)\.js$/.test(path) || path === 'node:child_process'),
      [],
      'a profile of plain keys loads the providers it passes only as far as their checks',
    );
  },
);

modules.run();
