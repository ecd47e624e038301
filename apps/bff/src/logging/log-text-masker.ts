/**
 * Masks secrets and personal identifiers inside free text (messages, error messages and stacks,
 * provider error bodies) before a log line is written. Field names are handled by
 * `log-field-redaction.ts`; this is for values whose key says nothing, e.g. an openid-client error
 * whose message quotes a URL or a form body.
 *
 * Every rule is idempotent: a masked string masked again is unchanged, so values that are already
 * masked (`*******1111`, `[redacted]`) stay readable. No replacement contains a quote or a
 * backslash, so masking JSON text leaves it valid JSON.
 */

/** Parameter names whose values are secrets or identifiers, in text as `name=value`, `name: value` or `"name":"value"`. */
const SECRET_PARAMETERS = [
  'access_token',
  'id_token_hint',
  'id_token',
  'refresh_token',
  'client_notification_token',
  'login_hint_token',
  'events_token',
  'notification_token',
  'token',
  'client_secret',
  'secret',
  'client_assertion',
  'assertion',
  'password',
  'user_code',
  'login_hint',
  'auth_req_id',
  'api_key',
  'personal_number',
  'phone_number',
  'msisdn',
  'ssn',
];

// `_` matches `_`, `-` or nothing, so `login_hint`, `loginHint` and `login-hint` are one name.
const PARAMETER_NAMES = SECRET_PARAMETERS.map((name) => name.replaceAll('_', '[_-]?')).join('|');

/** Characters that end a parameter value in a query string, form, JSON, inspect output or prose. */
const VALUE_DELIMITERS = `&\\s"'<>#,;)\\\\`;
/** Values that are already masked (`*******1111`, `a****`, `[redacted]`) stay as they are. */
const MASKED_VALUE = `(?:\\*{3,}[^${VALUE_DELIMITERS}*]{0,4}|[^${VALUE_DELIMITERS}*]\\*{3,}|\\[[a-z]+\\])(?:[${VALUE_DELIMITERS}]|$)`;

/**
 * `token=abc` (query strings, form bodies, also inside a URL-encoded URL as `token%3Dabc`),
 * `client_secret: abc`, `"login_hint":"abc"`, `login_hint: 'abc'` (util.inspect output).
 * The name may follow a percent-escape (`%3Ftoken%3D`).
 */
const PARAMETER_PAIR = new RegExp(
  `(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))(${PARAMETER_NAMES})(["']?\\s*(?:=|%3[Dd]|:)\\s*["']?)(?!${MASKED_VALUE})[^${VALUE_DELIMITERS}]+`,
  'gi',
);

/** RFC 6750 §2.1 b64token after an authorization scheme; `Basic` only when it looks like base64 credentials. */
const BEARER = /\b(Bearer|DPoP)(\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const BASIC = /\b(Basic)(\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{6,}=*/gi;

/**
 * JOSE objects: base64url of `{"` is `eyJ`. Three parts (JWS, JWT) or five (JWE) become `[jwt]`;
 * one or two parts (the events-URL token is `payload.signature`) become `[token]`.
 */
const JOSE = /(?<![\w-])eyJ[\w-]{6,}(?:\.[\w-]*){0,4}/g;

/**
 * Personal numbers, SSNs, phone numbers: 8 or more digits standing alone, optionally after `+`
 * (or `%2B`, URL-encoded) and with spaces, hyphens or parentheses between them. Digits inside a
 * word (ids, hashes, base64) are left alone; a match may only start where a run starts, which
 * keeps the scan linear.
 */
const DIGIT_RUN = /(?<![\p{L}\p{Nd}]|\p{Nd}[\s()-]{1,3})(?:\+|%2[Bb])?\p{Nd}(?:[\s()-]{0,3}\p{Nd}){7,}(?![\p{L}\p{Nd}])/gu;
const NOT_DIGIT = /\P{Nd}/gu;

/** JSON escapes them, but JavaScript tooling treats them as line breaks. */
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** Keeps the last four digits, like `mask` in libs/providers/src/hint.ts: `01001011111` → `*******1111`. */
function maskDigits(match: string): string {
  const sign = match.startsWith('+') ? 1 : match.startsWith('%') ? 3 : 0;
  const digits = match.slice(sign).replace(NOT_DIGIT, '');
  return '*'.repeat(digits.length + (sign ? 1 : 0) - 4) + digits.slice(-4);
}

const joseLabel = (match: string): string => (match.split('.').length >= 3 ? '[jwt]' : '[token]');

/**
 * What every pattern above needs at least one of: a digit, a name/value separator (`=`, `:`,
 * `%3D`), `eyJ`, an authorization scheme, or a line separator. Most messages ("authentication
 * started") have none, and one scan for them is far cheaper than the six replacements.
 */
const MAY_HOLD_SECRET = /[\p{Nd}=:%\u2028\u2029]|eyJ|bearer|dpop|basic/iu;

/** The text with every recognised secret or identifier masked. */
export function maskText(text: string): string {
  // Nothing below can match fewer than eight characters.
  if (text.length < 8 || !MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(BEARER, '$1$2[redacted]')
    .replace(BASIC, '$1$2[redacted]')
    .replace(JOSE, joseLabel)
    .replace(PARAMETER_PAIR, '$1$2[redacted]')
    .replace(DIGIT_RUN, maskDigits)
    .replace(LINE_SEPARATORS, (separator) => `\\u${separator.charCodeAt(0).toString(16)}`);
}
