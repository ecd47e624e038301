import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOperation, ApiParam, ApiSecurity } from '@nestjs/swagger';
import { ErrorCode } from '@ciba/ciba';
import { ApiProblems } from '../api-responses.decorators.js';
import { answerHeaders } from '../response-headers.js';
import { ProviderNotificationSchema } from '../schemas/notification.schema.js';

/** `POST /ciba/notify/{provider}` (API.md §5): the providers call it, not the consumers. */
export const ProviderNotificationDocs = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'receiveProviderNotification',
      summary: 'Client notification endpoint for ping and push modes (called by the OpenID Provider)',
      description:
        'Register `{notifications.publicBaseUrl}/ciba/notify/{provider}` at the provider. Authenticated by the ' +
        '`client_notification_token` the BFF sent with that request. Ping: the BFF fetches the token at once. Push: the pushed ' +
        'ID Token is validated before anything is stored.',
    }),
    ApiSecurity('clientNotificationToken'),
    ApiParam({
      name: 'provider',
      description: 'The provider id of the configuration.',
      schema: { type: 'string', example: 'sandbox-ping' },
    }),
    ApiBody({ required: true, type: ProviderNotificationSchema }),
    ApiNoContentResponse({ description: 'Accepted.', headers: answerHeaders(204, { rateLimited: false }) }),
    ApiProblems(
      [
        ErrorCode.InvalidRequest,
        ErrorCode.Unauthorized,
        ErrorCode.PayloadTooLarge,
        ErrorCode.UnsupportedMediaType,
        ErrorCode.ProviderUnavailable,
        ErrorCode.StoreUnavailable,
        ErrorCode.InternalError,
      ],
      { rateLimited: false },
    ),
  );
