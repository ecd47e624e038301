/*
 * Browser module `/console/main.js`: the console's screens (sign in, start, running, outcome)
 * and what moves between them. The id of the authentication on screen is kept in sessionStorage,
 * so a reload reads it again and follows it on: it reconnects and misses nothing.
 */
export const MAIN_SCRIPT = String.raw`
import { session, loadProviders, startAuthentication, readAuthentication, cancelAuthentication, giveUserCode } from './api.js';
import { follow, isTerminal } from './follow.js';
import { profileOf, fillProviderList, showProfile, buildStartBody, clearCustomer } from './customer-form.js';
import { showFieldError, clearFieldError, clearFieldErrors, showStartProblem } from './field-errors.js';
import { setText, renderRunning, renderOutcome, startCountdown, copyText } from './views.js';

const $ = (id) => document.getElementById(id);
const PROVIDER_ITEM = 'ciba-console.provider';
const panels = { signIn: $('sign-in'), start: $('start'), running: $('running'), outcome: $('outcome') };
const startForm = $('start-form');
const running = {
  provider: $('run-provider'), codeBox: $('binding'), noCode: $('no-binding'), code: $('binding-code'),
  codeSpelled: $('binding-spelled'), status: $('status-line'), progress: $('progress'),
  codeForm: $('code-form'), codeError: $('code-error'), codeInput: $('user-code'),
};
const outcome = {
  card: $('outcome-card'), icon: $('outcome-icon'), title: $('outcome-title'), detail: $('outcome-detail'),
  reason: $('outcome-reason'), identity: $('identity'), id: $('outcome-id'), copyStatus: $('copy-status'),
  reference: $('outcome-reference'),
};

let providers = [];
let tracker = null;
let stopCountdown = null;
let countingTo = null;
let shown = null;

/** Shows one screen; focus moves only when the screen changes, never under the agent's typing. */
function show(name, focus) {
  const changing = panels[name].hidden;
  for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
  $('sign-out').hidden = name === 'signIn';
  if (focus && changing) $(focus).focus();
}

async function busy(button, label, work) {
  const idle = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    await work();
  } finally {
    button.disabled = false;
    button.textContent = idle;
  }
}

function stopTracking() {
  if (tracker) tracker.stop();
  if (stopCountdown) stopCountdown();
  tracker = null;
  stopCountdown = null;
  countingTo = null;
  shown = null;
}

function signInError(message) {
  setText($('sign-in-error'), message || '');
  if (message) $('api-key').setAttribute('aria-invalid', 'true');
  else $('api-key').removeAttribute('aria-invalid');
}

function signOut(message) {
  stopTracking();
  session.signOut();
  // The next key may use other providers: nothing of this one's list stays.
  $('provider').replaceChildren();
  clearFieldErrors(startForm);
  signInError(message);
  show('signIn', 'api-key');
}

function showStart(note) {
  stopTracking();
  setText($('start-note'), note || '');
  setText($('start-error'), '');
  clearFieldErrors(startForm);
  show('start', 'provider');
}

function onDocument(doc) {
  if (isTerminal(doc.status)) {
    if (stopCountdown) stopCountdown();
    stopCountdown = null;
    countingTo = null;
    renderOutcome(outcome, doc);
    if (shown !== doc.status) show('outcome', 'outcome-heading');
  } else {
    renderRunning(running, doc);
    if (countingTo !== doc.expiresAt) {
      // A second step (user code) may come with a new deadline.
      if (stopCountdown) stopCountdown();
      stopCountdown = startCountdown($('countdown'), doc.expiresAt);
      countingTo = doc.expiresAt;
    }
    if (shown === null) show('running', 'running-title');
    else if (doc.status === 'awaiting_user_code' && shown !== doc.status) $('user-code').focus();
  }
  shown = doc.status;
}

function track(doc, note) {
  stopTracking();
  session.remember(doc.id);
  setText($('run-note'), note || '');
  setText($('run-error'), '');
  setText($('connection'), '');
  tracker = follow(doc, {
    document: onDocument,
    connection: (state) => setText($('connection'), state === 'live' ? 'Live' : 'Connection lost: reconnecting\u2026'),
    gone: (error) => {
      if (error.status === 401) return signOut('Your key is no longer accepted. Sign in again.');
      session.forget();
      showStart('The authentication is no longer available.');
    },
  });
}

/** After a reload, or to show an authentication the BFF says is already running. */
async function resume(id, note) {
  try {
    track(await readAuthentication(id), note);
  } catch (error) {
    if (error.status === 401) return signOut('Your key is no longer accepted. Sign in again.');
    if (error.status === 404) {
      session.forget();
      return showStart('The last authentication is no longer available.');
    }
    // The BFF is unreachable for now: keep the id, show why, and try again.
    showStart('Cannot reach the BFF (' + error.message + '). Retrying\u2026');
    setTimeout(() => session.current() === id && resume(id, note), 3000);
  }
}

/** The start screen (or the authentication on screen), with this key's providers in the list. */
async function enter(known) {
  let note = '';
  try {
    providers = known || (await loadProviders());
  } catch (error) {
    if (error.status === 401) return signOut('Your key is no longer accepted. Sign in again.');
    note = 'Your providers could not be loaded (' + error.message + '). Reload the page to try again.';
  }
  fillProviderList($('provider'), providers, $('provider').value || sessionStorage.getItem(PROVIDER_ITEM));
  showProfile(startForm, profileOf(providers, $('provider').value));
  const current = session.current();
  if (current) await resume(current);
  else showStart(note);
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('api-key');
  const key = input.value.trim();
  if (!key) return;
  void busy(event.submitter || $('sign-in-button'), 'Signing in\u2026', async () => {
    let offered;
    try {
      offered = await loadProviders(key);
    } catch (error) {
      signInError(error.status === 401 ? 'That key was not accepted. Check it and try again.' : error.message);
      input.select();
      return;
    }
    input.value = '';
    signInError('');
    session.signIn(key);
    await enter(offered);
  });
});

$('sign-out').addEventListener('click', () => signOut());

const refreshProfile = () => showProfile(startForm, profileOf(providers, $('provider').value));
$('provider').addEventListener('change', () => {
  // Another provider, other fields: what was said about the last one no longer applies.
  clearFieldErrors(startForm);
  refreshProfile();
});
$('idura-acr').addEventListener('change', refreshProfile);
// A field the agent corrects stops saying it is wrong.
startForm.addEventListener('input', (event) => clearFieldError(event.target));

startForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const provider = $('provider').value;
  const profile = profileOf(providers, provider);
  clearFieldErrors(startForm);
  setText($('start-error'), '');
  const built = buildStartBody(startForm, provider, profile);
  if (built.error) {
    if (showFieldError(startForm, built.field, built.error)) $(built.field).focus();
    else setText($('start-error'), built.error);
    return;
  }
  void busy($('start-button'), 'Starting\u2026', async () => {
    try {
      const doc = await startAuthentication(built.body);
      sessionStorage.setItem(PROVIDER_ITEM, provider);
      clearCustomer(startForm);
      track(doc);
    } catch (error) {
      if (error.status === 401) return signOut('Your key is no longer accepted. Sign in again.');
      if (error.code === 'pending_exists' && typeof error.problem.pendingId === 'string') {
        clearCustomer(startForm);
        return resume(error.problem.pendingId, 'This customer already had an authentication running: here it is.');
      }
      const shown = showStartProblem(startForm, profile, error);
      setText($('start-error'), shown.rest ? shown.rest + (error.code ? ' (' + error.code + ')' : '') : '');
      if (shown.first) $(shown.first).focus();
    }
  });
});

$('cancel').addEventListener('click', (event) => {
  const id = session.current();
  if (!id || !tracker) return;
  void busy(event.currentTarget, 'Cancelling\u2026', async () => {
    try {
      tracker.push(await cancelAuthentication(id));
    } catch (error) {
      // invalid_state: it ended meanwhile; the stream brings the outcome.
      if (error.code !== 'invalid_state') setText($('run-error'), error.message);
    }
  });
});

$('code-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = session.current();
  const input = $('user-code');
  const code = input.value.trim();
  if (!id || !tracker || !code) return;
  void busy($('code-button'), 'Sending\u2026', async () => {
    try {
      const doc = await giveUserCode(id, code);
      input.value = '';
      tracker.push(doc);
    } catch (error) {
      input.select();
      // A refused code is in the status document (with the count of tries): show it from there.
      const doc = error.code === 'invalid_user_code' ? await readAuthentication(id).catch(() => null) : null;
      if (doc) tracker.push(doc);
      else if (error.code !== 'invalid_state') setText(running.codeError, error.message);
    }
  });
});

$('copy-id').addEventListener('click', () => void copyText($('outcome-id'), $('copy-status')));

$('new').addEventListener('click', () => {
  session.forget();
  showStart();
});

if (session.key()) void enter();
else show('signIn', 'api-key');
`;
