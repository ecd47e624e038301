import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
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

/**
 * Field decorators for request bodies that validate and document from the same numbers and
 * patterns: what `/docs-json` says a field accepts is what the validation pipe lets through, so the
 * two cannot drift apart.
 */
interface FieldText {
  description?: string;
  example?: unknown;
  /** Absent is allowed (the default); the validation skips an absent field. */
  optional?: boolean;
}

export interface PatternRule {
  regex: RegExp;
  /** The 400 `detail` when the value does not match. */
  message: string;
}

export interface TextRule extends FieldText {
  minLength?: number;
  maxLength?: number;
  /** Each is checked on its own with its own message; documented as `pattern`, or as `allOf` when there are several. */
  patterns?: readonly PatternRule[];
  /**
   * A rule each provider checks for itself (they differ), not the pipe: documented as `pattern`
   * with the generic profile's rule, and explained in the description.
   */
  providerPattern?: RegExp;
}

/** As if written one above the other over the property: the bottom one registers first, as stacked decorators do. */
const stacked = (...decorators: PropertyDecorator[]) => applyDecorators(...decorators.reverse());

const presence = (field: FieldText) => ({ required: !field.optional, description: field.description, example: field.example });

/** A JSON string. */
export function TextField(rule: TextRule): PropertyDecorator {
  const patterns = rule.patterns ?? [];
  const sources = [...patterns.map(({ regex }) => regex.source), ...(rule.providerPattern ? [rule.providerPattern.source] : [])];
  // Nest drops `type` beside `allOf`, so each member says it.
  const documented =
    sources.length > 1
      ? { allOf: sources.map((pattern) => ({ type: 'string', pattern })) }
      : sources.length === 1
        ? { pattern: sources[0] }
        : {};
  return stacked(
    ApiProperty({ type: 'string', minLength: rule.minLength, maxLength: rule.maxLength, ...documented, ...presence(rule) }),
    ...(rule.optional ? [IsOptional()] : []),
    IsString(),
    ...(rule.minLength === undefined ? [] : [MinLength(rule.minLength)]),
    ...(rule.maxLength === undefined ? [] : [MaxLength(rule.maxLength)]),
    ...patterns.map(({ regex, message }) => Matches(regex, { message })),
  );
}

/** A JSON number without a fraction, within bounds. */
export function IntegerField(rule: FieldText & { minimum: number; maximum: number }): PropertyDecorator {
  return stacked(
    ApiProperty({ type: 'integer', minimum: rule.minimum, maximum: rule.maximum, ...presence(rule) }),
    ...(rule.optional ? [IsOptional()] : []),
    IsInt(),
    Min(rule.minimum),
    Max(rule.maximum),
  );
}

/** Any JSON object (not an array); its members are the provider's business, passed on as given. */
export function ObjectField(rule: FieldText): PropertyDecorator {
  return stacked(
    ApiProperty({ type: Object, additionalProperties: true, ...presence(rule) }),
    ...(rule.optional ? [IsOptional()] : []),
    IsObject(),
  );
}

/** A JSON array of objects. */
export function ObjectListField(rule: FieldText): PropertyDecorator {
  return stacked(
    ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, ...presence(rule) }),
    ...(rule.optional ? [IsOptional()] : []),
    IsArray(),
    IsObject({ each: true }),
  );
}

/** A string, or an object for profiles that take one (absent is allowed; `null` is not). */
export function StringOrObjectField(rule: FieldText): PropertyDecorator {
  const isStringOrObject = (value: unknown) =>
    typeof value === 'string' || (value !== null && typeof value === 'object' && !Array.isArray(value));
  const validator: PropertyDecorator = (target, propertyName) =>
    registerDecorator({
      name: 'isStringOrPlainObject',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: { validate: isStringOrObject, defaultMessage: () => `${String(propertyName)} must be a string or an object` },
    });
  return stacked(
    ApiProperty({ oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }], ...presence(rule) }),
    ValidateIf((_object, value) => value !== undefined),
    validator,
  );
}
