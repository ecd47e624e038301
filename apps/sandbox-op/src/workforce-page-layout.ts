import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { escapeHtml } from './html-escape.js';
import { WORKFORCE_PAGE_STYLE } from './workforce-page-style.js';

/**
 * The policy every workforce page is served with: nothing may load or run except the one inline
 * stylesheet, named by its hash. `form-action` is left out on purpose: browsers check it against
 * the redirects that follow a submit, and these forms end in a redirect to the relying party's
 * registered redirect_uri or post_logout_redirect_uri, on another origin.
 */
export const WORKFORCE_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(WORKFORCE_PAGE_STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A whole workforce page; `content` is trusted HTML, the title is escaped here. */
export function workforcePageHtml(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>${WORKFORCE_PAGE_STYLE}</style>
</head>
<body>
${content}
</body>
</html>`;
}

/** Sends a workforce page outside oidc-provider (the sign-in routes); never cached, never framed. */
export function sendWorkforcePage(res: ServerResponse, status: number, html: string): void {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': WORKFORCE_PAGE_CSP,
    })
    .end(html);
}
