/*
 * Browser module `/console/field-errors.js`: a refused start shown by the field it is about. The
 * BFF names the member of the request body it refused (API.md §4: a 400 `invalid_request` whose
 * `detail` starts with `bindingMessage`, `loginHint.personal_number`, ...); the agent typed into
 * a field with a label, so the message goes under that field, in the label's words, with
 * `aria-invalid` and `aria-describedby` so a screen reader reads it with the field.
 */
export const FIELD_ERRORS_SCRIPT = String.raw`
/** The main customer field of each profile, and what the form calls it. */
const HINT_FIELD = {
  generic: ['generic-hint', 'the customer identifier'],
  tbc: ['tbc-identifier', 'the number'],
  idura: ['idura-ssn', 'the SSN'],
  plumery: ['plumery-username', 'the user name'],
  simpleidserver: ['sis-user', 'the user'],
};

/**
 * The API's names for what the agent typed, most precise first: [pattern, field id or
 * { profile: [id, words] }, the form's words]. Member paths are matched before the members they are in.
 */
const MEMBERS = [
  [/^provider/, 'provider', 'the provider'],
  [/loginHint\.personalId\.country/, 'plumery-country', 'the country'],
  [/loginHint\.personalId(\.id)?/, 'plumery-personal-id', 'the personal id'],
  [/loginHint\.phoneNumber/, 'plumery-phone', 'the phone number'],
  [/loginHint\.username/, 'plumery-username', 'the user name'],
  [/loginHint\.personal_number/, 'tbc-identifier', 'the personal number'],
  [/loginHint\.msisdn/, 'tbc-identifier', 'the phone number'],
  [/loginHint\.ssn/, 'idura-ssn', 'the SSN'],
  [/bindingMessage/, 'binding-message', 'the binding message'],
  [/acrValues/, { idura: ['idura-acr', 'the electronic ID'], plumery: ['plumery-method', 'the method'] }, 'the method'],
  [/userCode/, { simpleidserver: ['sis-password', "the customer's password"] }, 'the code'],
];

/** Plumery's method rules name the request's members; the form has its own fields for them. */
const PLUMERY_METHOD_NEEDS = [
  [/^acrValues mobile-id needs/, 'plumery-phone', "Mobile-ID needs the customer's phone number (+370\u2026)."],
  [/^acrValues smart-id needs/, 'plumery-personal-id', "Smart-ID needs the customer's personal id and its country."],
];

const capitalised = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (text) => capitalised(text.trim()).replace(/([^.!?])$/, '$1.');

/** One refused member, in the form's words: "loginHint: not valid" -> "Not valid." */
function inFormWords(part, pattern, words) {
  const match = part.match(pattern);
  let rest = part;
  if (match && match.index === 0) {
    rest = part.slice(match[0].length);
    rest = rest.startsWith(':') ? rest.slice(1) : words + rest;
  }
  for (const [other, , otherWords] of MEMBERS) rest = rest.replace(other, otherWords);
  return sentence(rest.replace(/\bloginHint\b/g, 'the customer'));
}

/** [field id, message] for one part of a detail, or null when no field of this profile is meant. */
function fieldFor(profile, part) {
  if (profile === 'plumery') {
    const need = PLUMERY_METHOD_NEEDS.find(([pattern]) => pattern.test(part));
    if (need) return [need[1], need[2]];
  }
  for (const [pattern, target, words] of MEMBERS) {
    if (!pattern.test(part)) continue;
    const [id, own] = typeof target === 'string' ? [target, words] : target[profile] || [];
    return id ? [id, inFormWords(part, pattern, own)] : null;
  }
  if (/\bloginHint\b/.test(part)) {
    const [id, words] = HINT_FIELD[profile] || HINT_FIELD.generic;
    return [id, inFormWords(part, /loginHint/, words)];
  }
  return null;
}

/** The request's members, by which each refusal in a joined detail begins. */
const REFUSAL_START = /^(unknown field|loginHint|loginHintToken|idTokenHint|bindingMessage|acrValues|userCode|provider|scope|claims|requestedExpiry|authorizationDetails|uiLocales|callbackUrl|reference)/;

/** The BFF joins several refusals with "; ", and one refusal may hold "; " itself ("...; it has 3."). */
function refusals(detail) {
  const parts = [];
  for (const piece of detail.split('; ')) {
    if (parts.length && !REFUSAL_START.test(piece)) parts[parts.length - 1] += '; ' + piece;
    else parts.push(piece);
  }
  return parts;
}

const errorId = (input) => input.id + '-error';

/** Shows a message under one field and ties it to the field for assistive technology. */
export function showFieldError(form, id, message) {
  const input = form.querySelector('#' + id);
  if (!input) return false;
  let note = form.querySelector('#' + errorId(input));
  if (!note) {
    note = document.createElement('p');
    note.id = errorId(input);
    note.className = 'field-error';
    input.after(note);
  }
  note.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  const described = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  if (!described.includes(note.id)) input.setAttribute('aria-describedby', [note.id, ...described].join(' '));
  return true;
}

export function clearFieldError(input) {
  const note = document.getElementById(errorId(input));
  if (!note) return;
  note.remove();
  input.removeAttribute('aria-invalid');
  const described = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter((id) => id && id !== note.id);
  if (described.length) input.setAttribute('aria-describedby', described.join(' '));
  else input.removeAttribute('aria-describedby');
}

export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) clearFieldError(input);
}

/**
 * Puts what a refused start says by the fields it is about; returns the parts no field of this
 * profile owns (for the banner) and the first field shown, to move the focus to.
 */
export function showStartProblem(form, profile, error) {
  let parts = [];
  if (error.code === 'invalid_request') parts = refusals(String(error.message));
  else if (error.code === 'customer_unknown') parts = ['loginHint: the provider does not know this customer'];
  else if (error.code === 'provider_rejected' && error.problem.providerError === 'invalid_binding_message')
    parts = ['bindingMessage: the provider refused this binding message'];
  const rest = [];
  let first = null;
  for (const part of parts) {
    const field = fieldFor(profile, part);
    if (field && showFieldError(form, field[0], field[1])) first = first || field[0];
    else rest.push(part);
  }
  return { first, rest: first ? rest.join('; ') : error.message };
}
`;
