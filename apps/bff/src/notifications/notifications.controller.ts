import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { bearerKey } from '../consumers/api-key.guard.js';
import { NotificationService, type NotificationBody } from './notification.service.js';
import { ProviderNotificationDocs } from '../openapi/routes/notifications.docs.js';

/**
 * `POST /ciba/notify/{provider}` (API.md §5): where providers in ping and push mode notify us.
 * Registered at the provider as `{notifications.publicBaseUrl}/ciba/notify/{provider}`. It is
 * not part of the consumer API (no API key; the client_notification_token authenticates).
 */
@ApiTags('provider notifications')
@Controller('ciba/notify')
export class NotificationsController {
  constructor(@Inject(NotificationService) private readonly notifications: NotificationService) {}

  @Post(':provider')
  @HttpCode(204)
  @ProviderNotificationDocs()
  async notify(@Req() request: Request, @Param('provider') provider: string, @Body() body: NotificationBody): Promise<void> {
    await this.notifications.accept(provider, bearerKey(request), body);
  }
}
