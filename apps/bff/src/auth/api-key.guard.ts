import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import type { Request, Response } from 'express';
import { ConsumerDirectory } from './consumer-directory.js';
import { ConsumerRateLimit } from './consumer-rate-limit.js';

export interface AuthenticatedRequest extends Request {
  consumer: ConsumerConfig;
}

/** One answer for a missing, malformed or wrong key (API.md §4). */
export const unauthorized = () => new CibaError(ErrorCode.Unauthorized, 'Send a valid API key as "Authorization: Bearer <key>".');

/** Reads the Bearer key; the consumer it belongs to is attached to the request. */
export function bearerKey(request: Request): string | null {
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(request.headers.authorization ?? '');
  return match ? match[1] : null;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(ConsumerDirectory) private readonly directory: ConsumerDirectory,
    @Inject(ConsumerRateLimit) private readonly rateLimit: ConsumerRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerKey(request);
    const consumer = key ? this.directory.find(key) : null;
    if (!consumer) throw unauthorized();
    request.consumer = consumer;
    const readOnly = request.method === 'GET' || request.method === 'HEAD';
    await this.rateLimit.check(consumer, context.switchToHttp().getResponse<Response>(), readOnly);
    return true;
  }
}
