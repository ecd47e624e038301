import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiQuery, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { AuthenticationStatus, ErrorCode } from '@ciba/ciba';
import { StartAuthenticationDto } from '../../authentications/dto/start-authentication.dto.js';
import { UserCodeDto } from '../../authentications/dto/user-code.dto.js';
import { ApiStatusDocument } from '../api-responses.decorators.js';
import { ConsumerOperation } from '../consumer-operation.decorator.js';
import { START_EXAMPLES, STATUS_DOCUMENT_EXAMPLES, USER_CODE_EXAMPLES } from '../examples.js';
import { answerHeaders } from '../response-headers.js';
import { ApiAuthenticationId } from './authentication-parameters.js';

/** `POST /v1/authentications` (API.md §4, "Start"). */
export const StartAuthenticationDocs = () =>
  applyDecorators(
    ConsumerOperation({
      operationId: 'startAuthentication',
      session: 'change',
      summary: "Start a CIBA authentication at a provider: the customer's device is asked",
      takesBody: true,
      problems: [
        ErrorCode.CallbackNotAllowed,
        ErrorCode.ProviderNotAllowed,
        ErrorCode.UnknownProvider,
        ErrorCode.IdempotencyConflict,
        ErrorCode.PendingExists,
        ErrorCode.ProviderRejected,
        ErrorCode.CustomerUnknown,
        ErrorCode.CustomerRateLimited,
        ErrorCode.EnumerationGuard,
        ErrorCode.ProviderInvalidResponse,
        ErrorCode.ProviderUnavailable,
        ErrorCode.ProviderMisconfigured,
      ],
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'The same key with the same body answers the first answer again (the provider is called once); with another body, 409.',
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$', example: 'till-7/receipt-99' },
    }),
    ApiExtraModels(StartAuthenticationDto),
    ApiBody({ required: true, schema: { $ref: getSchemaPath(StartAuthenticationDto) }, examples: START_EXAMPLES }),
    ApiStatusDocument(201, 'Started: the status document (a repeat with the same `Idempotency-Key` and body: the same authentication).', {
      headers: ['Location'],
      examples: { pending: STATUS_DOCUMENT_EXAMPLES.pending },
    }),
  );

/** `GET /v1/authentications/{id}`, with the long-poll. */
export const GetAuthenticationDocs = () =>
  applyDecorators(
    ConsumerOperation({
      operationId: 'getAuthentication',
      session: 'read',
      summary: 'Read the status document; with `wait`, answer as soon as it changes',
      problems: [ErrorCode.InvalidRequest, ErrorCode.NotFound],
    }),
    ApiAuthenticationId(),
    ApiQuery({
      name: 'wait',
      required: false,
      description: 'Long-poll: answer as soon as the status differs from `status`, or after this many seconds with the unchanged document.',
      schema: { type: 'integer', minimum: 1, maximum: 60 },
    }),
    ApiQuery({
      name: 'status',
      required: false,
      enum: Object.values(AuthenticationStatus),
      enumName: 'AuthenticationStatus',
      description: 'With `wait` only: the status to wait for a change from (default: the current one).',
    }),
    ApiStatusDocument(200, 'The status document.', { examples: STATUS_DOCUMENT_EXAMPLES }),
  );

/** `POST /v1/authentications/{id}/user-code` (two-step profiles). */
export const SubmitUserCodeDocs = () =>
  applyDecorators(
    ConsumerOperation({
      operationId: 'submitUserCode',
      session: 'change',
      summary: 'Give the code the customer read out (status `awaiting_user_code`)',
      description:
        "A code the provider refuses answers 422 `invalid_user_code` until the profile's limit of tries; then the authentication is `failed`.",
      takesBody: true,
      problems: [
        ErrorCode.NotFound,
        ErrorCode.InvalidState,
        ErrorCode.ProviderRejected,
        ErrorCode.InvalidUserCode,
        ErrorCode.ProviderInvalidResponse,
        ErrorCode.ProviderUnavailable,
        ErrorCode.ProviderMisconfigured,
      ],
    }),
    ApiAuthenticationId(),
    ApiExtraModels(UserCodeDto),
    ApiBody({ required: true, schema: { $ref: getSchemaPath(UserCodeDto) }, examples: USER_CODE_EXAMPLES }),
    ApiStatusDocument(200, 'Accepted: the status document, `pending` again.'),
  );

/** `DELETE /v1/authentications/{id}`. */
export const CancelAuthenticationDocs = () =>
  applyDecorators(
    ConsumerOperation({
      operationId: 'cancelAuthentication',
      session: 'change',
      summary: 'Cancel: stop polling; a late approval is ignored',
      description: "CIBA has no standard cancel: the customer's device may still show the prompt.",
      problems: [ErrorCode.NotFound, ErrorCode.InvalidState],
    }),
    ApiAuthenticationId(),
    ApiStatusDocument(200, 'The status document, now `cancelled`.'),
  );

const EVENT_STREAM_EXAMPLE =
  'event: status\nid: 1\ndata: {"id":"01JD6V6R3C9T1X3J8N4W2Q5K7M","status":"pending",...}\n\n: ping\n\n' +
  'event: status\nid: 2\ndata: {"id":"01JD6V6R3C9T1X3J8N4W2Q5K7M","status":"approved",...}\n\n';

/** `GET /v1/authentications/{id}/events`: Server-Sent Events, with a comment line every `pingMs`. */
export const StreamAuthenticationEventsDocs = (pingMs: number) =>
  applyDecorators(
    ConsumerOperation({
      operationId: 'streamAuthenticationEvents',
      summary: 'Follow the status as Server-Sent Events',
      description:
        'Every event is `event: status`, `id: <sequence>` (increasing per authentication) and `data: <status document>` on one line. ' +
        'Without `Last-Event-ID` the first event is the current state; with it, the current state only if newer. The stream ends after ' +
        `a terminal status; a \`: ping\` comment every ${pingMs / 1000} s keeps proxies from closing it. Authenticated by the Bearer key or token, or ` +
        'by the `token` of `eventsUrl` (read-only, this authentication only), so a browser `EventSource` can use it.',
      problems: [ErrorCode.NotFound],
    }),
    // Not the console session: a browser's EventSource uses the `token` of `eventsUrl` instead.
    ApiSecurity('eventsToken'),
    ApiAuthenticationId(),
    ApiQuery({ name: 'token', required: false, description: 'The read-only token of `eventsUrl`.', schema: { type: 'string' } }),
    ApiHeader({
      name: 'Last-Event-ID',
      required: false,
      description: 'The `id` of the last event received (an `EventSource` sends it when it reconnects).',
      schema: { type: 'string', example: '3' },
    }),
    ApiResponse({
      status: 200,
      description: 'The event stream; each `data` is a status document.',
      content: { 'text/event-stream': { schema: { type: 'string' }, example: EVENT_STREAM_EXAMPLE } },
      headers: answerHeaders(200, { rateLimited: true }),
    }),
    ApiResponse({
      status: 204,
      description:
        'The authentication has ended and `Last-Event-ID` is its last event: nothing more to send (an `EventSource` stops reconnecting).',
      headers: answerHeaders(204, { rateLimited: true }),
    }),
  );
