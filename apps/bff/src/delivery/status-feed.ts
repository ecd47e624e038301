import { Inject, Injectable } from '@nestjs/common';
import { isTerminal, type AuthenticationView } from '@ciba/ciba';
import { StatusEvents } from '@ciba/store';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AuthenticationsService } from '../authentications/authentications.service.js';
import type { Caller } from '../authentications/caller.js';
import { StatusDocumentFactory } from '../authentications/status-document.factory.js';
import { LOGGER } from '../tokens.js';
import { EventStreams } from './event-streams.js';
import { SseStream } from './sse-stream.js';
import { RecordWatch } from './watch-then-read.js';

/**
 * One authentication's status, as Server-Sent Events (API.md §4). Pub/sub only hints that
 * something changed; every event is read from the store (its status view: only the result is
 * decrypted), so a reconnect with `Last-Event-ID` and a change made by a worker in another
 * process are both seen. Each event carries the record's `seq` as its id and is sent once; the
 * stream ends after the final one. A stopping process tells each open stream to reconnect
 * (`EventStreams`), so clients move to another replica without losing an event.
 */
@Injectable()
export class StatusFeed {
  constructor(
    @Inject(AuthenticationsService) private readonly authentications: AuthenticationsService,
    @Inject(StatusEvents) private readonly events: StatusEvents,
    @Inject(StatusDocumentFactory) private readonly documents: StatusDocumentFactory,
    @Inject(EventStreams) private readonly streams: EventStreams,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Answers `request` with the events after `lastEventId` (-1: from the current state). A read
   * that fails before the stream opens is thrown, for the usual problem answer.
   */
  async serve(caller: Caller, id: string, lastEventId: number, request: Request, response: Response): Promise<void> {
    const { first, watch } = await RecordWatch.open(this.events, id, () => this.authentications.view(caller, id));
    if (isTerminal(first.status) && first.seq <= lastEventId) {
      // The client has the final event already. 204 tells an EventSource to stop reconnecting
      // (HTML Living Standard, server-sent events: any status other than 200 ends it).
      watch.stop();
      response.status(204).end();
      return;
    }
    const stream = SseStream.open(request, response);
    stream.onClose(this.streams.register(stream));
    stream.onClose(() => watch.stop());
    let sent = lastEventId;
    const send = (record: AuthenticationView) => {
      if (stream.closed || record.seq <= sent) return;
      sent = record.seq;
      stream.event('status', record.seq, this.documents.create(record, caller.consumer));
      if (isTerminal(record.status)) stream.close();
    };
    send(first);
    watch.follow({
      changed: send,
      readFailed: (error) => this.logger.warn({ authenticationId: id, err: error }, 'events stream could not read the record'),
      watchFailed: (error) => {
        // Without a watch the stream would never hear a change: end it, the client reconnects.
        this.logger.warn({ authenticationId: id, err: error }, 'events stream could not watch the record');
        stream.close();
      },
    });
  }
}
