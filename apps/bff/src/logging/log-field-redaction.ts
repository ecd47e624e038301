import { mask } from '@ciba/providers';

/**
 * Log fields judged by their name. Secrets are replaced whole; personal identifiers are masked
 * the way the BFF masks hints (`*******1111`), so that a line still tells whose request it was.
 */

/** Credentials and tokens: never readable, not even in part. */
const SECRET_FIELDS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'apiKey',
  'x-api-key',
  'token',
  'tokens',
  'tokenResponse',
  'idToken',
  'accessToken',
  'refreshToken',
  'id_token',
  'access_token',
  'refresh_token',
  'idTokenHint',
  'id_token_hint',
  'loginHintToken',
  'login_hint_token',
  'clientNotificationToken',
  'client_notification_token',
  'notificationToken',
  'eventsToken',
  'authReqId',
  'auth_req_id',
  'secret',
  'clientSecret',
  'client_secret',
  'clientAssertion',
  'client_assertion',
  'password',
  'privateKey',
  'encryptionKey',
  'userCode',
  'user_code',
];

/** Who the customer is: masked, last four characters kept. `customer` carries masked values today. */
const IDENTIFIER_FIELDS = [
  'customer',
  'hint',
  'loginHint',
  'login_hint',
  'personalNumber',
  'personal_number',
  'phone',
  'phoneNumber',
  'phone_number',
  'msisdn',
  'ssn',
];

/** Where provider and HTTP payloads nest these fields one level further down. */
const CONTAINERS = ['err', 'cause', 'body', 'params', 'claims', 'result', 'tokens', 'headers'];

export const REDACTED = '[redacted]';

type FieldKind = 'secret' | 'identifier';

/** `login_hint`, `loginHint`, `Login-Hint` are one field. */
const normalise = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

const KINDS = new Map<string, FieldKind>([
  ...SECRET_FIELDS.map((name) => [normalise(name), 'secret'] as const),
  ...IDENTIFIER_FIELDS.map((name) => [normalise(name), 'identifier'] as const),
]);

// Log field names come from code and from provider payloads; remember the few hundred seen.
const kindCache = new Map<string, FieldKind | null>();
const KIND_CACHE_LIMIT = 2000;

function fieldKind(name: string): FieldKind | null {
  let kind = kindCache.get(name);
  if (kind === undefined) {
    kind = KINDS.get(normalise(name)) ?? null;
    if (kindCache.size < KIND_CACHE_LIMIT) kindCache.set(name, kind);
  }
  return kind;
}

/** Output of `mask` or of a redaction, which must stay readable as it is. */
const ALREADY_MASKED = /^(?:\*+[^*]{0,4}|[^*]\*{3,}|\[[a-z]+\])$/;

/** An identifier masked as `mask` in hint.ts does it; masked values pass unchanged. */
export function maskIdentifier(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return mask(String(value));
  if (typeof value !== 'string') return REDACTED;
  return ALREADY_MASKED.test(value) ? value : mask(value);
}

/** Marks a field that is not sensitive by name. */
export const NOT_SENSITIVE: unique symbol = Symbol('not sensitive');

/** The value to log for a field, or NOT_SENSITIVE when its name says nothing. */
export function censorField(name: string, value: unknown): unknown {
  switch (fieldKind(name)) {
    case 'secret':
      return value === null || value === undefined ? value : REDACTED;
    case 'identifier':
      return maskIdentifier(value);
    default:
      return NOT_SENSITIVE;
  }
}

/** pino's `censor`: the path's last segment names the field. */
export function redactCensor(value: unknown, path: string[]): unknown {
  const censored = censorField(path[path.length - 1] ?? '', value);
  return censored === NOT_SENSITIVE ? REDACTED : censored;
}

const pathSegment = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`);
const join = (prefix: string, segment: string): string => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);

/**
 * pino `redact` paths for every sensitive name: at the top, and one and two levels down under
 * the containers where payloads nest (`headers.authorization`, `result.tokens.idToken`,
 * `err.cause.login_hint`). Paths that start with `*` are left out on purpose: pino then runs its
 * redactor over every field of every line (measured: 46 names as `*.name` made a line about
 * eight times slower), and the masking formatter (`log-sanitizer.ts`) already censors these
 * names at any depth. These paths are the declared floor should the formatter be bypassed.
 */
export const REDACT_PATHS: string[] = [...SECRET_FIELDS, ...IDENTIFIER_FIELDS].flatMap((name) => {
  const segment = pathSegment(name);
  return [segment, ...CONTAINERS.flatMap((container) => [join(container, segment), join(`${container}.*`, segment)])];
});
