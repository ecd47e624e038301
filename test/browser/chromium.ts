import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

/** The system Chromium (Debian's `chromium` package, installed by .ci/run): never a downloaded build. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  // launch() gives every run a fresh temporary profile (user-data dir) and removes it on close.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Screenshots for a human to look at, outside the repository; its files are removed at the start
 * of each run. `name` may be a sub-folder of a kept folder (`ciba-console-screens/layout`): only
 * the files directly in it go, so spec files running side by side never empty each other's.
 */
export function screenshotFolder(name: string): string {
  const folder = join(tmpdir(), name);
  mkdirSync(folder, { recursive: true });
  for (const entry of readdirSync(folder, { withFileTypes: true })) if (entry.isFile()) rmSync(join(folder, entry.name));
  return folder;
}

/** What a page did that a test must see: script errors, CSP refusals, and every URL it asked for. */
export interface PageWatch {
  errors: string[];
  urls: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], urls: [] };
  page.on('pageerror', (error) => watch.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message: ConsoleMessage) => {
    // A 4xx answer the script expects (sign-in check, a refused code) is logged by Chromium as a
    // failed resource load; that is the network, not the page. Anything else is an error.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of'))
      watch.errors.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => watch.urls.push(request.url()));
  return watch;
}

/** A fresh context (own sessionStorage) 1280 px wide unless told; it may use the clipboard (the console's Copy). */
export async function newContext(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport,
    locale: 'en-GB',
    timezoneId: 'UTC',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(15_000);
  return context;
}
