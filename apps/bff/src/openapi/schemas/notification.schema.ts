import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/**
 * A ping or push notification (CIBA Core §10.2, §10.3, §12). The service reads the fields below and
 * ignores any other, so the schema is open.
 */
@ApiSchema({ name: 'ProviderNotification', description: 'Ping: `auth_req_id` only. Push: the token response, or an error.' })
export class ProviderNotificationSchema {
  @ApiProperty({ type: 'string', minLength: 1, maxLength: 1024 }) auth_req_id!: string;
  @ApiPropertyOptional({ type: 'string', example: 'access_denied' }) error?: string;
  @ApiPropertyOptional({ type: 'string' }) error_description?: string;
  @ApiPropertyOptional({ type: 'string' }) access_token?: string;
  @ApiPropertyOptional({ type: 'string' }) id_token?: string;
  @ApiPropertyOptional({ type: 'string' }) refresh_token?: string;
  @ApiPropertyOptional({ type: 'string' }) token_type?: string;
  @ApiPropertyOptional({ type: 'integer' }) expires_in?: number;
  @ApiPropertyOptional({ type: 'string' }) scope?: string;
}
