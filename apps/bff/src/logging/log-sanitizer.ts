import { pino } from 'pino';
import { censorField, NOT_SENSITIVE } from './log-field-redaction.js';
import { maskText } from './log-text-masker.js';

// pino prints no deeper and no wider than this (its depthLimit 5, edgeLimit 100): past them
// nothing is written, so nothing needs masking.
const MAX_DEPTH = 6;
const MAX_ITEMS = 100;
const TRUNCATED = '[...]';

/**
 * A log value with sensitive fields censored (at any depth) and every string masked. Errors
 * become pino's serialized form first, so their message, stack, causes and the properties
 * openid-client and undici hang on them (URLs, bodies) are masked too. Copy on write: an object
 * in which nothing changes is returned as it is, so the usual flat log object costs no copy.
 */
export function sanitizeLogValue(value: unknown): unknown {
  return sanitize(value, 0, new Set());
}

/** pino's `err` serializer, then the same masking. Idempotent on an already serialized error. */
export function maskedErrorSerializer(value: unknown): unknown {
  return isError(value) ? sanitizeLogValue(value) : value;
}

/** Also true for errors from another realm (undici's, seen from a vm context such as Jest's). */
export function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

function sanitize(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return TRUNCATED;
  if (ancestors.has(value)) return '[Circular]';
  if (isError(value)) return sanitize(pino.stdSerializers.err(value), depth, ancestors);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return sanitizeArray(value, depth, ancestors);
    // Date, URL and the like write what toJSON gives (an ISO date, a URL with its query).
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return sanitize(toJSON.call(value), depth, ancestors);
    return sanitizeObject(value as Record<string, unknown>, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function sanitizeArray(items: unknown[], depth: number, ancestors: Set<object>): unknown[] {
  let out: unknown[] | undefined;
  const length = Math.min(items.length, MAX_ITEMS);
  for (let i = 0; i < length; i += 1) {
    const next = sanitize(items[i], depth + 1, ancestors);
    if (next !== items[i]) (out ??= items.slice(0, length))[i] = next;
  }
  if (items.length > MAX_ITEMS) return [...(out ?? items.slice(0, MAX_ITEMS)), `${TRUNCATED} ${items.length - MAX_ITEMS} more`];
  return out ?? items;
}

function sanitizeObject(object: Record<string, unknown>, depth: number, ancestors: Set<object>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key];
    const censored = censorField(key, value);
    const next = censored === NOT_SENSITIVE ? sanitize(value, depth + 1, ancestors) : censored;
    if (next !== value) (out ??= { ...object })[key] = next;
  }
  return out ?? object;
}
