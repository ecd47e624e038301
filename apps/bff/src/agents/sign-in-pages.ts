import type { Response } from 'express';
import { escapeHtml } from './html-escape.js';

/**
 * These pages show text and one link: nothing may run, load or frame them. (Stricter than the
 * console's own CSP, which must allow its scripts.)
 */
export const SIGN_IN_PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Headers of every answer of the sign-in routes: nothing cached, no Referer (the callback URL holds a code). */
export const SIGN_IN_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

export interface SignInPage {
  status: number;
  title: string;
  /** Plain text; each entry is one paragraph, escaped when written. */
  paragraphs: string[];
  link?: { href: string; text: string };
}

/** Sends a short page about a sign-in, everything in it escaped. */
export function sendSignInPage(response: Response, page: SignInPage): void {
  const paragraphs = page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
  const link = page.link ? `\n<p><a href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.text)}</a></p>` : '';
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title></head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${paragraphs}${link}
</body>
</html>
`;
  response
    .status(page.status)
    .set(SIGN_IN_HEADERS)
    .set('Content-Security-Policy', SIGN_IN_PAGE_CSP)
    .type('text/html; charset=utf-8')
    .send(html);
}

const TRY_AGAIN = { href: '/console/login', text: 'Sign in again' };

/** The pages a callback can end on, by what happened. */
export const signInPages = {
  noRole: (issuer: string, name: string, role: string): SignInPage => ({
    status: 403,
    title: 'No access to the console',
    paragraphs: [`You are signed in at ${issuer} as ${name}, but you do not hold the role ${role}; ask your administrator.`],
  }),
  badState: (): SignInPage => ({
    status: 400,
    title: 'Sign-in not recognised',
    paragraphs: ['This sign-in was not started in this browser, took longer than ten minutes, or was already used.'],
    link: TRY_AGAIN,
  }),
  providerError: (error: string): SignInPage => ({
    status: 403,
    title: 'Sign-in not completed',
    paragraphs: [`The sign-in service ended the sign-in (${error}).`],
    link: TRY_AGAIN,
  }),
  failed: (): SignInPage => ({
    status: 502,
    title: 'Sign-in failed',
    paragraphs: ["The sign-in service's answer could not be verified, so you are not signed in."],
    link: TRY_AGAIN,
  }),
  unavailable: (): SignInPage => ({
    status: 503,
    title: 'Sign-in service unavailable',
    paragraphs: ['The sign-in service cannot be reached at the moment.'],
    link: TRY_AGAIN,
  }),
};
