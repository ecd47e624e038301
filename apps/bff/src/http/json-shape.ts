import { CibaError, ErrorCode } from '@ciba/ciba';
import type { NextFunction, Request, Response } from 'express';

/** Deeper than any request of ours needs; recursive validators must never see more. */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys that JavaScript treats specially. Frameworks strip or skip them silently, which would hide
 * them from the "unknown fields are rejected" rule; they are refused here, by name.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * Walks a parsed JSON body without recursion: too deep, or a reserved key anywhere, is a 400
 * before any validator (some recurse) touches it.
 */
export function checkJsonShape(body: unknown): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      throw new CibaError(ErrorCode.InvalidRequest, `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    for (const key of Object.keys(value)) {
      const child = path ? `${path}.${key}` : key;
      if (RESERVED_KEYS.has(key)) throw new CibaError(ErrorCode.InvalidRequest, `unknown field "${child}"`);
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: child });
    }
  }
}

export function jsonShape(request: Request, _response: Response, next: NextFunction): void {
  try {
    checkJsonShape(request.body);
    next();
  } catch (error) {
    next(error);
  }
}
