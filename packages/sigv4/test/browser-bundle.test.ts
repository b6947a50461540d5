// Issue 14 §2: @glassbox/sigv4 bundles for the browser with plain `esbuild --platform=browser` — no
// stubs, no plugins: the `browser` conditions of its package.json pick the pure-JS SHA-256 and leave
// SigV4a and aws-chunked (node:crypto, node:zlib) to their own subpaths. The bundle is built here with
// esbuild's JS API from the built dist (what a user bundles), served from 127.0.0.1 and run in Debian's
// headless Chromium against the official suite, read as data and handed to the page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import { loadVectors, sessionTokenFor, suiteParameters } from '../../../test/vectors.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// The page's script: the root entry point, nothing else. The vectors arrive as data.
const ENTRY = `
import { parseHttpRequest, sign } from '@glassbox/sigv4';
globalThis.signVectors = async (cases) => {
  const results = [];
  for (const { name, req, options } of cases) {
    try {
      const result = await sign(parseHttpRequest(req), options);
      results.push({ name, canonicalRequest: result.canonicalRequest, stringToSign: result.stringToSign, authorization: result.authorization });
    } catch (error) {
      results.push({ name, error: String(error) });
    }
  }
  return results;
};`;

interface Context {
  dir: string;
  js: string;
  inputs: string[];
  server: Server;
  origin: string;
  browser: Browser;
  page: Page;
  errors: string[];
}

const test = suiteNeeding<Context>('browser bundle (headless Chromium)', ['chromium'], {} as Context);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'glassbox-browser-bundle-'));
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  ctx.js = result.outputFiles[0]!.text;
  // What ended up in the output (the metafile's top-level inputs also list modules tree shaking dropped).
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  ctx.inputs = Object.entries(output.inputs)
    .filter(([, used]) => used.bytesInOutput > 0)
    .map(([input]) => input);
  const html = '<!doctype html><meta charset="utf-8"><title>glassbox sigv4</title><script type="module" src="/sigv4.js"></script>';
  ctx.server = createServer((request, response) => {
    if (request.url === '/sigv4.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(ctx.js);
    else if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
  ctx.origin = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
  ctx.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  ctx.page = await ctx.browser.newPage();
  ctx.errors = [];
  ctx.page.on('pageerror', (error) => ctx.errors.push(String(error)));
  // Only our own server may be reached.
  await ctx.page.route('**/*', (route) => (route.request().url().startsWith(ctx.origin) ? route.continue() : route.abort()));
  await ctx.page.goto(ctx.origin + '/');
  await ctx.page.waitForFunction(() => typeof (globalThis as { signVectors?: unknown }).signVectors === 'function');
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await new Promise((resolve) => (ctx.server ? ctx.server.close(resolve) : resolve(undefined)));
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});

test('the bundle takes the pure-JS hash and no node: module, Node hash or diff', (ctx) => {
  assert.ok(
    ctx.inputs.some((input) => input.endsWith('packages/sigv4/dist/hash-portable.js')),
    `hash-portable.js not bundled:\n${ctx.inputs.join('\n')}`,
  );
  const unwanted = ctx.inputs.filter(
    (input) => input.startsWith('node:') || /hash-node|sigv4a|chunked|[\\/]diff[\\/]|@smithy|@aws-crypto/.test(input),
  );
  assert.equal(unwanted, []);
  assert.not.match(ctx.js, /["']node:[a-z]/);
});

test('in Chromium, every official vector gives the suite canonical request, string to sign and signature', async (ctx) => {
  const vectors = loadVectors();
  assert.ok(vectors.length >= 30, `only ${vectors.length} vectors found`);
  const cases = vectors.map((vector) => {
    const { sessionToken, signSessionToken } = sessionTokenFor(vector);
    const credentials = { ...suiteParameters.credentials, ...(sessionToken === undefined ? {} : { sessionToken }) };
    return { name: vector.name, req: vector.req, options: { ...suiteParameters, credentials, signSessionToken } };
  });
  const results = (await ctx.page.evaluate(
    (input) => (globalThis as unknown as { signVectors: (cases: unknown) => Promise<unknown> }).signVectors(input),
    cases,
  )) as { name: string; error?: string; canonicalRequest: string; stringToSign: string; authorization: string }[];
  assert.is(results.length, vectors.length);
  for (const [i, vector] of vectors.entries()) {
    const result = results[i]!;
    assert.is(result.name, vector.name);
    assert.is(result.error, undefined, `${vector.name}: ${result.error}`);
    assert.fixture(result.canonicalRequest, vector.creq, `${vector.name} › canonical request`);
    assert.fixture(result.stringToSign, vector.sts, `${vector.name} › string to sign`);
    assert.is(result.authorization, vector.authz, `${vector.name} › authorization`);
  }
  assert.equal(ctx.errors, []);
});

test.run();
