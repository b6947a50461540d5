// Issue 14 §2: `import { sign } from '@glassbox/sigv4'` loads no third-party module, and neither do
// `./chunked` and `./sigv4a`. Each case runs in a fresh `node` on the built dist (what users import),
// with a resolve hook that writes down every module URL it resolves, plus CommonJS's require cache at
// the end; anything outside packages/sigv4 that is not a node builtin fails the test.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageDir, '..', '..');

// Runs in the hooks thread: every resolved URL goes to the log file, synchronously.
const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.GLASSBOX_MODULE_LOG, result.url + '\\n');
  return result;
}`;

/** The modules a fresh process loads for `body` (an ES module body that imports and calls). */
async function modulesLoadedBy(body: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-module-loads-'));
  const log = join(dir, 'modules.txt');
  try {
    const script = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
${body}
const cache = createRequire(import.meta.url).cache;
for (const file of Object.keys(cache)) appendFileSync(process.env.GLASSBOX_MODULE_LOG, 'cjs:' + file + '\\n');
`;
    // From the repository root, where node_modules/@glassbox/sigv4 links to this package; no
    // glassbox-source condition, so the exports map gives dist.
    await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, GLASSBOX_MODULE_LOG: log },
    });
    return [
      ...new Set(
        readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== ''),
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ownDist = pathToFileURL(join(packageDir, 'dist')).href + '/';

/** The loaded modules that are neither node builtins nor this package's own dist files. */
function foreign(modules: readonly string[]): string[] {
  return modules.filter((url) => {
    if (url.startsWith('node:')) return false;
    if (url.startsWith('cjs:')) return true; // nothing of ours is CommonJS
    return !url.startsWith(ownDist);
  });
}

const request = `{ method: 'GET', url: 'https://ecr.us-east-1.amazonaws.com/' }`;
const options = `{ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, region: 'us-east-1', service: 'ecr', date: new Date(0) }`;

test("import { sign } from '@glassbox/sigv4' and signing load only the package and node builtins", async () => {
  const modules = await modulesLoadedBy(`
const { sign } = await import('@glassbox/sigv4');
const result = await sign(${request}, ${options});
if (!/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\\//.test(result.authorization)) throw new Error('sign() did not sign');`);
  assert.ok(
    modules.some((url) => url === ownDist + 'index.js'),
    `the root entry was not among the loaded modules:\n${modules.join('\n')}`,
  );
  assert.equal(foreign(modules), [], 'third-party modules loaded by the root entry');
});

for (const [subpath, name] of [
  ['chunked', 'signChunked'],
  ['sigv4a', 'signV4a'],
] as const) {
  test(`import { ${name} } from '@glassbox/sigv4/${subpath}' loads only the package and node builtins`, async () => {
    const modules = await modulesLoadedBy(`
const m = await import('@glassbox/sigv4/${subpath}');
if (typeof m.${name} !== 'function') throw new Error('${name} is missing');`);
    assert.ok(modules.includes(`${ownDist}${subpath}/index.js`), `the ${subpath} entry was not among the loaded modules`);
    assert.equal(foreign(modules), [], `third-party modules loaded by @glassbox/sigv4/${subpath}`);
  });
}

test('the listing sees a third-party module loaded on demand (diff, on the first line diff of a diagnosis)', async () => {
  const modules = await modulesLoadedBy(`
const { sign } = await import('@glassbox/sigv4');
const { diagnose } = await import('@glassbox/sigv4/diagnose');
const ours = await sign(${request}, ${options});
const theirs = ours.canonicalRequest.replace('GET', 'POST');
const body = '<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><CanonicalRequest>' + theirs + '</CanonicalRequest></Error></ErrorResponse>';
const diagnosis = diagnose(ours, body);
if (!diagnosis.lineDiff.includes('+POST')) throw new Error('no line diff: ' + diagnosis.lineDiff);`);
  const loadedDiff = foreign(modules).filter((entry) => /[\\/]node_modules[\\/]/.test(entry) && /[\\/]diff[\\/]/.test(entry));
  assert.ok(loadedDiff.length > 0, `diff was not seen among the loaded modules:\n${modules.join('\n')}`);
});

test.run();
