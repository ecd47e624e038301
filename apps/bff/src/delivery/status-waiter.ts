import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { AuthenticationStatus, AuthenticationView } from '@ciba/ciba';
import { isStoreFailure, StatusEvents } from '@ciba/store';
import { AuthenticationsService } from '../authentications/authentications.service.js';
import type { Caller } from '../authentications/caller.js';
import { RecordWatch } from './watch-then-read.js';

/**
 * Long-poll (`GET ...?wait=N`): answers when the status differs from the baseline, or after N
 * seconds. Listens to the change events of any process; re-reads the status view on every hint
 * (and again shortly when a re-read fails, until one succeeds or the wait ends).
 * A stopping process answers every open wait with the current state (after its last polls have
 * stored their answers) instead of letting the HTTP drain cut it: the client asks again, and
 * lands on another replica.
 */
@Injectable()
export class StatusWaiter implements BeforeApplicationShutdown {
  /** Answers an open wait now, with a fresh read. */
  private readonly open = new Set<() => void>();
  private stopping = false;

  constructor(
    @Inject(AuthenticationsService) private readonly authentications: AuthenticationsService,
    @Inject(StatusEvents) private readonly events: StatusEvents,
  ) {}

  async waitForChange(
    caller: Caller,
    id: string,
    baseline: AuthenticationStatus | undefined,
    seconds: number,
    aborted: AbortSignal,
  ): Promise<AuthenticationView> {
    const { first, watch } = await RecordWatch.open(this.events, id, () => this.authentications.view(caller, id));
    const from = baseline ?? first.status;
    if (first.status !== from || this.stopping) {
      watch.stop();
      return first;
    }
    return new Promise<AuthenticationView>((resolve, reject) => {
      let settled = false;
      let latest = first;
      const finish = (answer: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.open.delete(answerNow);
        aborted.removeEventListener('abort', onAbort);
        watch.stop();
        answer();
      };
      const fail = (error: Error) => finish(() => reject(error));
      const onAbort = () => finish(() => resolve(latest));
      // The answer at the deadline (or on shutdown) reads once more; when that read fails, so
      // does the request (503): the store cannot say what the status is.
      const answerNow = () => void watch.readAgain().then((failure) => finish(() => (failure ? reject(failure) : resolve(latest))));
      const timer = setTimeout(answerNow, seconds * 1000);
      this.open.add(answerNow);
      aborted.addEventListener('abort', onAbort);
      if (aborted.aborted) return onAbort();
      watch.follow({
        changed: (record) => {
          latest = record;
          if (record.status !== from) finish(() => resolve(record));
        },
        // Meanwhile a re-read that met Redis away is tried again by the watch (after a reconnect
        // the command connection may still be on its way): the wait goes on. Anything else ends it.
        readFailed: (error) => void (isStoreFailure(error) || fail(error)),
        watchFailed: fail,
      });
    });
  }

  /** Runs after the workers have finished (see `shutdownBff`) and before the HTTP server closes. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const answerNow of [...this.open]) answerNow();
  }
}
