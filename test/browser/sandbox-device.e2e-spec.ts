import { join } from 'node:path';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSandboxProvider, type RunningSandbox } from '../../apps/sandbox-op/src/index.js';
import { discover, oauthError, pollOnce } from '../sandbox-op/sandbox-test-helpers.js';
import { launchChromium, newContext, screenshotFolder, watchPage, type PageWatch } from './chromium.js';
import { layoutProblems } from './layout.js';
import { cardWithCode } from './phone.js';

/**
 * The sandbox's device page (the customer's phone) in a real Chromium, against the real sandbox
 * provider, with openid-client as the relying party: Approve and Deny ask first, in the page;
 * an expired request is marked instead of vanishing. (A request whose polling stopped is
 * marked too: test/browser/console.e2e-spec.ts shows it after the console cancels.)
 * Screenshots go to $TMPDIR/ciba-console-screens/phone.
 */
describe('sandbox device page (Chromium)', () => {
  const screens = screenshotFolder('ciba-console-screens/phone');
  let sandbox: RunningSandbox;
  let rp: client.Configuration;
  let browser: Browser;
  let context: BrowserContext;
  let phone: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    sandbox = await startSandboxProvider();
    rp = await discover(sandbox.issuer, 'bff', client.ClientSecretBasic('sandbox-secret'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });
  afterEach(async () => {
    await context?.close();
    expect(watch.errors).toEqual([]);
  });

  const initiate = (customer: string, bindingMessage: string, extra: Record<string, string> = {}) =>
    client.initiateBackchannelAuthentication(rp, {
      scope: 'openid profile',
      login_hint: customer,
      binding_message: bindingMessage,
      ...extra,
    });

  async function openPhone(customer: string, width: number) {
    context = await newContext(browser, { width, height: 800 });
    phone = await context.newPage();
    watch = watchPage(phone);
    await phone.goto(`${sandbox.deviceUrl}?customer=${customer}`);
  }

  const focused = () => phone.evaluate(() => document.activeElement?.textContent ?? document.activeElement?.id);

  it.each([390, 1280])('asks before it answers, at %i px: Back and Escape change nothing, Yes answers', async (width) => {
    const denied = await initiate('alice', `DENY-${width}`);
    const approved = await initiate('alice', `OK-${width}`);
    await openPhone('alice', width);

    const first = cardWithCode(phone, `DENY-${width}`);
    await first.getByRole('button', { name: 'Deny' }).click();
    const question = first.getByRole('group', { name: `Deny this request from bff?` });
    await question.waitFor();
    expect(await phone.evaluate(() => document.activeElement?.className)).toBe('question'); // read out first; a second Enter does nothing
    expect(await layoutProblems(phone)).toEqual([]);
    await phone.screenshot({ path: join(screens, `${width}-confirm-deny.png`), fullPage: true });
    await first.getByRole('button', { name: 'Back' }).click();
    await question.waitFor({ state: 'detached' });
    expect(await focused()).toBe('Deny'); // back where the agent was
    expect(sandbox.pending('alice')).toHaveLength(2); // nothing was sent

    // From the keyboard: Enter asks, Escape takes the question back.
    await phone.keyboard.press('Enter');
    await question.waitFor();
    await phone.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(sandbox.pending('alice')).toHaveLength(2);

    await first.getByRole('button', { name: 'Deny' }).click();
    await first.getByRole('button', { name: 'Yes, deny' }).click();
    await first.waitFor({ state: 'detached' });
    await phone.getByRole('status').filter({ hasText: 'Denied: the other screen shows the result.' }).waitFor();
    expect(await oauthError(pollOnce(rp, denied.auth_req_id))).toBe('access_denied');

    // The other card kept its place and its buttons through the redraws.
    const second = cardWithCode(phone, `OK-${width}`);
    await second.getByRole('button', { name: 'Approve' }).click();
    expect(await second.getByRole('group').textContent()).toContain(`Approve? Only if the other screen shows OK-${width}.`);
    await phone.screenshot({ path: join(screens, `${width}-confirm-approve.png`), fullPage: true });
    await second.getByRole('button', { name: 'Yes, approve' }).click();
    await second.waitFor({ state: 'detached' });
    expect((await pollOnce(rp, approved.auth_req_id)).claims()?.sub).toBe(sandbox.customers[0].sub);
    await phone.getByText('No pending requests.').waitFor();
  });

  it.each([390, 1280])('marks a request that expired, at %i px, and offers no answer to it', async (width) => {
    const code = `EXP-${width}`;
    await initiate('bob', code, { requested_expiry: '2' });
    await openPhone('bob', width);
    const card = cardWithCode(phone, code);
    await card.and(phone.locator('[data-state="pending"]')).waitFor();
    await card.and(phone.locator('[data-state="expired"]')).waitFor({ timeout: 10_000 });
    expect(await card.locator('.state-note').textContent()).toBe('Expired: this request can no longer be answered.');
    expect(await card.getByRole('button').count()).toBe(0);
    expect(sandbox.pending('bob')).toEqual([]); // gone for deciding, still on the phone
    expect(await layoutProblems(phone)).toEqual([]);
    await phone.screenshot({ path: join(screens, `${width}-expired.png`), fullPage: true });
  });
});
