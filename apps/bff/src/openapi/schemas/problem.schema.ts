import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { ErrorCode } from '@ciba/ciba';
import { AUTHENTICATION_ID_PATTERN } from '../../authentications/authentication-id.js';
import type { ProblemDocument } from '../../http/problem-document.js';
import { PROBLEM_TYPES } from '../../http/problem-types.js';
import type { SameKeys } from './same-keys.js';

/** Every code of the error table, in its order: a code added there is documented with no change here. */
export const ERROR_CODES = Object.keys(PROBLEM_TYPES) as ErrorCode[];

@ApiSchema({
  name: 'Problem',
  description: 'An RFC 9457 problem document (`application/problem+json`) with the machine-readable `code` (API.md §4).',
})
export class ProblemSchema implements ProblemDocument {
  @ApiProperty({
    type: 'string',
    format: 'uri',
    description: 'Names the problem type: `urn:ciba-bff:problem:` and the code.',
    example: 'urn:ciba-bff:problem:not_found',
  })
  type!: string;

  @ApiProperty({ type: 'string', example: 'Not found' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status of the answer.', example: 404 })
  status!: number;

  @ApiProperty({ type: 'string', description: 'What went wrong and what to change; for a 500 only the request id to quote.' })
  detail!: string;

  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', description: 'Machine-readable; see the table in API.md §4.' })
  code!: ErrorCode;

  @ApiPropertyOptional({ type: 'string' })
  instance?: string;

  @ApiPropertyOptional({
    type: 'string',
    description: "The provider's own error code, when the provider refused (its free text is not passed on).",
    example: 'invalid_binding_message',
  })
  providerError?: string;

  @ApiPropertyOptional({
    type: 'string',
    pattern: AUTHENTICATION_ID_PATTERN.source,
    description:
      'With `pending_exists`: the authentication already pending for this customer. Absent when a console agent (not a supervisor) asks and someone else started it.',
  })
  pendingId?: string;

  @ApiPropertyOptional({ type: 'string', description: "This request's id (also in `X-Request-Id`), to quote." })
  requestId?: string;
}

const _problemKeys: SameKeys<ProblemSchema, ProblemDocument> = true;
