// The explainer in a real browser: Debian's headless Chromium, driven by playwright-core. The page is
// opened from disk (file://) as a reader would, and once over the 127.0.0.1 server.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import * as assert from 'uvu/assert';
import { buildExplainer } from '../build.ts';
import { serveExplainer } from '../serve.ts';
import { loadVectors, repoRoot, sessionTokenFor } from '../../../test/vectors.ts';
import { RECIPES, run, startServers } from '../../../test/cookbook-recipes.ts';
import { wireText } from '../../../scripts/gen-guide.ts';
import { openPage, settled } from './chromium.ts';

const artifacts = join(repoRoot, 'test-artifacts');

interface Context {
  dir: string;
  file: string;
  inputs: string[];
  browser: BrowserContext;
  page: Page;
  errors: string[];
}

const test = suiteNeeding<Context>('explainer page (headless Chromium)', ['chromium'], {} as Context);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'glassbox-explainer-'));
  // uvu reports a failing hook only as failed tests; say why.
  const built = await buildExplainer(join(ctx.dir, 'site', 'index.html')).catch((error: unknown) => {
    console.error('explainer build failed:', error);
    throw error;
  });
  ctx.file = built.outFile;
  ctx.inputs = built.inputs;
  Object.assign(ctx, await openPage(ctx.dir, ctx.file));
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});

async function authorizationShown(page: Page): Promise<string> {
  return (await page.textContent('.step[data-step="authorization"] pre')) ?? '';
}

test('the bundle carries @glassbox/sigv4 source and sha256-js, and no node:crypto', (ctx) => {
  assert.ok(
    ctx.inputs.some((i) => i.includes('packages/sigv4/src/sign.ts')),
    'signer from source',
  );
  assert.ok(
    ctx.inputs.some((i) => i.includes('@aws-crypto/sha256-js')),
    'sha256-js bundled',
  );
  assert.ok(!ctx.inputs.some((i) => i.startsWith('node:') || i.includes('node-builtin-stub')), 'no node: module and no stub');
  assert.not.match(readFileSync(ctx.file, 'utf8'), /require\(["']node:crypto["']\)|from\s*["']node:crypto["']/);
});

test('opened from disk, the default example signs to the suite value with no errors', async (ctx) => {
  const vector = loadVectors().find((v) => v.name === 'get-vanilla-query-order-key-case')!;
  assert.is(await authorizationShown(ctx.page), vector.authz);
  assert.equal(ctx.errors, []);
});

test('the page signs every official vector to its expected Authorization value', async (ctx) => {
  const { page } = ctx;
  await page.selectOption('#example', 'query');
  await settled(page);
  let token = { sessionToken: '', signSessionToken: true };
  for (const vector of loadVectors()) {
    const { sessionToken = '', signSessionToken } = sessionTokenFor(vector);
    // Only the few token cases touch the token fields: each edit re-signs, and the loop stays fast.
    if (sessionToken !== token.sessionToken) await page.fill('#s-token', sessionToken);
    if (signSessionToken !== token.signSessionToken) await page.setChecked('#s-sign-token', signSessionToken);
    token = { sessionToken, signSessionToken };
    await page.fill('#raw', vector.req);
    await settled(page);
    assert.is(await authorizationShown(page), vector.authz, vector.name);
  }
  await page.fill('#s-token', '');
  await page.setChecked('#s-sign-token', true);
});

test('focusing a step lights up the parts and steps that feed it', async (ctx) => {
  const { page } = ctx;
  await page.selectOption('#example', 'query');
  await settled(page);
  await page.focus('.step[data-step="canonical-query"]');
  assert.ok(await page.isVisible('#request-view [data-part="query"].lit-part'), 'the query in the request');
  assert.not.ok(await page.isVisible('#request-view [data-part="path"].lit-part'), 'not the path');
  await page.focus('.step[data-step="canonical-request"]');
  const lit = await page.$$eval('.step.lit', (steps) => steps.map((s) => s.getAttribute('data-step')));
  assert.equal(lit, ['canonical-uri', 'canonical-query', 'canonical-headers', 'signed-headers', 'payload-hash']);
  await page.focus('.step[data-step="signing-key"]');
  assert.ok(await page.isVisible('#explain-form .field[data-part="secret"].lit-part'), 'the secret field feeds the key');
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'explainer.png'), fullPage: true });
  // A full-page screenshot resizes the viewport and back; Chromium then hit-tests the sticky form
  // where it was until the page scrolls once (the next test clicks in it).
  await page.mouse.wheel(0, -1);
});

test('the form editor writes the request the page signs', async (ctx) => {
  const { page } = ctx;
  const vector = loadVectors().find((v) => v.name === 'get-vanilla-query-order-key-case')!;
  await page.check('input[name="input-mode"][value="form"]');
  assert.ok(await page.isVisible('#f-url'));
  await page.fill('#f-headers', 'X-Amz-Date: 20150830T123600Z');
  await page.fill('#f-url', 'https://example.amazonaws.com/?Param2=value2&Param1=value1');
  await settled(page);
  assert.is(await authorizationShown(page), vector.authz);
  await page.check('input[name="input-mode"][value="raw"]');
});

test('compare mode, reached by keyboard, marks the changed line and the changed characters', async (ctx) => {
  const { page } = ctx;
  await page.focus('#tab-explain');
  await page.keyboard.press('ArrowRight');
  assert.is(await page.getAttribute('#tab-compare', 'aria-selected'), 'true');
  assert.is(await page.evaluate<string | undefined>('document.activeElement?.id'), 'tab-compare', 'focus follows the selected tab');
  await page.waitForSelector('#compare-table[data-busy="false"] tbody tr');
  const changed = await page.$$eval('#compare-table tbody tr:not(.same)', (rows) =>
    rows.map((r) => ({
      kind: r.className,
      line: r.getAttribute('data-line'),
      marked: [...r.querySelectorAll('mark')].map((m) => m.textContent).join(''),
    })),
  );
  assert.equal(changed, [{ kind: 'changed', line: 'canonical header', marked: '; charset=utf-8' }]);
  assert.match((await page.textContent('#compare-status')) ?? '', /1 line differs \(canonical header; line 4\)/);
  await page.screenshot({ path: join(artifacts, 'explainer-compare.png') });

  // A pasted canonical request (as quoted in a SignatureDoesNotMatch message) against a raw request.
  const vector = loadVectors().find((v) => v.name === 'get-vanilla-query')!;
  await page.fill('#compare-a', vector.req);
  await page.fill('#compare-b', vector.creq.replace('\n/\n', '\n/a\n'));
  await page.waitForSelector('#compare-table[data-busy="false"]');
  const lines = await page.$$eval('#compare-table tbody tr.changed', (rows) => rows.map((r) => r.getAttribute('data-line')));
  assert.equal(lines, ['canonical URI']);
  await page.fill('#compare-b', vector.creq);
  await page.waitForSelector('#compare-table[data-busy="false"]');
  assert.is(await page.$$eval('#compare-table tbody tr:not(.same)', (rows) => rows.length), 0);
  assert.match((await page.textContent('#compare-status')) ?? '', /identical/);
  await page.keyboard.press('Home');
});

test('compare mode reads a service error body pasted in B, marks the line and names the cause', async (ctx) => {
  const { page } = ctx;
  const servers = await startServers();
  try {
    const recipe = RECIPES.find((r) => r.id === 'proxy-rewrites-header')!;
    const { answer } = await run(servers, recipe, 'broken');
    await page.click('#tab-compare');
    await page.fill('#compare-a', wireText((await recipe.signed()).wire));
    await page.fill('#compare-b', answer.body);
    await page.waitForSelector('#compare-table[data-busy="false"]');
    const changed = await page.$$eval('#compare-table tbody tr:not(.same)', (rows) => rows.map((r) => r.getAttribute('data-line')));
    assert.equal(changed, ['canonical header']);
    assert.match((await page.textContent('#compare-cause')) ?? '', /Likely cause: HEADER_VALUE_CHANGED/);
    assert.match(
      (await page.textContent('#compare-cause')) ?? '',
      /What your client signed: Not tried here: .*glassbox diff --server-error/,
    );
    await page.screenshot({ path: join(artifacts, 'explainer-compare-error-body.png'), fullPage: true });
  } finally {
    await servers.close();
  }
});

test('every control has a label, and text meets WCAG AA contrast', async (ctx) => {
  const { page } = ctx;
  await page.click('#tab-explain');
  const unlabelled = await page.$$eval('input, select, textarea', (controls) =>
    controls
      .filter((c) => (c as unknown as { labels: { length: number } | null }).labels?.length === 0 && !c.getAttribute('aria-label'))
      .map((c) => c.id || c.outerHTML.slice(0, 60)),
  );
  assert.equal(unlabelled, []);
  const failures = await page.evaluate<string[]>(CONTRAST_FAILURES);
  assert.equal(failures, []);
});

test('pnpm explainer serves the same page on 127.0.0.1 only', async (ctx) => {
  const { server, url } = await serveExplainer(0, ctx.file);
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = await new Promise<number>((resolve, reject) =>
      get(`${url}missing`, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject),
    );
    assert.is(status, 404);
    const page = await ctx.browser.newPage();
    try {
      await page.goto(url);
      await settled(page);
      assert.match(
        await authorizationShown(page),
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/service\/aws4_request, /,
      );
    } finally {
      await page.close();
    }
  } finally {
    server.closeAllConnections(); // the browser keeps its connection alive; do not wait for it
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(ctx.errors, []);
});

// Runs in the page. A string, not a function: the TypeScript loader would wrap named helpers in
// calls to its own `__name`, which does not exist in the page.
const CONTRAST_FAILURES = `(() => {
  const parse = (color) => {
    const srgb = /color\\(srgb ([\\d.]+) ([\\d.]+) ([\\d.]+)(?: \\/ ([\\d.]+))?\\)/.exec(color);
    if (srgb) return [srgb[1] * 255, srgb[2] * 255, srgb[3] * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
    const rgb = /rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(?:, ([\\d.]+))?\\)/.exec(color);
    return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])] : [0, 0, 0, 0];
  };
  // WCAG 2 relative luminance and contrast ratio.
  const luminance = (rgb) => {
    const [R, G, B] = rgb.slice(0, 3).map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0.5) return bg;
    }
    return [255, 255, 255, 1];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent.trim() || parent.closest('[hidden], .visually-hidden, .skip, script, style')) continue;
    const fg = luminance(parse(getComputedStyle(parent).color));
    const bg = luminance(background(parent));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) out.push(parent.tagName + '.' + parent.className + ' "' + node.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
  }
  return out;
})()`;

test.run();
