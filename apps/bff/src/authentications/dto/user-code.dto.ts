import { RequestSchema } from '../../openapi/request-schema.decorator.js';
import { TextField } from '../../openapi/validated-field.decorators.js';

/** `POST /v1/authentications/{id}/user-code`. */
@RequestSchema({ name: 'UserCodeRequest' })
export class UserCodeDto {
  @TextField({
    patterns: [{ regex: /^[^\p{Cc}\p{Cf}]{1,128}$/u, message: 'userCode must be 1-128 printable characters' }],
    description: 'The code the customer read out; it goes to the provider and nowhere else.',
    example: '483920',
  })
  userCode!: string;
}
