import { Controller, Get, Inject, Optional, Param, Query, Req, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isTerminal, type AuthenticationView } from '@ciba/ciba';
import { StatusEvents } from '@ciba/store';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { bearerKey, unauthorized } from '../consumers/api-key.guard.js';
import { BearerConsumers } from '../consumers/bearer-consumers.js';
import { ConsumerDirectory } from '../consumers/consumer-directory.js';
import { ConsumerRateLimit } from '../consumers/consumer-rate-limit.js';
import { LOGGER } from '../tokens.js';
import { StreamAuthenticationEventsDocs } from '../openapi/routes/authentications.docs.js';
import { EventStreams } from '../shutdown/event-streams.js';
import { checkedId } from './authentications.controller.js';
import { AuthenticationsService } from './authentications.service.js';
import type { Caller } from './caller.js';
import { EventsTokens } from './events-token.js';
import { StatusDocumentFactory } from './status-document.factory.js';

/** A comment line keeps proxies from closing an idle stream (API.md §4). */
export const PING_INTERVAL_MS = 15_000;

/**
 * `GET /v1/authentications/{id}/events`: Server-Sent Events. Pub/sub only hints that something
 * changed; every event is read from the store (its status view: only the result is decrypted), so a reconnect with `Last-Event-ID` and a change
 * made by a worker in another process are both seen. A stopping process tells each open stream
 * to reconnect (`retry:`) and ends it, so clients move to another replica without losing an event.
 */
@ApiTags('authentications')
@Controller('v1/authentications')
export class AuthenticationEventsController implements BeforeApplicationShutdown {
  private readonly streams: EventStreams;

  constructor(
    @Inject(AuthenticationsService) private readonly authentications: AuthenticationsService,
    @Inject(StatusEvents) private readonly events: StatusEvents,
    @Inject(StatusDocumentFactory) private readonly documents: StatusDocumentFactory,
    @Inject(ConsumerDirectory) private readonly directory: ConsumerDirectory,
    @Inject(BearerConsumers) private readonly bearers: BearerConsumers,
    @Inject(EventsTokens) private readonly tokens: EventsTokens,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ConsumerRateLimit) private readonly rateLimit: ConsumerRateLimit,
    // Shared when the module provides it; this controller's own otherwise (it ends them itself below).
    @Optional() @Inject(EventStreams) streams?: EventStreams,
  ) {
    this.streams = streams ?? new EventStreams(logger);
  }

  /** Nest calls lifecycle hooks on controllers too, before it closes the HTTP server. */
  beforeApplicationShutdown(): void {
    this.streams.reconnectAll();
  }

  @Get(':id/events')
  @StreamAuthenticationEventsDocs(PING_INTERVAL_MS)
  async stream(@Req() request: Request, @Res() response: Response, @Param('id') rawId: string, @Query('token') token?: string) {
    const id = checkedId(rawId);
    const caller = await this.authenticate(request, id, token);
    const { consumer } = caller;
    await this.rateLimit.check(consumer, response, true);
    const first = await this.authentications.view(caller, id);
    const lastEventId = Number(request.headers['last-event-id']);
    let sent = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : -1;
    if (isTerminal(first.status) && first.seq <= sent) {
      // The client has the final event already. 204 tells an EventSource to stop reconnecting
      // (HTML Living Standard, server-sent events: any status other than 200 ends it).
      response.status(204).end();
      return;
    }

    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();

    let closed = false;
    const subscription: { stop?: () => Promise<void> } = {};
    let unregister: () => void = () => undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      unregister();
      void subscription.stop?.();
      response.end();
    };
    const send = (record: AuthenticationView) => {
      if (closed || record.seq <= sent) return;
      sent = record.seq;
      // JSON.stringify escapes newlines: one `data:` line, no way to inject another event.
      response.write(`event: status\nid: ${record.seq}\ndata: ${JSON.stringify(this.documents.create(record, consumer))}\n\n`);
      if (isTerminal(record.status)) close();
    };
    let reading = Promise.resolve();
    const refresh = () => {
      // Serialise reads so events leave in order.
      reading = reading.then(async () => {
        if (closed) return;
        try {
          send(await this.authentications.view(caller, id));
        } catch (error) {
          this.logger.warn({ authenticationId: id, err: error }, 'events stream could not read the record');
        }
      });
    };
    const ping = setInterval(() => response.write(': ping\n\n'), PING_INTERVAL_MS);
    request.on('close', close);
    unregister = this.streams.register({
      reconnect: (retryMs) => {
        if (closed) return;
        response.write(`retry: ${retryMs}\n\n`);
        close();
      },
    });

    subscription.stop = await this.events.watch(id, refresh);
    if (closed) await subscription.stop();
    send(first);
    refresh(); // a change between the first read and the subscription
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
