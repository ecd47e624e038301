import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

type Constructor<T> = new () => T;

/** Validates one section into a schema instance; problems are collected with their key path. */
export function validateSection<T extends object>(schema: Constructor<T>, value: unknown, path: string, problems: string[]): T {
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    problems.push(`${path}: must be a mapping`);
    return new schema();
  }
  const instance = plainToInstance(schema, value ?? {}, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  for (const error of errors) collect(error, path, problems);
  return instance;
}

function collect(error: ValidationError, parent: string, problems: string[]): void {
  const path = `${parent}.${error.property}`;
  for (const [rule, message] of Object.entries(error.constraints ?? {})) {
    problems.push(rule === 'whitelistValidation' ? `${path}: unknown key` : `${path}: ${message}`);
  }
  for (const child of error.children ?? []) collect(child, path, problems);
}
