/*
 * Browser module `/console/main.js`: the console's screens (sign in, start, running, outcome)
 * and what moves between them. With agent sessions (API.md §7) the sign-in is a link to the
 * bank's workforce provider and the header says who is signed in; a supervisor also sees recent
 * activity. The id of the authentication on screen is kept in sessionStorage,
 * so a reload reads it again and follows it on: it reconnects and misses nothing.
 */
export const MAIN_SCRIPT = String.raw`
import { session, agent, readAgentSession, loadProviders, startAuthentication, readAuthentication, cancelAuthentication, giveUserCode } from './api.js';
import { showAudit } from './audit.js';
import { follow, isTerminal } from './follow.js';
import { profileOf, fillProviderList, showProfile, buildStartBody, clearCustomer } from './customer-form.js';
import { showFieldError, clearFieldError, clearFieldErrors, showStartProblem } from './field-errors.js';
import { setText, renderRunning, renderOutcome, startCountdown, copyText } from './views.js';

const $ = (id) => document.getElementById(id);
const PROVIDER_ITEM = 'ciba-console.provider';
const panels = { signIn: $('sign-in'), agentSignIn: $('agent-sign-in'), start: $('start'), running: $('running'), outcome: $('outcome') };
const audit = { panel: $('audit'), rows: $('audit-rows'), error: $('audit-error') };
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
/** 'key' (API key in this tab) or 'agent' (a session at the BFF): the BFF's configuration decides (the page's data-sign-in). */
let mode = 'key';
let mayReadAudit = false;
let sessionCheck = null;

/** Shows one screen; focus moves only when the screen changes, never under the agent's typing. */
function show(name, focus) {
  const changing = panels[name].hidden;
  for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
  const signedOut = name === 'signIn' || name === 'agentSignIn';
  $('sign-out').hidden = signedOut;
  $('who').hidden = signedOut || mode !== 'agent';
  audit.panel.hidden = signedOut || !mayReadAudit;
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
  // The next key (or agent) may use other providers: nothing of this one's list stays.
  $('provider').replaceChildren();
  clearFieldErrors(startForm);
  if (mode === 'agent') {
    agent.set(null);
    mayReadAudit = false;
    if (sessionCheck) clearTimeout(sessionCheck);
    setText($('agent-sign-in-error'), message || '');
    return show('agentSignIn', 'agent-sign-in-link');
  }
  signInError(message);
  show('signIn', 'api-key');
}

/** What a 401 means to the person at the desk. */
const refused = () =>
  signOut(mode === 'agent' ? 'Your session has ended. Sign in again.' : 'Your key is no longer accepted. Sign in again.');

/** Who is signed in, in the header: the name, and the role that matters for what they may see. */
function showAgent(signedIn) {
  const who = $('who');
  const role = document.createElement('span');
  role.className = 'role';
  role.textContent = mayReadAudit ? ' · supervisor' : ' · agent';
  who.replaceChildren('Signed in as ' + signedIn.agent.name, role);
}

/**
 * An idle session ends at the BFF without the page doing anything: when its time is up, ask the
 * BFF (reading the session does not extend it) and go back to sign-in if it is over.
 */
function watchSession(expiresAt) {
  if (sessionCheck) clearTimeout(sessionCheck);
  const wait = Math.max(1000, Date.parse(expiresAt) - Date.now() + 500);
  sessionCheck = setTimeout(async () => {
    try {
      const found = await readAgentSession();
      if (!found) return refused();
      agent.set(found);
      watchSession(found.expiresAt);
    } catch {
      watchSession(new Date(Date.now() + 5000).toISOString());
    }
  }, Math.min(wait, 2147483647));
}

async function refreshAudit() {
  try {
    mayReadAudit = await showAudit(audit, (id) => void resume(id, 'Opened from recent activity.'));
  } catch (error) {
    if (error.status === 401) refused();
  }
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
      if (error.status === 401) return refused();
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
    if (error.status === 401) return refused();
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
    if (error.status === 401) return refused();
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

$('sign-out').addEventListener('click', () => {
  const signedIn = agent.current();
  if (mode !== 'agent' || !signedIn) return signOut();
  // The BFF ends the session, then the provider's own sign-out page may follow.
  stopTracking();
  session.forget();
  $('sign-out-csrf').value = signedIn.csrfToken;
  $('sign-out-form').submit();
});
$('audit-refresh').addEventListener('click', (event) => void busy(event.currentTarget, 'Refreshing\u2026', refreshAudit));

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
      if (error.status === 401) return refused();
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
  if (mayReadAudit) void refreshAudit();
});

async function boot() {
  if (document.body.dataset.signIn !== 'agent') {
    if (session.key()) return enter();
    return show('signIn', 'api-key');
  }
  mode = 'agent';
  let found;
  try {
    found = await readAgentSession();
  } catch (error) {
    setText($('agent-sign-in-error'), error.message);
    return show('agentSignIn', 'agent-sign-in-link');
  }
  if (!found) return show('agentSignIn', 'agent-sign-in-link');
  agent.set(found);
  watchSession(found.expiresAt);
  await refreshAudit();
  showAgent(found);
  await enter();
}

void boot();
`;
