import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AuthenticationStatus, OutcomeErrorCode, type Initiator, type TokenSet } from '@ciba/ciba';
import { AUTHENTICATION_ID_PATTERN } from '../../authentications/authentication-id.js';
import type { StatusDocument } from '../../authentications/status-document.js';
import { INITIATOR_MODELS, initiatorProperty } from './initiator.schema.js';
import type { SameKeys } from './same-keys.js';

type Result = NonNullable<StatusDocument['result']>;
type OutcomeError = NonNullable<StatusDocument['error']>;
type WebhookStatus = NonNullable<StatusDocument['webhook']>;

@ApiSchema({ name: 'TokenSet', description: 'Present only for consumers configured with `receiveTokens: true`.' })
export class TokenSetSchema implements TokenSet {
  @ApiPropertyOptional({ type: 'string' }) accessToken?: string;
  @ApiPropertyOptional({ type: 'string' }) idToken?: string;
  @ApiPropertyOptional({ type: 'string' }) refreshToken?: string;
  @ApiPropertyOptional({ type: 'string', example: 'Bearer' }) tokenType?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Seconds.', example: 300 }) expiresIn?: number;
  @ApiPropertyOptional({ type: 'string', example: 'openid profile' }) scope?: string;
}

@ApiSchema({ name: 'AuthenticationResult', description: 'What an approval established, from the fully validated ID Token.' })
export class AuthenticationResultSchema implements Result {
  @ApiProperty({ type: 'string', example: '248289761001' }) subject!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The claims of the ID Token after full validation.',
    example: { sub: '248289761001', name: 'Alice', personal_number: '01001011111' },
  })
  claims!: Record<string, unknown>;

  @ApiProperty({ type: 'string', nullable: true, example: 'urn:grn:authn:se:bankid' }) acr!: string | null;
  @ApiProperty({ type: 'string', isArray: true, nullable: true, example: ['mobile-id'] }) amr!: string[] | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) authTime!: string | null;
  @ApiPropertyOptional({ type: () => TokenSetSchema }) tokens?: TokenSet;
}

@ApiSchema({ name: 'OutcomeError', description: 'Why an authentication ended without approval, or the last wrong user code.' })
export class OutcomeErrorSchema implements OutcomeError {
  @ApiProperty({ enum: Object.values(OutcomeErrorCode), enumName: 'OutcomeErrorCode' }) code!: OutcomeError['code'];
  @ApiProperty({ type: 'string', example: 'The customer declined.' }) description!: string;
}

@ApiSchema({ name: 'WebhookStatus', description: 'Delivery of the terminal status document to the `callbackUrl`.' })
export class WebhookStatusSchema implements WebhookStatus {
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] satisfies WebhookStatus['state'][] }) state!: WebhookStatus['state'];
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @ApiProperty({ type: 'string', nullable: true, description: "A status code or a connection error, never the receiver's body." })
  lastError!: string | null;
}

@ApiSchema({ name: 'StatusDocument', description: 'What a consumer sees of an authentication (API.md §4, "The status document").' })
@ApiExtraModels(...INITIATOR_MODELS)
export class StatusDocumentSchema implements StatusDocument {
  @ApiProperty({ type: 'string', pattern: AUTHENTICATION_ID_PATTERN.source, example: '01JD6V6R3C9T1X3J8N4W2Q5K7M' }) id!: string;
  @ApiProperty({ type: 'string', example: 'sandbox' }) provider!: string;

  @ApiProperty({
    enum: Object.values(AuthenticationStatus),
    enumName: 'AuthenticationStatus',
    description: '`approved`, `denied`, `expired`, `failed` and `cancelled` are terminal and never change again.',
  })
  status!: StatusDocument['status'];

  @ApiProperty({ type: 'string', nullable: true, description: 'The one sent, or the one the provider generated.', example: 'W4SP-1234' })
  bindingMessage!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'till-7/receipt-99' }) reference!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds between polls, in force now.', example: 5 }) interval!: number;

  @ApiProperty({ type: 'string', nullable: true, description: "The provider's latest word on a pending authentication." })
  progress!: string | null;

  @ApiProperty({
    type: 'string',
    description: 'The event stream of this authentication, with a read-only token an `EventSource` can use.',
    example: '/v1/authentications/01JD6V6R3C9T1X3J8N4W2Q5K7M/events?token=eyJh.c2ln',
  })
  eventsUrl!: string;

  @ApiProperty({ type: () => AuthenticationResultSchema, nullable: true, description: 'Set when `approved`.' })
  result!: Result | null;

  @ApiProperty({
    type: () => OutcomeErrorSchema,
    nullable: true,
    description: 'Set when `denied`, `expired` or `failed`; in `awaiting_user_code` the last wrong-code answer.',
  })
  error!: OutcomeError | null;

  @initiatorProperty('Who started it (API.md §7): an agent in the console, or the consumer itself.')
  initiatedBy!: Initiator;

  @ApiPropertyOptional({ type: () => WebhookStatusSchema, description: 'Present only when the request had a `callbackUrl`.' })
  webhook?: WebhookStatus;
}

const _resultKeys: SameKeys<AuthenticationResultSchema, Result> = true;
const _tokenKeys: SameKeys<TokenSetSchema, TokenSet> = true;
const _errorKeys: SameKeys<OutcomeErrorSchema, OutcomeError> = true;
const _webhookKeys: SameKeys<WebhookStatusSchema, WebhookStatus> = true;
const _statusDocumentKeys: SameKeys<StatusDocumentSchema, StatusDocument> = true;
