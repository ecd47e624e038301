/*
 * Browser module `/console/customer-form.js`: the customer fields each provider profile takes,
 * and the start request built from them. The shapes are the profiles' own (their READMEs under
 * libs/providers/src/<profile>/): the BFF validates every value again and answers 400 with the
 * reason, so this only picks the right form and builds the JSON; it never second-guesses a rule.
 */
export const CUSTOMER_FORM_SCRIPT = String.raw`
const PROFILES = ['generic', 'tbc', 'idura', 'plumery', 'simpleidserver'];

/** The profile of a configured provider id; anything else is treated as a generic CIBA provider. */
export function profileOf(providers, id) {
  const provider = providers.find((candidate) => candidate.id === id);
  return provider && PROFILES.includes(provider.profile) ? provider.profile : 'generic';
}

const PROFILE_NAMES = { tbc: 'TBC Bank', idura: 'Idura', plumery: 'Plumery', simpleidserver: 'SimpleIdServer' };

/**
 * The consumer's providers as the options of the list, the id first (so typing it selects it).
 * Keeps the agent's last choice when it is still offered; with one provider there is nothing to
 * choose; otherwise the agent must pick one: a customer sent to the wrong bank is refused.
 */
export function fillProviderList(select, providers, chosen) {
  const options = providers.map((provider) => {
    const option = document.createElement('option');
    option.value = provider.id;
    const name = PROFILE_NAMES[provider.profile];
    option.textContent = name ? provider.id + ' (' + name + ')' : provider.id;
    return option;
  });
  const value = providers.some((provider) => provider.id === chosen) ? chosen : providers.length === 1 ? providers[0].id : '';
  if (!value) {
    const placeholder = document.createElement('option');
    placeholder.value = '';
    placeholder.textContent = providers.length ? 'Choose a provider' : 'No provider for this key';
    options.unshift(placeholder);
  }
  select.replaceChildren(...options);
  select.value = value;
}

const field = (form, id) => form.querySelector('#' + id);
const text = (form, id) => field(form, id).value.trim();

/** TBC shows no binding message; Norwegian BankID makes its own word pair (both refuse one). */
function takesBindingMessage(form, profile) {
  if (profile === 'tbc') return false;
  if (profile === 'idura') return text(form, 'idura-acr') !== 'urn:grn:authn:no:bankid';
  return true;
}

/** Shows one profile's fields; the others are disabled too, so their required fields do not block the form. */
export function showProfile(form, profile) {
  for (const group of form.querySelectorAll('[data-profile]')) {
    const active = group.dataset.profile === profile;
    group.hidden = !active;
    group.disabled = !active;
  }
  field(form, 'binding-field').hidden = !takesBindingMessage(form, profile);
}

function plumeryHint(form) {
  const hint = {};
  const username = text(form, 'plumery-username');
  const country = text(form, 'plumery-country');
  const personalId = text(form, 'plumery-personal-id');
  const phoneNumber = text(form, 'plumery-phone');
  if (username) hint.username = username;
  if (personalId || country) hint.personalId = { country, id: personalId };
  if (phoneNumber) hint.phoneNumber = phoneNumber;
  return hint;
}

/** { body } for POST /v1/authentications, or { error, field } when the agent must fill something first. */
export function buildStartBody(form, provider, profile) {
  if (!provider) return { error: 'Choose a provider.', field: 'provider' };
  const body = { provider };
  switch (profile) {
    case 'tbc': {
      const kind = form.querySelector('input[name="tbc-kind"]:checked').value;
      body.loginHint = { [kind]: text(form, 'tbc-identifier') };
      break;
    }
    case 'idura':
      body.loginHint = { ssn: text(form, 'idura-ssn') };
      body.acrValues = text(form, 'idura-acr');
      break;
    case 'plumery': {
      body.loginHint = plumeryHint(form);
      if (!body.loginHint.username && !body.loginHint.personalId) return { error: 'Give a user name or a personal id.', field: 'plumery-username' };
      const method = text(form, 'plumery-method');
      if (method) body.acrValues = method;
      break;
    }
    case 'simpleidserver':
      body.loginHint = text(form, 'sis-user');
      // The customer's password, as typed: never trimmed, never kept.
      body.userCode = field(form, 'sis-password').value;
      break;
    default:
      body.loginHint = text(form, 'generic-hint');
  }
  const bindingMessage = text(form, 'binding-message');
  if (bindingMessage && takesBindingMessage(form, profile)) body.bindingMessage = bindingMessage;
  return { body };
}

/** After a start, nothing of this customer stays on screen. */
export function clearCustomer(form) {
  for (const input of form.querySelectorAll('[data-profile] input:not([type="radio"]), #binding-message')) input.value = '';
}
`;
