import { IntegerField, ObjectField, ObjectListField, StringOrObjectField, TextField } from '../../openapi/validated-field.decorators.js';
import { RequestSchema } from '../../openapi/request-schema.decorator.js';

const PRINTABLE = /^[^\p{Cc}\p{Cf}]*$/u;

/** CIBA Core §7.1: exactly one of them identifies the customer (checked by `hintOf`). */
export const HINT_FIELDS = ['loginHint', 'loginHintToken', 'idTokenHint'] as const;

/**
 * oidc-provider's rule, which the generic profile (the sandbox's) applies; the strictest in common use.
 * Documented only: each provider checks its own rule (see `ProfileAdapter.bindingMessage`).
 */
const GENERIC_BINDING_MESSAGE = /^[a-zA-Z0-9\-._+/!?#]{1,20}$/;

/** `POST /v1/authentications` (API.md §4). Unknown fields are rejected by the global pipe. */
@RequestSchema({
  name: 'StartAuthenticationRequest',
  description: 'Exactly one of `loginHint`, `loginHintToken` and `idTokenHint`; unknown fields are refused.',
  exactlyOneOf: HINT_FIELDS,
})
export class StartAuthenticationDto {
  @TextField({
    patterns: [{ regex: /^[a-z0-9][a-z0-9_-]{0,62}$/, message: 'provider must be a configured provider id' }],
    description: 'A provider id of the configuration that this consumer may use.',
    example: 'sandbox',
  })
  provider!: string;

  @StringOrObjectField({
    optional: true,
    description:
      'The customer: a string, or an object for profiles that take one, such as `{"personal_number": "01001011111"}` or ' +
      '`{"msisdn": "995599123456"}` (tbc) or `{"ssn": "..."}` (idura). Each profile checks its own forms; a malformed hint is a 400.',
    example: '01001011111',
  })
  loginHint?: string | Record<string, unknown>;

  @TextField({ optional: true, maxLength: 8192, description: 'A login hint token the provider issued.' })
  loginHintToken?: string;

  @TextField({ optional: true, maxLength: 8192, description: 'An ID Token the provider issued to this client, as a hint.' })
  idTokenHint?: string;

  @TextField({
    optional: true,
    maxLength: 1024,
    patterns: [
      { regex: /(^|\s)openid(\s|$)/, message: 'scope must contain "openid"' },
      // RFC 6749 §3.3: scope-tokens of printable ASCII except " and \, separated by single spaces.
      {
        regex: /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/,
        message: 'scope must be scope tokens separated by single spaces',
      },
    ],
    description: "Space-separated scopes including `openid`; default: the provider's configured scope.",
    example: 'openid profile',
  })
  scope?: string;

  @TextField({
    optional: true,
    minLength: 1,
    maxLength: 128,
    providerPattern: GENERIC_BINDING_MESSAGE,
    description:
      "Shown on the customer's device. Without it the BFF generates a short code (unless the provider makes its own). " +
      "A given one must satisfy the provider's rule, else 400: the pattern is the generic profile's (the sandbox's, and " +
      'the strictest in common use); idura takes up to 40 letters, digits, spaces and punctuation, simpleidserver up to 150 ' +
      'characters, tbc none at all.',
    example: 'W4SP-1234',
  })
  bindingMessage?: string;

  @TextField({
    optional: true,
    maxLength: 512,
    patterns: [{ regex: PRINTABLE, message: 'acrValues must be printable text' }],
    example: 'urn:grn:authn:se:bankid',
  })
  acrValues?: string;

  @ObjectField({ optional: true, description: 'The OpenID Connect `claims` request parameter, passed on as given.' })
  claims?: Record<string, unknown>;

  @TextField({
    optional: true,
    patterns: [{ regex: /^[^\p{Cc}\p{Cf}]{1,128}$/u, message: 'userCode must be 1-128 printable characters' }],
    description: 'CIBA `user_code`, for providers that require one at the start.',
  })
  userCode?: string;

  @IntegerField({ optional: true, minimum: 1, maximum: 3600, description: 'Seconds.', example: 120 })
  requestedExpiry?: number;

  @ObjectListField({ optional: true, description: 'RFC 9396 authorization details, passed on as given.' })
  authorizationDetails?: Record<string, unknown>[];

  @TextField({
    optional: true,
    patterns: [{ regex: /^[A-Za-z0-9-]{1,35}( [A-Za-z0-9-]{1,35}){0,9}$/, message: 'uiLocales must be space-separated language tags' }],
    example: 'ka en',
  })
  uiLocales?: string;

  @TextField({
    optional: true,
    maxLength: 2048,
    description:
      "Where the terminal status document is POSTed: https to a host in this consumer's webhook `allowedHosts` " +
      '(http only to loopback with `allowLoopback`); anything else is a 400 `callback_not_allowed`.',
    example: 'https://pos.example.com/ciba/result',
  })
  callbackUrl?: string;

  @TextField({
    optional: true,
    maxLength: 200,
    patterns: [{ regex: PRINTABLE, message: 'reference must be printable text' }],
    description: "The consumer's own reference, returned in the status document.",
    example: 'till-7/receipt-99',
  })
  reference?: string;
}
