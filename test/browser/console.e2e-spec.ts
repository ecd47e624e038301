import { Writable } from 'node:stream';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/bff-stack.js';
import { CUSTOMERS, TBC_CLIENT } from '../dialects/tbc/tbc-fixtures.js';
import { TbcDialectServer } from '../dialects/tbc/tbc-server.js';
import { launchChromium, newContext, screenshotFolder, watchPage, type PageWatch } from './chromium.js';
import { answerOnPhone } from './phone.js';

/**
 * The branch agent's console in a real Chromium, against a real Redis, the real sandbox provider
 * (whose device page a second tab clicks, as the customer would) and the TBC dialect server for
 * the two-step flow. Screenshots go to $TMPDIR/ciba-console-screens for a human to look at.
 */
describe('branch agent console (Chromium)', () => {
  const screens = screenshotFolder('ciba-console-screens');
  const logs: string[] = [];
  let stack: Stack;
  let tbc: TbcDialectServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    stack = await startStack({
      providers: async () => {
        tbc = await TbcDialectServer.start({ ...TBC_CLIENT, customers: Object.values(CUSTOMERS) });
        return { tbc: tbc.providerConfig() };
      },
      logSink: new Writable({ write: (chunk: Buffer, _encoding, done) => (logs.push(chunk.toString()), done()) }),
    });
    // The BFF serves the console itself (startBff wires it for API roles).
    expect((await fetch(`${stack.bff!.url}/console/main.js`)).status).toBe(200);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await tbc?.close();
  });
  beforeEach(async () => {
    context = await newContext(browser); // a fresh sessionStorage for every test
    page = await context.newPage();
    watch = watchPage(page);
  });
  afterEach(async () => {
    await context.close();
    // No script error and no CSP refusal on any screen the test went through.
    expect(watch.errors).toEqual([]);
    // Neither the key nor a customer's identifier ever was in a URL the page asked for.
    const identifiers = [stack.keys.portal, 'alice', 'bob', 'carol', 'dave', CUSTOMERS.nino.personalNumber];
    for (const url of watch.urls) for (const value of identifiers) expect(url).not.toContain(value);
  });

  const shot = (name: string) => page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });
  const heading = (name: string | RegExp) => page.getByRole('heading', { name });
  const focusedId = () => page.evaluate(() => document.activeElement?.id);
  const currentId = () => page.evaluate(() => sessionStorage.getItem('ciba-console.current'));

  async function signIn() {
    await page.goto(`${stack.bff!.url}/console`);
    await page.getByLabel('Consumer API key').fill(stack.keys.portal);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('New authentication').waitFor();
  }

  /** Starts at the sandbox for a demo customer; returns the binding code on screen. */
  async function startSandbox(customer: string): Promise<string> {
    await page.getByLabel('Provider', { exact: true }).selectOption('sandbox');
    await page.getByLabel('Customer identifier').fill(customer);
    await page.getByRole('button', { name: 'Start' }).click();
    await heading(/Authentication running/).waitFor();
    const code = (await page.locator('#binding-code').textContent())!;
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    return code;
  }

  /** The customer's phone: the sandbox device page, the card with this code, Approve or Deny, then Yes. */
  const answer = (customer: string, code: string, action: 'Approve' | 'Deny') =>
    answerOnPhone(context, stack.sandbox.deviceUrl, customer, code, action, join(screens, `phone-${customer}-${action.toLowerCase()}`));

  /** The outcome card's reference is our id, and its button puts it on the clipboard. */
  async function expectReference(id: string) {
    expect(await page.locator('#outcome-id').textContent()).toBe(id);
    await page.getByRole('button', { name: 'Copy reference' }).click();
    await page.locator('#copy-status', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
  }

  /** The sandbox's default acr, by name; the raw value on hover. */
  async function expectAssurance() {
    const assurance = page.locator('#assurance');
    expect(await assurance.textContent()).toBe('High (sandbox)');
    expect(await assurance.getAttribute('title')).toBe('urn:sandbox:acr:high');
  }

  async function expectNoSecretsOnPage(id: string, secrets: string[]) {
    const document = (await stack.portal.get(id)).body!;
    const tokens = document.result?.tokens ?? {};
    const all = [...secrets, tokens.idToken, tokens.accessToken, tokens.refreshToken, tokens.idToken?.split('.')[1]].filter(Boolean);
    expect(all.length).toBeGreaterThan(secrets.length); // the portal receives tokens: they exist, and must not show
    const html = await page.content();
    const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
    for (const secret of all) {
      expect(html).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  }

  it('signs in, starts for alice, the customer approves on the phone: the approved card, masked, without tokens (390 px)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.bff!.url}/console`);
    expect(await focusedId()).toBe('api-key');
    await page.getByLabel('Consumer API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key was not accepted').waitFor();
    await shot('01-sign-in-refused');
    await signIn();
    await page.getByLabel('Provider', { exact: true }).selectOption('sandbox');
    await page.getByLabel('Customer identifier').fill('alice');
    await shot('02-start-form');

    const code = await startSandbox('alice');
    await page.getByText('Waiting for the customer to approve on their phone').waitFor();
    expect(await page.locator('#countdown').textContent()).toMatch(/^\d+:[0-5]\d$/);
    expect(await page.getByLabel('Customer identifier').inputValue()).toBe(''); // nothing of alice stays in the form
    await shot('03-running');

    await answer('alice', code, 'Approve');
    await heading('Approved').waitFor({ timeout: 20_000 });
    expect(await focusedId()).toBe('outcome-heading');
    const identity = await page.locator('#identity').innerText();
    expect(identity).toContain('Alice Beridze');
    expect(await page.locator('#personal-number').textContent()).toBe('\u2022'.repeat(7) + '1111');
    expect(identity).toMatch(/Method\s+\S/);
    await expectAssurance();
    await expectReference((await currentId())!);
    await shot('04-approved');
    await expectNoSecretsOnPage((await currentId())!, ['01001011111', '+995599123456']);
    // The key is in sessionStorage, and nowhere on the page (the sign-in field was emptied).
    expect(await page.getByLabel('Consumer API key').inputValue()).toBe('');
    expect(await page.content()).not.toContain(stack.keys.portal);
  });

  it('works from the keyboard alone: bob denies, the denied card says so', async () => {
    await page.goto(`${stack.bff!.url}/console`);
    await page.keyboard.type(stack.keys.portal);
    await page.keyboard.press('Enter');
    await heading('New authentication').waitFor();
    expect(await focusedId()).toBe('provider');
    await page.keyboard.type('sandbox'); // a closed list selects the option its typed name starts
    expect(await page.locator('#provider').inputValue()).toBe('sandbox');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('generic-hint');
    await page.keyboard.type('bob');
    await page.keyboard.press('Enter');
    await heading(/Authentication running/).waitFor();
    expect(await focusedId()).toBe('running-title');

    await answer('bob', (await page.locator('#binding-code').textContent())!, 'Deny');
    await heading('Denied').waitFor({ timeout: 20_000 });
    expect(await page.locator('#outcome-reason').textContent()).toContain('access_denied');
    expect(await page.locator('#identity').isHidden()).toBe(true);
    await shot('05-denied');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('copy-id');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('new');
    await page.keyboard.press('Enter');
    await heading('New authentication').waitFor();
    expect(await currentId()).toBeNull();
  });

  it('cancels: the cancelled card warns that the phone may still show the prompt', async () => {
    await signIn();
    await startSandbox('carol');
    const id = (await currentId())!;
    await page.getByRole('button', { name: 'Cancel' }).click();
    await heading('Cancelled').waitFor();
    expect(await page.locator('#outcome-detail').textContent()).toContain("The customer's phone may still show the prompt");
    await shot('06-cancelled');
    expect((await stack.portal.get(id)).body!.status).toBe('cancelled');
    await expectReference(id);
    // And it does: CIBA has no cancel, the provider still holds the request.
    const pending = (await (await fetch(`${stack.sandbox.deviceUrl}/api/requests?customer=carol`)).json()) as unknown[];
    expect(pending).toHaveLength(1);
    // That the phone then marks it "no longer awaited" (after three missed polls, 15 s here) is
    // the sandbox's own rule: test/sandbox-op checks it without making this suite wait for it.
  });

  it('survives a reload mid-flow: reconnects to the same authentication and still sees the approval', async () => {
    await signIn();
    const code = await startSandbox('dave');
    const id = await currentId();
    await page.reload();
    await heading(/Authentication running/).waitFor();
    expect(await page.locator('#binding-code').textContent()).toBe(code);
    expect(await currentId()).toBe(id);

    await answer('dave', code, 'Approve');
    await heading('Approved').waitFor({ timeout: 20_000 });
    expect(await page.locator('#identity').innerText()).toContain('Dave Gelashvili');
    await page.reload();
    await heading('Approved').waitFor();
    expect(await page.locator('#personal-number').textContent()).toBe('\u2022'.repeat(7) + '4444');
    await expectAssurance();
    await expectReference(id!);
    await shot('07-approved-after-reload');
  });

  it('two-step provider: the user-code field appears, a wrong code is answered, the right one approves', async () => {
    const nino = CUSTOMERS.nino;
    await signIn();
    await page.getByLabel('Provider', { exact: true }).selectOption('tbc');
    expect(await page.locator('#binding-field').isHidden()).toBe(true); // TBC takes no binding message
    await page.getByLabel('Personal number').check();
    await page.getByLabel('Number', { exact: true }).fill(nino.personalNumber);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByText('No code for this provider').waitFor();

    tbc.approve((await tbc.waitForRequest(nino.personalNumber)).authReqId);
    const codeField = page.getByLabel('Code the customer reads out');
    await codeField.waitFor({ timeout: 20_000 });
    expect(await focusedId()).toBe('user-code');
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Send the code' }).click();
    await page.getByText('Wrong code: The provider refused the code (1 of 3 tries).').waitFor();
    await shot('08-wrong-user-code');

    await codeField.fill(nino.userCode);
    await page.getByRole('button', { name: 'Send the code' }).click();
    await heading('Approved').waitFor({ timeout: 20_000 });
    expect(await page.locator('#identity').innerText()).toContain(nino.name);
    expect(await page.locator('#personal-number').textContent()).toBe('\u2022'.repeat(7) + '1111');
    await expectNoSecretsOnPage((await currentId())!, [nino.personalNumber]);
    await shot('09-two-step-approved');
  });

  it('the API key never reached the BFF log', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('')).not.toContain(stack.keys.portal);
  });
});
