import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import { ErrorCode } from '@ciba/ciba';
import { ConsumerOperation } from '../consumer-operation.decorator.js';
import { answerHeaders } from '../response-headers.js';
import { AuditPageSchema } from '../schemas/audit-page.schema.js';

const instant = (name: string, description: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'string', format: 'date-time', example: '2026-11-22T10:00:00Z' } });

/** `GET /v1/audit` (API.md §6); `cursor` is the pattern the controller checks. */
export const ListAuditDocs = (cursor: RegExp) =>
  applyDecorators(
    ConsumerOperation({
      operationId: 'listAudit',
      session: 'read',
      summary:
        "Read the audit trail (consumers with `admin: true`; in the console, a supervisor reads its consumer's events; 404 for others)",
      problems: [ErrorCode.InvalidRequest, ErrorCode.NotFound],
    }),
    instant('from', 'The earliest event, ISO 8601.'),
    instant('to', 'The latest event, ISO 8601.'),
    ApiQuery({
      name: 'limit',
      required: false,
      description: 'Events per page.',
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'The `nextCursor` of the previous page.',
      schema: { type: 'string', pattern: cursor.source },
    }),
    ApiOkResponse({ description: 'One page, oldest first.', type: AuditPageSchema, headers: answerHeaders(200, { rateLimited: true }) }),
  );
