/**
 * What the built helper loads (issue 14 §4): a warm `get` only the helper's own small modules, a cache-miss
 * `get` against the local ECR emulator neither `diff`, `@smithy/*`, nor undici's proxy agent. The modules
 * are listed by a preload (support/helper/module-list-preload.mjs): ES modules through a load hook,
 * CommonJS through require's cache.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { HELPER_BIN, ROOT } from './support/helper/paths.ts';
import { helperSuite } from './support/helper/helper-suite.ts';

/**
 * Assertions that hold only once another branch of issue 14 is merged; the lead sets each to false at the
 * merge. While one is true, its modules are allowed — and the test fails if they are already gone, so a flag
 * cannot outlive its reason.
 * - `signerLoadsDiffAndSmithy`: `import { sign }` loads `diff` and `@smithy/*` (the signer branch removes them).
 * - `undiciIndexLoadsProxyAgent`: the transport imports undici's index, which requires its ProxyAgent eagerly
 *   (the speed / graph-aws branches load it only for a proxy).
 */
const PENDING_UNTIL_MERGE = { signerLoadsDiffAndSmithy: false, undiciIndexLoadsProxyAgent: false };

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
      env: { ...env, GLASSBOX_MODULE_LIST: listFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const listed = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
      // One form for both kinds: a path inside the repository, or `node:<name>`.
      const modules = [...new Set(listed.map((entry) => entry.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')))];
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
  "a cache-miss get loads no diff, no @smithy package, no undici proxy agent and only the signer's sign path; a warm one only the helper's files",
  async ({ dir, emulator, env }) => {
    const miss = await getListingModules(env, join(dir, 'miss.list'));
    assert.is(miss.code, 0, miss.stdout + miss.stderr);
    assert.is(JSON.parse(miss.stdout).Secret, PASSWORD);
    assert.is(emulator.calls.length, 1, 'the miss called GetAuthorizationToken');
    assert.ok(
      miss.modules.some((path) => path.includes('/undici/')),
      'the listing sees CommonJS modules (undici)',
    );
    assert.ok(miss.modules.includes('packages/ecr/dist/get-authorization-token.js'), 'the listing sees ES modules');

    const checks: Array<{ what: string; pattern: RegExp; pending: boolean }> = [
      { what: 'diff', pattern: /\/node_modules\/diff\//, pending: PENDING_UNTIL_MERGE.signerLoadsDiffAndSmithy },
      { what: '@smithy/*', pattern: /\/node_modules\/@smithy\//, pending: PENDING_UNTIL_MERGE.signerLoadsDiffAndSmithy },
      {
        what: "undici's proxy agent",
        pattern: /\/undici\/lib\/dispatcher\/(?:env-http-)?proxy-agent\.js$/,
        pending: PENDING_UNTIL_MERGE.undiciIndexLoadsProxyAgent,
      },
      // The signer through `@glassbox/sigv4/sign`, not the root that re-exports everything: one request to sign.
      { what: 'SigV4a', pattern: /packages\/sigv4\/dist\/sigv4a\//, pending: false },
      { what: 'aws-chunked', pattern: /packages\/sigv4\/dist\/chunked\//, pending: false },
      { what: 'the diagnosis', pattern: /packages\/sigv4\/dist\/diagnose/, pending: false },
      { what: 'the verifier', pattern: /packages\/sigv4\/dist\/verify\.js$/, pending: false },
      { what: "the signer's root", pattern: /packages\/sigv4\/dist\/index\.js$/, pending: false },
    ];
    for (const { what, pattern, pending } of checks) {
      const found = miss.modules.filter((path) => pattern.test(path));
      if (pending) assert.ok(found.length > 0, `${what} is no longer loaded on a cache miss: set its PENDING_UNTIL_MERGE flag to false`);
      else assert.equal(found, [], `a cache-miss get loads ${what}`);
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
        'packages/cli/dist/bin/docker-credential-glassbox.js',
        'packages/cli/dist/helper/credential-identity.js',
        'packages/cli/dist/helper/diagnostics-redaction.js',
        'packages/cli/dist/helper/helper-aliases.js',
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

modules.run();
