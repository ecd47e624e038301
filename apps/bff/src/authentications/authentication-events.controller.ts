import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { bearerKey, unauthorized } from '../consumers/api-key.guard.js';
import { BearerConsumers } from '../consumers/bearer-consumers.js';
import { ConsumerDirectory } from '../consumers/consumer-directory.js';
import { ConsumerRateLimit } from '../consumers/consumer-rate-limit.js';
import { PING_INTERVAL_MS } from '../delivery/sse-stream.js';
import { StatusFeed } from '../delivery/status-feed.js';
import { StreamAuthenticationEventsDocs } from '../openapi/routes/authentications.docs.js';
import { checkedId } from './authentications.controller.js';
import type { Caller } from './caller.js';
import { EventsTokens } from './events-token.js';

/**
 * `GET /v1/authentications/{id}/events`: Server-Sent Events. This route decides who may follow
 * the authentication and from which event; `StatusFeed` serves the stream.
 */
@ApiTags('authentications')
@Controller('v1/authentications')
export class AuthenticationEventsController {
  constructor(
    @Inject(StatusFeed) private readonly feed: StatusFeed,
    @Inject(ConsumerDirectory) private readonly directory: ConsumerDirectory,
    @Inject(BearerConsumers) private readonly bearers: BearerConsumers,
    @Inject(EventsTokens) private readonly tokens: EventsTokens,
    @Inject(ConsumerRateLimit) private readonly rateLimit: ConsumerRateLimit,
  ) {}

  @Get(':id/events')
  @StreamAuthenticationEventsDocs(PING_INTERVAL_MS)
  async stream(@Req() request: Request, @Res() response: Response, @Param('id') rawId: string, @Query('token') token?: string) {
    const id = checkedId(rawId);
    const caller = await this.authenticate(request, id, token);
    await this.rateLimit.check(caller.consumer, response, true);
    await this.feed.serve(caller, id, lastEventId(request), request, response);
  }

  /**
   * The Bearer key or access token, or the read-only token of this authentication's `eventsUrl`.
   * Either is a caller without an agent: a token names one authentication and is handed out only
   * in a status document of it, so whoever holds it (a plain agent included) was allowed to see it.
   */
  private async authenticate(request: Request, id: string, token: string | undefined): Promise<Caller> {
    const bearer = bearerKey(request);
    const consumer = bearer ? await this.bearers.find(bearer) : token ? this.directory.byId(this.tokens.verify(token, id) ?? '') : null;
    if (!consumer) throw unauthorized();
    return { consumer };
  }
}

/** The last event a reconnecting EventSource has (`Last-Event-ID`), or -1 for none. */
function lastEventId(request: Request): number {
  const header = Number(request.headers['last-event-id']);
  return Number.isInteger(header) && header >= 0 ? header : -1;
}
