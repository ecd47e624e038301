import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/bff-stack.js';
import { launchChromium, newContext, screenshotFolder, watchPage, type PageWatch } from './chromium.js';
import { answerOnPhone } from './phone.js';

/**
 * The console on agent sessions (API.md §7), in a real Chromium: the agent signs in at the
 * sandbox acting as the bank's workforce provider, works, and signs out there; a supervisor sees
 * the agent's authentication and the audit; an agent without the role is refused; a forged
 * cross-site POST starts nothing. The idle expiry has its own stack with a 3-second idle limit.
 */
describe('agent console with workforce sign-in (Chromium)', () => {
  const screens = screenshotFolder('ciba-console-screens/agents');
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    stack = await startStack({ agents: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    context = await newContext(browser);
    page = await context.newPage();
    watch = watchPage(page);
  });
  afterEach(async () => {
    await context.close();
    expect(watch.errors).toEqual([]);
  });

  const consoleUrl = () => `${stack.bff!.url}/console`;
  const shot = (name: string) => page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });
  const heading = (name: string | RegExp) => page.getByRole('heading', { name });

  /** From the console's sign-in card to the workforce provider's page, and back as `agent`. */
  async function signInAs(name: string) {
    await page.goto(consoleUrl());
    await page.getByRole('link', { name: 'Sign in with your bank account' }).click();
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  }

  /** Nothing a script on the page can read holds a token, a code or the session id. */
  async function expectNothingSecretInThePage() {
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(stored).not.toMatch(/eyJ|csrf|code_verifier|ciba-console=/i);
  }

  it('an agent signs in at the workforce provider, starts and sees the approval, then signs out there too', async () => {
    await page.goto(consoleUrl());
    await page.getByRole('link', { name: 'Sign in with your bank account' }).waitFor();
    await shot('01-sign-in');
    await page.getByRole('link', { name: 'Sign in with your bank account' }).click();
    await page
      .getByRole('heading', { name: /sign-in/i })
      .first()
      .waitFor();
    await shot('02-workforce-sign-in');
    await page.getByRole('button', { name: /^Anna Agent/ }).click();

    await heading('New authentication').waitFor();
    expect(await page.locator('#who').textContent()).toBe('Signed in as Anna Agent \u00b7 agent');
    expect(await page.locator('#audit').isHidden()).toBe(true); // an agent reads no audit trail
    await expectNothingSecretInThePage();

    await page.getByLabel('Provider', { exact: true }).selectOption('sandbox');
    await page.getByLabel('Customer identifier').fill('alice');
    await page.getByRole('button', { name: 'Start' }).click();
    await heading(/Authentication running/).waitFor();
    const code = (await page.locator('#binding-code').textContent())!;
    await shot('03-running');
    await answerOnPhone(context, stack.sandbox.deviceUrl, 'alice', code, 'Approve');
    await heading('Approved').waitFor({ timeout: 20_000 });
    await shot('04-approved');
    const id = (await page.locator('#outcome-id').textContent())!;
    await expectNothingSecretInThePage();

    // The record says who asked the customer; another consumer does not see it at all.
    const document = await page.evaluate((path) => fetch(path).then((r) => r.json()), `/v1/authentications/${id}`);
    expect(document.initiatedBy).toEqual({ type: 'agent', subject: 'agent-anna', name: 'Anna Agent' });
    expect((await stack.portal.get(id)).status).toBe(404);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out of the sandbox?' }).waitFor();
    await shot('05-provider-sign-out');
    // The provider asks to confirm its own sign-out (no id_token_hint: the browser holds no token).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with your bank account' }).waitFor();
    expect(page.url()).toBe(consoleUrl());
    const session = await page.evaluate(() => fetch('/console/session').then((r) => r.status));
    expect(session).toBe(401);
    await shot('06-signed-out');
  });

  it('a supervisor sees the agent\u2019s authentication and the audit trail, and opens it', async () => {
    // Anna starts one for bob and leaves it running.
    await signInAs('Anna Agent');
    await page.getByLabel('Provider', { exact: true }).selectOption('sandbox');
    await page.getByLabel('Customer identifier').fill('bob');
    await page.getByRole('button', { name: 'Start' }).click();
    await heading(/Authentication running/).waitFor();
    const code = (await page.locator('#binding-code').textContent())!;
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    await context.close();

    context = await newContext(browser);
    page = await context.newPage();
    watch = watchPage(page);
    await signInAs('Sam Supervisor');
    await heading('New authentication').waitFor();
    expect(await page.locator('#who').textContent()).toBe('Signed in as Sam Supervisor \u00b7 supervisor');
    const row = page.locator('#audit-rows tr', { hasText: 'Anna Agent' }).filter({ hasText: 'ciba.start' }).first();
    await row.waitFor();
    await shot('07-supervisor-activity');
    await row.getByRole('button', { name: /^Open authentication/ }).click();
    await heading(/Authentication running/).waitFor();
    expect(await page.locator('#binding-code').textContent()).toBe(code);
    await shot('08-supervisor-opened');
  });

  it('an agent without the role is told so and gets no session', async () => {
    await signInAs('Nina Visitor');
    await page.getByText(/do not hold the role/).waitFor();
    await shot('09-no-role');
    const cookies = await context.cookies(stack.bff!.url);
    expect(cookies.map((cookie) => cookie.name)).not.toContain('ciba-console');
    await page.goto(consoleUrl());
    await page.getByRole('link', { name: 'Sign in with your bank account' }).waitFor();
  });

  it('a forged POST from another site carries no session and starts nothing', async () => {
    await signInAs('Anna Agent');
    await heading('New authentication').waitFor();
    // The attacker's page: another site (localhost is not 127.0.0.1), a form aimed at the API.
    const attacker = await serveAttackerPage(`${stack.bff!.url}/v1/authentications`);
    try {
      const before = stack.sandbox.pending('carol').length;
      await page.goto(`http://localhost:${attacker.port}/`);
      await page.waitForURL(`${stack.bff!.url}/v1/authentications`);
      const answer = JSON.parse((await page.locator('body').textContent())!) as { status: number; code: string };
      expect([401, 403, 415]).toContain(answer.status);
      expect(stack.sandbox.pending('carol').length).toBe(before);
    } finally {
      await new Promise((resolve) => attacker.server.close(resolve));
    }
    // The agent's own console still works.
    await page.goto(consoleUrl());
    await heading('New authentication').waitFor();
  });
});

describe('agent console session expiry (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ agents: { sessionIdleMinutes: 0.05 } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('returns to sign-in once the session has been idle for its limit', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const watch = watchPage(page);
    try {
      await page.goto(`${stack.bff!.url}/console`);
      await page.getByRole('link', { name: 'Sign in with your bank account' }).click();
      await page.getByRole('button', { name: /^Anna Agent/ }).click();
      await page.getByRole('heading', { name: 'New authentication' }).waitFor();
      // Nothing is touched: the page notices the end of the session by itself.
      await page.getByText('Your session has ended. Sign in again.').waitFor({ timeout: 15_000 });
      expect(await page.getByRole('link', { name: 'Sign in with your bank account' }).isVisible()).toBe(true);
      expect(await page.evaluate(() => fetch('/v1/authentications/01ARZ3NDEKTSV4RRFFQ69G5FAV').then((r) => r.status))).toBe(401);
      expect(watch.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** A page on another site that posts a start to the BFF as soon as it loads (a classic CSRF). */
async function serveAttackerPage(target: string): Promise<{ server: Server; port: number }> {
  const html = `<!doctype html><html><body onload="document.forms[0].submit()">
<form method="post" action="${target}" enctype="text/plain">
<input name='{"provider":"sandbox","loginHint":"carol","x":"' value='"}'>
</form></body></html>`;
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}
