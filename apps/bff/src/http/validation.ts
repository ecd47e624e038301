import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { invalidRequest } from '@ciba/ciba';

/** DTO validation: unknown fields rejected, every problem named in one `detail`. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) =>
      invalidRequest(describe(errors).join('; ') || 'The request body must be a JSON object.'),
  });
}

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation' ? `unknown field "${path}"` : message,
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}
