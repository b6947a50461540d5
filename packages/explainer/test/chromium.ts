// How the explainer's tests open the page in Debian's headless Chromium, driven by playwright-core:
// one place for the executable, the flags this machine needs, and the offline rule.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's package puts it here (apt-get install chromium). */
export const CHROMIUM = '/usr/bin/chromium';

/** No sandbox (containers have no user namespaces), no GPU, and nothing that calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A browser with a fresh profile under `dir`, its first page, and the page errors it collects. */
export async function openPage(
  dir: string,
  file: string,
  viewport = { width: 1400, height: 1000 },
): Promise<{ browser: BrowserContext; page: Page; errors: string[] }> {
  // A fresh profile per run: nothing from an earlier run (cache, storage) can make the test pass.
  const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  // Any request leaving the page would be a bug: it must work offline.
  await page.route('**/*', (route) =>
    route.request().url().startsWith('file:') || route.request().url().startsWith('http://127.0.0.1') ? route.continue() : route.abort(),
  );
  await page.goto(pathToFileURL(file).href);
  await settled(page);
  return { browser, page, errors };
}

/** Waits until the explain tab has finished its latest update. */
export async function settled(page: Page): Promise<void> {
  await page.waitForSelector('#results[data-busy="false"]', { state: 'attached' });
}
