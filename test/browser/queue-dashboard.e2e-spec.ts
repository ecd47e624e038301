import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/bff-stack.js';
import { launchChromium, screenshotFolder, watchPage, type PageWatch } from './chromium.js';

/** What the dashboard's policy refuses on purpose (its page links a web font). */
const BLOCKED_FONT =
  /^console: Loading the stylesheet 'https:\/\/fonts\.googleapis\.com\/[^']*' violates the following Content Security Policy directive/;

/**
 * The operator's queue dashboard in a real Chromium: signed in through the browser's own Basic
 * prompt with the admin consumer's key, it shows the poll queue and an authentication's job,
 * offers no action, and the page talks to nobody but the BFF. Screenshots go to
 * $TMPDIR/ciba-dashboard-screens.
 */
describe('queue dashboard (Chromium)', () => {
  const screens = screenshotFolder('ciba-dashboard-screens');
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    // API and workers: the poll loops exist (one running, the others waiting as stand-bys).
    stack = await startStack({ configure: (tree) => (tree.consumers.portal.admin = true) });
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      httpCredentials: { username: 'operator', password: stack.keys.portal },
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    watch = watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lists the queues and the waiting poll loops, read-only, with no request leaving for elsewhere', async () => {
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: '01001011111' });
    expect(start.status).toBe(201);

    await page.goto(`${stack.bff!.url}/admin/queues`);
    for (const queue of ['poll-sandbox', 'maintenance', 'webhooks']) await page.getByText(queue, { exact: true }).first().waitFor();
    await page.screenshot({ path: join(screens, 'overview.png'), fullPage: true });

    await page.goto(`${stack.bff!.url}/admin/queues/queue/poll-sandbox?status=waiting`);
    await page
      .getByText(/^#?loop-\d$/)
      .first()
      .waitFor();
    await page.screenshot({ path: join(screens, 'poll-queue.png'), fullPage: true });
    // Read-only: none of Bull Board's actions is offered.
    for (const action of ['Retry', 'Promote', 'Clean', 'Add', 'Remove', 'Pause'])
      expect(await page.getByRole('button', { name: action, exact: true }).count()).toBe(0);
    // The loops carry nothing of the customer.
    expect(await page.content()).not.toContain('01001011111');

    // Nothing went wrong but the web font, which the policy refused: Chromium names it as a
    // request, and blocks it before it leaves. Every other request went to the BFF.
    expect(watch.errors.filter((error) => !BLOCKED_FONT.test(error))).toEqual([]);
    const elsewhere = watch.urls.filter((url) => !url.startsWith(`${stack.bff!.url}/admin/queues`));
    expect(elsewhere.every((url) => url.startsWith('https://fonts.googleapis.com/'))).toBe(true);
    expect(watch.errors).toHaveLength(elsewhere.length);
  });
});
