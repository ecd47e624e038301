import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import type { Request, Response } from 'express';
import { BearerConsumers } from './bearer-consumers.js';
import { AgentRequestAuthenticator } from '../agents/agent-request.authenticator.js';
import type { SignedInAgent } from '../agents/signed-in-agent.js';
import { ConsumerRateLimit } from './consumer-rate-limit.js';

export interface AuthenticatedRequest extends Request {
  consumer: ConsumerConfig;
  /** Set when the caller is a branch agent signed in to the console (session cookie, API.md §7). */
  agent?: SignedInAgent;
}

/** One answer for a missing, malformed or wrong key or token (API.md §4, §7). */
export const unauthorized = () =>
  new CibaError(ErrorCode.Unauthorized, 'Send a valid API key or access token as "Authorization: Bearer <key or token>".');

/** Reads the Bearer value (an API key or a JWT access token); the consumer it belongs to is attached to the request. */
export function bearerKey(request: Request): string | null {
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(request.headers.authorization ?? '');
  return match ? match[1] : null;
}

/**
 * Who calls `/v1`: a consumer by its Bearer value, or (with an `agents` section) a branch agent
 * by the console's session cookie, acting for `agents.consumer`. An `Authorization` header decides
 * alone: a cookie next to it is ignored, so a service's call never depends on a browser's state.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(BearerConsumers) private readonly consumers: BearerConsumers,
    @Inject(ConsumerRateLimit) private readonly rateLimit: ConsumerRateLimit,
    @Optional() @Inject(AgentRequestAuthenticator) private readonly agents?: AgentRequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const readOnly = request.method === 'GET' || request.method === 'HEAD';
    if (this.agents && request.headers.authorization === undefined && this.agents.presentsSession(request)) {
      const caller = await this.agents.authenticate(request, readOnly);
      request.consumer = caller.consumer;
      request.agent = caller.agent;
      await this.rateLimit.check(caller.consumer, response, readOnly, caller.limit);
      return true;
    }
    const key = bearerKey(request);
    const consumer = key ? await this.consumers.find(key) : null;
    if (!consumer) throw unauthorized();
    request.consumer = consumer;
    await this.rateLimit.check(consumer, response, readOnly);
    return true;
  }
}
