// What the explainer tells a newcomer about what they pasted, in headless Chromium: a parse error in
// plain words with its line (and the old steps greyed), a verdict on a pasted signature, Compare by
// each side's own SignedHeaders and scope, hashes compared whole, and a form that stays in view.
// Screenshots go to the test's own temporary directory (printed at the end), which is kept for them.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { BrowserContext, Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { suiteNeeding } from '../../../test/support/system-programs.ts';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';
import { buildExplainer } from '../build.ts';
import { openPage, settled } from './chromium.ts';

interface Context {
  dir: string;
  shots: string;
  browser: BrowserContext;
  page: Page;
  errors: string[];
}

const test = suiteNeeding<Context>('explainer feedback (headless Chromium)', ['chromium'], {} as Context);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'glassbox-explainer-feedback-'));
  ctx.shots = join(ctx.dir, 'screenshots');
  mkdirSync(ctx.shots);
  const built = await buildExplainer(join(ctx.dir, 'site', 'index.html')).catch((error: unknown) => {
    console.error('explainer build failed:', error);
    throw error;
  });
  Object.assign(ctx, await openPage(ctx.dir, built.outFile));
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  if (ctx.dir) {
    // The screenshots stay for a person to look at; the profile and the built page go.
    rmSync(join(ctx.dir, 'profile'), { recursive: true, force: true });
    rmSync(join(ctx.dir, 'site'), { recursive: true, force: true });
    console.log(`explainer screenshots: ${ctx.shots}`);
  }
});

// Page expressions are strings where they name DOM globals: the tests are type-checked without the DOM library.
async function screenshot(ctx: Context, name: string, fullPage = false): Promise<void> {
  const path = join(ctx.shots, `${name}.png`);
  await ctx.page.screenshot({ path, fullPage });
  assert.ok(statSync(path).size > 1000, `${name}.png written`);
}

async function typeRequest(page: Page, text: string): Promise<void> {
  await page.fill('#raw', text);
  await settled(page);
}

const status = async (page: Page): Promise<string> => (await page.textContent('#status')) ?? '';
const verdict = async (page: Page): Promise<string> => (await page.textContent('#verdict')) ?? '';
const SECRET = suiteParameters.credentials.secretAccessKey;

test('a parse error names the line and what to write there, and greys the previous steps', async (ctx) => {
  const { page } = ctx;
  await page.selectOption('#example', 'query');
  await settled(page);
  assert.is(await page.getAttribute('#results', 'data-state'), 'signed');

  await typeRequest(page, 'GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nthis line has no colon');
  const said = await status(page);
  assert.match(said, /^Line 4: this is not a header\. Write it as Name:value/);
  assert.not.match(said, /INVALID_|parseHttpRequest|request\.url/, 'no internal codes or function names');
  assert.is(await page.getAttribute('#results', 'data-state'), 'error');
  assert.ok(await page.evaluate<boolean>('document.querySelector("#steps").inert'), 'the old steps are out of reach');
  assert.match(await page.evaluate<string>('getComputedStyle(document.querySelector("#steps")).filter'), /grayscale/);
  assert.is(await page.getAttribute('#raw', 'aria-invalid'), 'true');
  await screenshot(ctx, 'parse-error', true);

  await typeRequest(page, 'GET\nHost:example.amazonaws.com');
  assert.match(await status(page), /^Line 1: write the request line as a method, a path and the version/);
  await typeRequest(page, 'GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:yesterday');
  assert.match(await status(page), /^Line 3: write X-Amz-Date as YYYYMMDDTHHMMSSZ/);
  await typeRequest(page, 'GET / HTTP/1.1\nX-Amz-Date:20150830T123600Z');
  assert.match(await status(page), /^Line 1: the request names no host\. Add a header line such as Host:/);
  await page.fill('#s-region', 'us east 1');
  await typeRequest(page, loadVectors().find((v) => v.name === 'get-vanilla')!.req);
  assert.match(await status(page), /^Region \(in the signing settings\): write a region name such as us-east-1/);
  await page.fill('#s-region', 'us-east-1');
  await settled(page);

  assert.is(await page.getAttribute('#results', 'data-state'), 'signed');
  assert.not.ok(await page.evaluate<boolean>('document.querySelector("#steps").inert'), 'back in reach once the request reads');
  assert.is(await page.getAttribute('#raw', 'aria-invalid'), null);
  assert.equal(ctx.errors, []);
});

test('a pasted signed request gets a verdict from verify, with the secret from the form', async (ctx) => {
  const { page } = ctx;
  const vector = loadVectors().find((v) => v.name === 'post-header-key-sort')!;
  await typeRequest(page, vector.sreq);
  assert.is(await page.getAttribute('#verdict', 'data-match'), 'true');
  assert.match(await verdict(page), /^Match\. This matches the Authorization you pasted/);
  // The page signs what the Authorization signs: the pasted header itself is struck through.
  assert.ok(await page.isVisible('#request-view .hdr.unsigned:has-text("Authorization:AWS4-HMAC-SHA256")'));
  await screenshot(ctx, 'verdict-match', true);

  await page.fill('#s-secret', 'not-the-secret-that-signed-it');
  await settled(page);
  assert.match(
    await verdict(page),
    /^Differs at the signature\. First difference: the signature\. .*the secret access key in the form is not the one that signed it/,
  );
  const marks = await page.$$eval('#verdict mark', (m) => m.map((x) => x.textContent ?? ''));
  assert.equal(
    marks.map((m) => m.length),
    [64, 64],
    'each signature marked as one value',
  );
  assert.is(marks[1], /Signature=([0-9a-f]{64})/.exec(vector.sreq)![1], 'the pasted signature, whole');
  await screenshot(ctx, 'verdict-signature');

  await page.fill('#s-secret', SECRET);
  await page.fill('#s-region', 'eu-west-1');
  await settled(page);
  assert.match(await verdict(page), /^Differs at the string to sign\. .*credential scope line — set Region, Service/);
  assert.equal(await page.$$eval('#verdict tr td:nth-child(2)', (c) => c.map((x) => x.textContent)), [
    '20150830/eu-west-1/service/aws4_request',
    '20150830/us-east-1/service/aws4_request',
  ]);
  await page.fill('#s-region', 'us-east-1');
  await settled(page);

  // Presigned by an independent signer: the verdict reads the signature out of the query.
  const presigner = new SignatureV4({ credentials: suiteParameters.credentials, region: 'us-east-1', service: 'service', sha256: Sha256 });
  const presigned = await presigner.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: 'example.amazonaws.com',
      path: '/photos',
      query: { list: 'all' },
      headers: { host: 'example.amazonaws.com' },
    }),
    { signingDate: new Date('2015-08-30T12:36:00Z'), expiresIn: 3600 },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  await typeRequest(page, `GET /photos?${query} HTTP/1.1\nHost:example.amazonaws.com`);
  assert.match(await verdict(page), /^Match\. This matches the signature in the presigned URL you pasted/);

  await typeRequest(page, vector.req);
  assert.ok(await page.isHidden('#verdict'), 'no verdict for a request without a signature');
  assert.equal(ctx.errors, []);
});

/** A request signed by @smithy/signature-v4, as raw HTTP: its scope and SignedHeaders are not the page's defaults. */
async function smithySigned(): Promise<string> {
  const signer = new SignatureV4({ credentials: suiteParameters.credentials, region: 'eu-west-2', service: 'ecr', sha256: Sha256 });
  const host = 'api.ecr.eu-west-2.amazonaws.com';
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: host,
    path: '/',
    headers: {
      host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    },
    body: '{}',
  });
  // Content-Type left out of the signature: the page, by default, would sign it.
  const signed = await signer.sign(request, {
    signingDate: new Date('2015-08-30T12:36:00Z'),
    unsignableHeaders: new Set(['content-type']),
  });
  return `POST / HTTP/1.1\n${Object.entries(signed.headers)
    .map(([name, value]) => `${name}:${value}`)
    .join('\n')}\n\n{}`;
}

async function compare(page: Page, a: string, b: string): Promise<void> {
  if (await page.isHidden('#panel-compare')) await page.click('#tab-compare');
  await page.fill('#compare-a', a);
  await page.fill('#compare-b', b);
  await page.waitForSelector('#compare-table[data-busy="false"]');
}

test('compare reads each signed side by its own SignedHeaders and scope: no phantom differences', async (ctx) => {
  const { page } = ctx;
  await page.click('#tab-explain');
  assert.is(await page.inputValue('#s-region'), 'us-east-1', 'the first tab keeps its own scope');
  assert.is(await page.inputValue('#s-service'), 'service');
  const sent = await smithySigned();
  assert.match(sent, /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-target,/, 'the independent signer left content-type out');
  // What the server saw: a proxy added a header it did not sign, and the headers came in another order.
  const lines = sent.split('\n\n')[0]!.split('\n');
  const received = [lines[0], 'X-Forwarded-For:203.0.113.7', ...lines.slice(1).reverse()].join('\n') + '\n\n{}';
  await compare(page, sent, received);
  assert.match((await page.textContent('#compare-status')) ?? '', /^Match/);
  assert.is(await page.$$eval('#compare-table tbody tr:not(.same)', (rows) => rows.length), 0);
  assert.is(await page.$$eval('#compare-hashes tbody tr:not(.same)', (rows) => rows.length), 0, 'same string to sign and signature');
  const basis = (await page.textContent('#compare-basis')) ?? '';
  assert.match(
    basis,
    /A: its own SignedHeaders \(host;x-amz-content-sha256;x-amz-date;x-amz-target\) and scope \(20150830\/eu-west-2\/ecr\/aws4_request\)/,
  );
  assert.match(basis, /B: its own SignedHeaders/);
  await screenshot(ctx, 'compare-signed-match', true);
  assert.equal(ctx.errors, []);
});

test('hash lines differ as whole values, never character by character', async (ctx) => {
  const { page } = ctx;
  const head = 'POST / HTTP/1.1\nHost:example.amazonaws.com\nContent-Type:application/json\nX-Amz-Date:20150830T123600Z\n\n';
  await compare(page, `${head}{"a":1}`, `${head}{"a":2}`);
  const payload = await page.$$eval('#compare-table tr.changed[data-line="payload hash"] td.whole', (cells) =>
    cells.map((c) => [...c.querySelectorAll('mark')].map((m) => m.textContent)),
  );
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  assert.equal(payload, [[sha('{"a":1}')], [sha('{"a":2}')]], 'one mark per side, the whole hash');
  for (const line of ['hash of the canonical request', 'signature']) {
    const marks = await page.$$eval(`#compare-hashes tr.changed[data-line="${line}"] mark`, (m) => m.map((x) => x.textContent ?? ''));
    assert.equal(
      marks.map((m) => /^[0-9a-f]{64}$/.test(m)),
      [true, true],
      line,
    );
  }
  await screenshot(ctx, 'compare-hashes-whole', true);
  await page.click('#tab-explain');
  assert.equal(ctx.errors, []);
});

test('the form stays in view beside the steps at 1400 px, and the page is one usable column at 400 px', async (ctx) => {
  const { page } = ctx;
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.selectOption('#example', 'form');
  await settled(page);
  await page.locator('.step[data-step="canonical-request-hash"]').evaluate((step) => step.scrollIntoView());
  assert.ok((await page.evaluate<number>('window.scrollY')) > 400, 'the steps scrolled');
  const form = (await page.locator('#explain-form').boundingBox())!;
  const results = (await page.locator('#results').boundingBox())!;
  assert.ok(form.y >= 0 && form.y + form.height <= 900, `form within the viewport (${form.y}..${form.y + form.height})`);
  assert.ok(form.x + form.width <= results.x, 'the form is beside the steps');
  await screenshot(ctx, 'wide-scrolled');

  await page.setViewportSize({ width: 400, height: 900 });
  await page.evaluate('window.scrollTo(0, 0)');
  const narrowForm = (await page.locator('#explain-form').boundingBox())!;
  const narrowResults = (await page.locator('#results').boundingBox())!;
  assert.ok(narrowResults.y >= narrowForm.y + narrowForm.height, 'the steps come after the form');
  assert.ok(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'), 'no sideways scrolling');
  assert.ok((await page.locator('#raw').boundingBox())!.width >= 300, 'the request box keeps a usable width');
  await screenshot(ctx, 'narrow', true);
  await page.setViewportSize({ width: 1400, height: 1000 });
  assert.equal(ctx.errors, []);
});

test.run();
