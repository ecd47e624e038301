import type { DemoCustomer } from './demo-customers.js';
import { DEVICE_PAGE_SCRIPT } from './device-page-script.js';
import { escapeHtml } from './html-escape.js';
import type { SandboxRequestView } from './sandbox-types.js';

const STYLE = `
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #eef1f6; }
  body { margin: 0 auto; max-width: 30rem; padding: 1.5rem 1rem; }
  h1 { font-size: 1.2rem; margin: 0 0 .25rem; }
  .hint { color: #5b6475; font-size: .85rem; margin: 0 0 1rem; }
  nav { display: flex; flex-wrap: wrap; gap: .5rem; margin-bottom: 1.25rem; }
  nav a { padding: .4rem .8rem; border-radius: 999px; background: #fff; color: inherit; text-decoration: none; border: 1px solid #cfd6e3; }
  nav a.active { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
  .card { background: #fff; border-radius: 14px; padding: 1rem 1.25rem; margin-bottom: 1rem; box-shadow: 0 2px 8px rgba(20,30,60,.08); }
  .label { font-size: .75rem; text-transform: uppercase; letter-spacing: .06em; color: #5b6475; }
  .binding { font: 700 2rem/1.2 ui-monospace, monospace; margin: .2rem 0 .8rem; word-break: break-all; }
  .meta { display: grid; grid-template-columns: auto 1fr; gap: .2rem .8rem; margin: 0 0 1rem; font-size: .9rem; }
  .meta dt { color: #5b6475; } .meta dd { margin: 0; }
  .actions { display: flex; gap: .75rem; } .actions form { flex: 1; }
  button { width: 100%; padding: .7rem; font-size: 1rem; border: 0; border-radius: 10px; cursor: pointer; color: #fff; }
  button.approve { background: #15803d; } button.deny { background: #b91c1c; } button:disabled { opacity: .5; }
  .empty, #status { color: #5b6475; font-size: .9rem; }
`;

function requestCard(request: SandboxRequestView): string {
  const id = encodeURIComponent(request.id);
  const secondsLeft = Math.max(0, Math.round((Date.parse(request.expiresAt) - Date.now()) / 1000));
  const meta: [string, string][] = [
    ['Client', request.clientId],
    ['Scope', request.scope],
    ['ACR requested', request.acrValues ?? '-'],
    ['Expires in', `${secondsLeft} s`],
  ];
  return `<article class="card">
    <div class="label">Binding message</div>
    <div class="binding">${escapeHtml(request.bindingMessage ?? '(none sent)')}</div>
    <dl class="meta">${meta.map(([term, value]) => `<dt>${term}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>
    <div class="actions">
      <form method="post" action="/device/api/requests/${id}/approve"><button class="approve">Approve</button></form>
      <form method="post" action="/device/api/requests/${id}/deny"><button class="deny">Deny</button></form>
    </div>
  </article>`;
}

/** The authentication-device simulator; `customer` is whose phone this is (undefined: pick one). */
export function renderDevicePage(
  customers: readonly DemoCustomer[],
  customer: DemoCustomer | undefined,
  requests: SandboxRequestView[],
): string {
  const chips = customers
    .map((c) => {
      const active = c.username === customer?.username ? ' class="active"' : '';
      return `<a${active} href="/device?customer=${encodeURIComponent(c.username)}">${escapeHtml(c.name)}</a>`;
    })
    .join('');
  const body = customer
    ? requests.map(requestCard).join('') || '<p class="empty">No pending requests. Waiting...</p>'
    : '<p class="empty">Whose phone is this? Pick a demo customer above.</p>';
  // JSON inside <script> must not be able to close the tag.
  const state = JSON.stringify({ customer: customer?.username ?? null }).replace(/</g, '\\u003c');

  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${customer ? `${escapeHtml(customer.name)}'s phone` : 'Device simulator'} - Sandbox OP</title>
  <style>${STYLE}</style>
</head>
<body>
  <h1>${customer ? `${escapeHtml(customer.name)}'s phone` : 'Authentication device simulator'}</h1>
  <p class="hint">Sandbox OpenID Provider. Approve only if the binding message matches the one on the other screen.</p>
  <nav>${chips}</nav>
  <main id="requests">${body}</main>
  <p id="status"></p>
  <script type="application/json" id="sandbox-state">${state}</script>
  <script>${DEVICE_PAGE_SCRIPT}</script>
</body>
</html>`;
}
