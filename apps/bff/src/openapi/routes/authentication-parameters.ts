import { ApiParam } from '@nestjs/swagger';
import { AUTHENTICATION_ID_PATTERN } from '../../authentications/authentication-id.js';

/** `{id}` of an authentication: an id that cannot exist answers 404, exactly like an unknown one. */
export const ApiAuthenticationId = () =>
  ApiParam({
    name: 'id',
    description: 'The `id` of the status document. Any other value answers 404 `not_found`.',
    schema: { type: 'string', pattern: AUTHENTICATION_ID_PATTERN.source, example: '01JD6V6R3C9T1X3J8N4W2Q5K7M' },
  });
