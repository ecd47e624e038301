import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { AuthenticationStatus, AuthenticationView } from '@ciba/ciba';
import { StatusEvents } from '@ciba/store';
import { AuthenticationsService } from './authentications.service.js';
import type { Caller } from './caller.js';

/**
 * Long-poll (`GET ...?wait=N`): answers when the status differs from the baseline, or after N
 * seconds. Listens to the change events of any process; re-reads the status view on every hint.
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
    // Listen, then read: once the process's subscription is up (every watch but its first one),
    // watching costs no Redis command and a change after the read is heard, so one read is
    // enough. The read does not wait for the watch: a process whose first watch meets a Redis
    // outage still answers 503 at once (the subscriber connection queues, it never times out).
    let hinted = false;
    let onHint: () => void = () => {
      hinted = true;
    };
    let listening = false;
    const watching = this.events.watch(id, () => onHint());
    watching.then(
      () => (listening = true),
      () => undefined,
    );
    const unwatch = () =>
      void watching.then(
        (stop) => stop(),
        () => undefined,
      );
    let first: AuthenticationView;
    try {
      first = await this.authentications.view(caller, id);
    } catch (error) {
      unwatch();
      throw error;
    }
    const heardFromBeforeTheRead = listening;
    const from = baseline ?? first.status;
    if (first.status !== from || this.stopping) {
      unwatch();
      return first;
    }
    return new Promise<AuthenticationView>((resolve, reject) => {
      let settled = false;
      let latest = first;
      const settle = (record: AuthenticationView) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.open.delete(answerNow);
        aborted.removeEventListener('abort', onAbort);
        unwatch();
        resolve(record);
      };
      const check = async () => {
        try {
          latest = await this.authentications.view(caller, id);
          if (latest.status !== from) settle(latest);
        } catch (error) {
          if (!settled) reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const onAbort = () => settle(latest);
      const answerNow = () => void check().then(() => settle(latest));
      const timer = setTimeout(answerNow, seconds * 1000);
      this.open.add(answerNow);
      aborted.addEventListener('abort', onAbort);
      if (aborted.aborted) return onAbort();
      onHint = () => void check();
      if (hinted) void check(); // a change heard while the first read was on its way
      // The process's first watch may have started listening only after the read: read again then.
      if (!heardFromBeforeTheRead) {
        watching.then(
          () => void check(),
          (error: unknown) => {
            if (!settled) reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }
    });
  }

  /** Runs after the workers have finished (see `shutdownBff`) and before the HTTP server closes. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const answerNow of [...this.open]) answerNow();
  }
}
