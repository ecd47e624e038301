import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import type { Request, Response } from 'express';
import { BearerConsumers } from './bearer-consumers.js';
import { ConsumerRateLimit } from './consumer-rate-limit.js';

export interface AuthenticatedRequest extends Request {
  consumer: ConsumerConfig;
}

/** One answer for a missing, malformed or wrong key or token (API.md §4, §7). */
export const unauthorized = () =>
  new CibaError(ErrorCode.Unauthorized, 'Send a valid API key or access token as "Authorization: Bearer <key or token>".');

/** Reads the Bearer value (an API key or a JWT access token); the consumer it belongs to is attached to the request. */
export function bearerKey(request: Request): string | null {
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(request.headers.authorization ?? '');
  return match ? match[1] : null;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(BearerConsumers) private readonly consumers: BearerConsumers,
    @Inject(ConsumerRateLimit) private readonly rateLimit: ConsumerRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerKey(request);
    const consumer = key ? await this.consumers.find(key) : null;
    if (!consumer) throw unauthorized();
    request.consumer = consumer;
    const readOnly = request.method === 'GET' || request.method === 'HEAD';
    await this.rateLimit.check(consumer, context.switchToHttp().getResponse<Response>(), readOnly);
    return true;
  }
}
