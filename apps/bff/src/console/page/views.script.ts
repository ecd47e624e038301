/*
 * Browser module `/console/views.js`: draws a status document. Everything from the server goes
 * in through textContent (never innerHTML): binding messages, progress and claims come from the
 * provider or the consumer. Tokens are never read: a consumer with receiveTokens gets them in
 * `result.tokens`, and nothing here touches that member.
 */
export const VIEWS_SCRIPT = String.raw`
import { serverNow } from './api.js';
import { assuranceName } from './assurance.js';

/** Sets a text only when it changes, so a live region does not announce the same words twice. */
export function setText(node, value) {
  const next = value == null ? '' : String(value);
  if (node.textContent !== next) node.textContent = next;
}

const STATUS_TEXT = {
  pending: 'Waiting for the customer to approve on their phone',
  awaiting_user_code: 'The customer confirmed. Ask for the code the bank sent them and type it below',
};

/** Screen readers spell the code character by character. */
const spelled = (code) => Array.from(code).join(' ');

export function renderRunning(ui, doc) {
  setText(ui.provider, doc.provider);
  const code = doc.bindingMessage;
  ui.codeBox.hidden = !code;
  ui.noCode.hidden = Boolean(code);
  setText(ui.code, code || '');
  setText(ui.codeSpelled, code ? spelled(code) : '');
  setText(ui.status, STATUS_TEXT[doc.status] || doc.status);
  setText(ui.progress, doc.progress ? 'Provider says: ' + doc.progress : '');
  const awaiting = doc.status === 'awaiting_user_code';
  ui.codeForm.hidden = !awaiting;
  setText(ui.codeError, awaiting && doc.error ? wrongCode(doc.error) : '');
  if (awaiting && doc.error) ui.codeInput.setAttribute('aria-invalid', 'true');
  else ui.codeInput.removeAttribute('aria-invalid');
  // A long binding message (a consumer may send up to 20 characters) gets a smaller size.
  ui.code.classList.toggle('long', Boolean(code) && code.length > 8);
}

function wrongCode(error) {
  return 'Wrong code: ' + (error.description || error.code) + ' Check it with the customer and type it again.';
}

/** m:ss left until expiresAt, redrawn every second; returns stop(). */
export function startCountdown(node, expiresAt) {
  const deadline = Date.parse(expiresAt);
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - serverNow()) / 1000));
    setText(node, Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0'));
    node.classList.toggle('urgent', left <= 30);
  };
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}

const OUTCOMES = {
  approved: ['Approved', 'The customer confirmed on their own phone.'],
  denied: ['Denied', 'The customer declined on their phone.'],
  expired: ['Expired', 'The customer did not answer in time.'],
  failed: ['Failed', 'The authentication could not be completed.'],
  cancelled: [
    'Cancelled',
    "You cancelled it. The customer's phone may still show the prompt: tell them to ignore it. A late approval is ignored.",
  ],
};

const REASONS = {
  access_denied: 'They pressed Deny, or the provider refused on their behalf.',
  expired: 'The time to answer ran out.',
  identity_mismatch: 'The person who approved is not the customer named here.',
  insufficient_acr: 'The customer used a weaker method than the one asked for.',
  too_many_user_code_attempts: 'Too many wrong codes were typed.',
  provider_unavailable: 'The provider could not be reached; whether the customer answered is unknown.',
  result_indeterminate: 'The answer was lost on the way; whether the customer approved is unknown.',
  provider_rejected: 'The provider refused the request.',
  provider_invalid_response: 'The provider answered something we could not use.',
};

const NUMBER_CLAIMS = ['personal_number', 'ssn', 'socialno', 'personal_id', 'national_id'];

/** Only the last four characters of a personal number are ever shown. */
export function mask(value) {
  const text = String(value);
  const shown = text.length > 4 ? text.slice(-4) : '';
  return '\u2022'.repeat(text.length - shown.length) + shown;
}

function identityRows(result) {
  const claims = result.claims || {};
  const name = claims.name || [claims.given_name, claims.family_name].filter(Boolean).join(' ');
  const numberClaim = NUMBER_CLAIMS.find((claim) => typeof claims[claim] === 'string' && claims[claim]);
  const time = result.authTime ? new Date(result.authTime) : null;
  const assurance = assuranceName(result.acr);
  return [
    ['Name', name || '\u2014'],
    ['Personal number', numberClaim ? mask(claims[numberClaim]) : '\u2014', numberClaim ? 'personal-number' : ''],
    // The name for the agent; the raw acr on hover, for whoever needs the exact value.
    ['Level of assurance', assurance.name, 'assurance', assurance.raw],
    ['Method', Array.isArray(result.amr) && result.amr.length ? result.amr.join(', ') : '\u2014'],
    ['Time', time && !Number.isNaN(time.getTime()) ? time.toLocaleString() : '\u2014'],
  ];
}

export function renderOutcome(ui, doc) {
  const [title, detail] = OUTCOMES[doc.status] || [doc.status, ''];
  ui.card.className = 'card outcome outcome-' + doc.status;
  ui.card.dataset.status = doc.status;
  setText(ui.icon, doc.status === 'approved' ? '\u2713' : doc.status === 'cancelled' ? '\u2013' : '\u2715');
  setText(ui.title, title);
  setText(ui.detail, detail);
  const error = doc.status === 'cancelled' ? null : doc.error;
  setText(ui.reason, error ? (REASONS[error.code] || error.description || '') + ' (' + error.code + ')' : '');
  const rows = doc.status === 'approved' && doc.result ? identityRows(doc.result) : [];
  ui.identity.hidden = rows.length === 0;
  ui.identity.replaceChildren(
    ...rows.flatMap(([term, value, id, title]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = term;
      dd.textContent = value;
      if (id) dd.id = id;
      if (title) dd.title = title;
      return [dt, dd];
    }),
  );
  // Our id is what support and the audit trail know this authentication by.
  if (ui.id.textContent !== doc.id) setText(ui.copyStatus, '');
  setText(ui.id, doc.id);
  setText(ui.reference, doc.reference ? 'Your reference: ' + doc.reference : '');
}

/** Copies a node's text; where the browser allows no clipboard (plain http), selects it for Ctrl+C. */
export async function copyText(node, status) {
  try {
    await navigator.clipboard.writeText(node.textContent);
    setText(status, 'Copied');
  } catch {
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    setText(status, 'Selected: press Ctrl+C to copy');
  }
}
`;
