/*
 * Browser module `/console/assurance.js`: a name an agent can read for the level of assurance
 * (`result.acr`), whose raw value is a URN or a provider's code. The outcome card shows the name
 * and keeps the raw value in its `title`, so nothing is hidden from someone who needs it.
 */
export const ASSURANCE_SCRIPT = String.raw`
const NAMES = {
  // The sandbox provider (apps/sandbox-op, acr_values_supported).
  'urn:sandbox:acr:high': 'High (sandbox)',
  'urn:sandbox:acr:substantial': 'Substantial (sandbox)',
  // Idura's eIDs (libs/providers/src/idura/idura-acr.ts).
  'urn:grn:authn:se:bankid': 'Swedish BankID',
  'urn:grn:authn:no:bankid': 'Norwegian BankID',
  'urn:grn:authn:se:frejaid': 'Freja eID',
  // TBC Bank.
  'urn:tbc:loa:high': 'High (TBC Bank)',
  'urn:tbc:loa:substantial': 'Substantial (TBC Bank)',
  // Plumery's methods, which it returns as acr.
  'smart-id': 'Smart-ID',
  'mobile-id': 'Mobile-ID',
  'app-passcode': 'App passcode',
  'app-biometrics': 'App biometrics',
  // eIDAS levels of assurance (Regulation 910/2014, Art. 8).
  'http://eidas.europa.eu/LoA/low': 'eIDAS low',
  'http://eidas.europa.eu/LoA/substantial': 'eIDAS substantial',
  'http://eidas.europa.eu/LoA/high': 'eIDAS high',
};

/** An unknown URN still reads better by its last word ("urn:bank:loa:3" -> "Level 3"). */
function fromShape(acr) {
  const last = acr.split(/[:/#]/).filter(Boolean).pop() || acr;
  if (/^\d+$/.test(last)) return 'Level ' + last;
  if (/^(low|substantial|high)$/i.test(last)) return last.charAt(0).toUpperCase() + last.slice(1).toLowerCase();
  return acr;
}

/** { name, raw } for the outcome card; both a dash when the provider sent no acr. */
export function assuranceName(acr) {
  if (typeof acr !== 'string' || !acr) return { name: '\u2014', raw: '' };
  return { name: NAMES[acr] || fromShape(acr), raw: acr };
}
`;
