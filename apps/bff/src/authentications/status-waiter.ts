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
    // Listen first, then read: a change after the read is heard, so one read is enough (the
    // process's subscription is already up: watching costs no Redis command, see StatusEvents).
    let hinted = false;
    let onHint: () => void = () => {
      hinted = true;
    };
    const unwatch = await this.events.watch(id, () => onHint());
    let first: AuthenticationView;
    try {
      first = await this.authentications.view(caller, id);
    } catch (error) {
      void unwatch();
      throw error;
    }
    const from = baseline ?? first.status;
    if (first.status !== from || this.stopping) {
      void unwatch();
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
        void unwatch();
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
    });
  }

  /** Runs after the workers have finished (see `shutdownBff`) and before the HTTP server closes. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const answerNow of [...this.open]) answerNow();
  }
}
