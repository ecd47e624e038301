import type { BrowserContext, Locator, Page } from 'playwright-core';

/** The card of the sandbox phone that shows this binding code. */
export const cardWithCode = (phone: Page, code: string): Locator =>
  phone.locator('article.card').filter({ has: phone.locator('.binding', { hasText: code }) });

/**
 * The customer answers on their phone (the sandbox device page) as a person would: the card with
 * the code, Approve or Deny, then the page's question, answered yes. Resolves when the card is
 * gone (the request is decided). `shot` is a screenshot path without extension, taken at the question.
 */
export async function answerOnPhone(
  context: BrowserContext,
  deviceUrl: string,
  customer: string,
  code: string,
  action: 'Approve' | 'Deny',
  shot?: string,
): Promise<void> {
  const phone = await context.newPage();
  await phone.goto(`${deviceUrl}?customer=${customer}`);
  const card = cardWithCode(phone, code);
  await card.getByRole('button', { name: action }).click();
  await card.getByRole('group', { name: new RegExp(`^${action}`) }).waitFor();
  if (shot) await phone.screenshot({ path: `${shot}.png`, fullPage: true });
  await card.getByRole('button', { name: `Yes, ${action.toLowerCase()}` }).click();
  await card.waitFor({ state: 'detached' });
  await phone.close();
}
