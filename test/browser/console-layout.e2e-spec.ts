import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/bff-stack.js';
import { CUSTOMERS, TBC_CLIENT } from '../dialects/tbc/tbc-fixtures.js';
import { TbcDialectServer } from '../dialects/tbc/tbc-server.js';
import { launchChromium, newContext, screenshotFolder, watchPage, type PageWatch } from './chromium.js';
import { layoutProblems, textLines } from './layout.js';

/**
 * The console on a phone and on a desk: nothing wider than its card, the binding code on one
 * line, refusals shown by the field they are about, and the provider list holding only the
 * signed-in consumer's providers. Real Redis, the real sandbox, the TBC dialect server.
 * Screenshots go to $TMPDIR/ciba-console-screens/layout.
 */
describe('branch agent console at phone and desk widths (Chromium)', () => {
  const screens = screenshotFolder('ciba-console-screens/layout');
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
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await tbc?.close();
  });
  afterEach(async () => {
    await context?.close();
    expect(watch.errors).toEqual([]);
  });

  async function open(width: number) {
    context = await newContext(browser, { width, height: 800 });
    page = await context.newPage();
    watch = watchPage(page);
    await page.goto(`${stack.bff!.url}/console`);
  }

  async function signIn(key = stack.keys.portal) {
    await page.getByLabel('Consumer API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'New authentication' }).waitFor();
  }

  const provider = () => page.getByLabel('Provider', { exact: true });
  const shot = (name: string) => page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });

  it.each([320, 390, 1280])('fits %i px: no sideways scrolling, every input inside its card, the code on one line', async (width) => {
    await open(width);
    expect(await layoutProblems(page)).toEqual([]);
    await signIn();
    await provider().selectOption('sandbox');
    expect(await layoutProblems(page)).toEqual([]);
    await provider().selectOption('tbc'); // the widest form: radio choices and a long help text
    expect(await layoutProblems(page)).toEqual([]);
    await shot(`${width}-start-tbc`);

    await provider().selectOption('sandbox');
    await page.getByLabel('Customer identifier').fill('alice');
    await page.getByRole('button', { name: 'Start' }).click();
    const code = page.locator('#binding-code');
    await code.waitFor();
    expect(await code.textContent()).toMatch(/^[A-Z0-9]{6}$/);
    expect(await textLines(code)).toEqual({ lines: 1, overflows: false });
    expect(await layoutProblems(page)).toEqual([]);
    await shot(`${width}-running`);

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Cancelled' }).waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    await shot(`${width}-cancelled`);
  });

  describe.each([390, 1280])('at %i px', (width) => {
    /** The message under a field, tied to it for assistive technology. */
    async function expectFieldError(id: string, message: string) {
      const field = page.locator(`#${id}`);
      const error = page.locator(`#${id}-error`);
      await error.waitFor();
      expect(await error.textContent()).toBe(message);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect((await field.getAttribute('aria-describedby'))!.split(' ')).toContain(`${id}-error`);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(id);
      // Shown by the field, not only in the banner; and it fits.
      expect(await page.locator('#start-error').textContent()).toBe('');
      expect(await layoutProblems(page)).toEqual([]);
    }

    it('shows a refused binding message, hint or customer by its field, in the form’s words', async () => {
      await open(width);
      await signIn();
      await provider().selectOption('sandbox');
      await page.getByLabel('Customer identifier').fill('alice');
      await page.getByLabel('Binding message').fill('two words');
      await page.getByRole('button', { name: 'Start' }).click();
      await expectFieldError(
        'binding-message',
        'The binding message must be 1-20 characters of letters, digits and - . _ + / ! ? # (no spaces).',
      );
      await shot(`${width}-binding-message-refused`);
      // Correcting the field takes its error away.
      await page.getByLabel('Binding message').fill('');
      expect(await page.locator('#binding-message').getAttribute('aria-invalid')).toBeNull();
      expect(await page.locator('#binding-message-error').count()).toBe(0);

      await page.getByLabel('Customer identifier').fill('mallory');
      await page.getByRole('button', { name: 'Start' }).click();
      await expectFieldError('generic-hint', 'The provider does not know this customer.');

      await provider().selectOption('tbc');
      expect(await page.locator('#generic-hint').getAttribute('aria-invalid')).toBeNull(); // another provider, a clean form
      await page.getByLabel('Personal number').check();
      await page.getByLabel('Number', { exact: true }).fill('123');
      await page.getByRole('button', { name: 'Start' }).click();
      await expectFieldError('tbc-identifier', 'The personal number must be 11 digits (a Georgian personal number); it has 3.');
      await shot(`${width}-tbc-number-refused`);
      expect(await page.getByRole('heading', { name: /Authentication running/ }).count()).toBe(0);
    });

    it("lists only the signed-in consumer's providers", async () => {
      await open(width);
      await signIn(stack.keys.other); // may use the sandbox only
      expect(await provider().locator('option').allTextContents()).toEqual(['sandbox']);
      expect(await provider().inputValue()).toBe('sandbox');
      await page.getByRole('button', { name: 'Sign out' }).click();

      await signIn(stack.keys.portal); // both: the agent must choose
      expect(await provider().locator('option').allTextContents()).toEqual(['Choose a provider', 'sandbox', 'tbc (TBC Bank)']);
      expect(await provider().inputValue()).toBe('');
      await page.getByRole('button', { name: 'Start' }).click(); // the list is required: nothing is sent
      expect(await provider().evaluate((select: HTMLSelectElement) => select.validity.valueMissing)).toBe(true);
      await provider().selectOption('tbc');
      expect(await page.locator('#binding-field').isHidden()).toBe(true);
      expect(await layoutProblems(page)).toEqual([]);
    });
  });
});
