import type { DemoCustomer } from './demo-customers.js';
import { DEVICE_PAGE_SCRIPT } from './device-page-script.js';
import { DEVICE_PAGE_STYLE } from './device-page-style.js';
import { escapeHtml } from './html-escape.js';
import type { DeviceRequestView } from './pending-requests.js';

/** What the phone says about a request it can no longer usefully answer (the script says the same). */
const STATE_NOTES: Record<DeviceRequestView['state'], string> = {
  pending: '',
  abandoned: 'No longer awaited: the service stopped asking for the answer (probably cancelled). An answer now changes nothing there.',
  expired: 'Expired: this request can no longer be answered.',
};

/**
 * A request card as served, for the first paint and for a browser without JavaScript (whose
 * Approve and Deny are plain form posts, without a confirm step). The script redraws the same
 * cards from the JSON API and adds the confirm step.
 */
function requestCard(request: DeviceRequestView): string {
  const id = encodeURIComponent(request.id);
  const secondsLeft = Math.max(0, Math.round((Date.parse(request.expiresAt) - Date.now()) / 1000));
  const meta: [string, string][] = [
    ['Client', request.clientId],
    ['Scope', request.scope],
    ['ACR requested', request.acrValues ?? '-'],
    ['Expires in', `${secondsLeft} s`],
  ];
  const note = STATE_NOTES[request.state];
  const actions =
    request.state === 'expired'
      ? ''
      : `<div class="actions">
      <form method="post" action="/device/api/requests/${id}/approve"><button class="approve">Approve</button></form>
      <form method="post" action="/device/api/requests/${id}/deny"><button class="deny">Deny</button></form>
    </div>`;
  return `<article class="card ${request.state}" data-state="${request.state}">
    <div class="label">Binding message</div>
    <div class="binding">${escapeHtml(request.bindingMessage ?? '(none sent)')}</div>
    ${note ? `<p class="state-note">${escapeHtml(note)}</p>` : ''}
    <dl class="meta">${meta.map(([term, value]) => `<dt>${term}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>
    ${actions}
  </article>`;
}

/** The authentication-device simulator; `customer` is whose phone this is (undefined: pick one). */
export function renderDevicePage(
  customers: readonly DemoCustomer[],
  customer: DemoCustomer | undefined,
  requests: DeviceRequestView[],
): string {
  const chips = customers
    .map((c) => {
      const active = c.username === customer?.username ? ' class="active" aria-current="page"' : '';
      return `<a${active} href="/device?customer=${encodeURIComponent(c.username)}">${escapeHtml(c.name)}</a>`;
    })
    .join('');
  const body = customer
    ? requests.map(requestCard).join('') || '<p class="empty">No pending requests. Waiting...</p>'
    : '<p class="empty">Whose phone is this? Pick a demo customer above.</p>';
  // The script draws the same cards at once from this (JSON inside <script> must not be able to close the tag).
  const state = JSON.stringify({ customer: customer?.username ?? null, requests, notes: STATE_NOTES }).replace(/</g, '\\u003c');

  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${customer ? `${escapeHtml(customer.name)}'s phone` : 'Device simulator'} - Sandbox OP</title>
  <style>${DEVICE_PAGE_STYLE}</style>
</head>
<body>
  <h1>${customer ? `${escapeHtml(customer.name)}'s phone` : 'Authentication device simulator'}</h1>
  <p class="hint">Sandbox OpenID Provider. Approve only if the binding message matches the one on the other screen.</p>
  <nav aria-label="Demo customers">${chips}</nav>
  <main id="requests">${body}</main>
  <p id="status" role="status"></p>
  <p id="updated" class="updated"></p>
  <script type="application/json" id="sandbox-state">${state}</script>
  <script>${DEVICE_PAGE_SCRIPT}</script>
</body>
</html>`;
}
