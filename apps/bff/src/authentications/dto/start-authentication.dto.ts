import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  registerDecorator,
} from 'class-validator';

/** `loginHint` is a string, or an object for profiles that take one. */
function IsStringOrPlainObject(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringOrPlainObject',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => typeof value === 'string' || (value !== null && typeof value === 'object' && !Array.isArray(value)),
        defaultMessage: () => 'loginHint must be a string or an object',
      },
    });
}

const PRINTABLE = /^[^\p{Cc}\p{Cf}]*$/u;

/** `POST /v1/authentications` (API.md §4). Unknown fields are rejected by the global pipe. */
export class StartAuthenticationDto {
  @ApiProperty({ example: 'sandbox' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'provider must be a configured provider id' })
  provider!: string;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'object' }], example: 'alice' })
  @ValidateIf((dto: StartAuthenticationDto) => dto.loginHint !== undefined)
  @IsStringOrPlainObject()
  loginHint?: string | Record<string, unknown>;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(8192) loginHintToken?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(8192) idTokenHint?: string;

  @ApiPropertyOptional({ example: 'openid profile' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @Matches(/(^|\s)openid(\s|$)/, { message: 'scope must contain "openid"' })
  // RFC 6749 §3.3: scope-tokens of printable ASCII except " and \, separated by single spaces.
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, { message: 'scope must be scope tokens separated by single spaces' })
  scope?: string;

  @ApiPropertyOptional({ example: 'W4SP-1234' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  bindingMessage?: string;

  @ApiPropertyOptional({ example: 'urn:grn:authn:se:bankid' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(PRINTABLE, { message: 'acrValues must be printable text' })
  acrValues?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() claims?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[^\p{Cc}\p{Cf}]{1,128}$/u, { message: 'userCode must be 1-128 printable characters' })
  userCode?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600, example: 120 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  requestedExpiry?: number;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } })
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  authorizationDetails?: Record<string, unknown>[];

  @ApiPropertyOptional({ example: 'ka en' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,35}( [A-Za-z0-9-]{1,35}){0,9}$/, { message: 'uiLocales must be space-separated language tags' })
  uiLocales?: string;

  @ApiPropertyOptional({ example: 'https://pos.example.com/ciba/result' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  callbackUrl?: string;

  @ApiPropertyOptional({ example: 'till-7/receipt-99' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(PRINTABLE, { message: 'reference must be printable text' })
  reference?: string;
}
