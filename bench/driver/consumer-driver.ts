import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { forEachBounded } from '../support/bounded.js';
import { now, sleep } from '../support/clock.js';
import { warmUpHint } from '../support/login-hints.js';
import { observationOf, type ClientObservation, type ClientProgress } from './client-observation.js';
import { readEventStream } from './event-stream.js';
import { HttpJson } from './http-json.js';

/**
 * How the driver waits for a result: on the events stream (API.md §4, as a browser's
 * `EventSource` with the `eventsUrl` token) or by long-polls with the API key.
 */
export type FollowMode = 'sse' | 'long-poll';

/** The start's answer, as far as following it needs. */
interface Started {
  id: string;
  eventsUrl: string;
}

const TERMINAL = new Set(['approved', 'denied', 'expired', 'failed', 'cancelled']);
/** API.md §4: `?wait` is at most 60 s. */
const WAIT_SECONDS = 60;
const MAX_WAIT_ERRORS = 5;

/**
 * A consumer of the BFF, through the public API only: starts N authentications with at most
 * `concurrency` starts in flight, and follows each one from the moment it was created, on its
 * events stream or with long-polls (`GET /v1/authentications/{id}?wait=60&status=pending`),
 * noting when its result arrived.
 */
export class ConsumerDriver {
  readonly progress: ClientProgress = { created: 0, finished: 0 };
  private readonly http: HttpJson;
  /** Event streams stay open for minutes: their own sockets, never counted against the JSON calls'. */
  private readonly streams = new Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(
    private readonly apiUrl: string,
    apiKey: string,
    private readonly provider: string,
    private readonly mode: FollowMode = 'sse',
  ) {
    this.http = new HttpJson(apiUrl, { authorization: `Bearer ${apiKey}` });
  }

  /** Called once, when the last start request has been answered (the start phase ends). */
  onStartsDone: () => void = () => undefined;

  /** Starts `count` authentications, at most `concurrency` at once and `startsPerSecond` (null: no pace). */
  async run(count: number, concurrency: number, startsPerSecond: number | null): Promise<ClientObservation[]> {
    const observations: ClientObservation[] = [];
    const waits: Promise<void>[] = [];
    await forEachBounded(
      count,
      concurrency,
      async (index) => {
        const observation = observationOf(index);
        observations.push(observation);
        let started: Started | undefined;
        try {
          const answer = await this.http.send('POST', '/v1/authentications', { provider: this.provider, loginHint: observation.loginHint });
          observation.startAnsweredAt = now();
          started = asStarted(answer.status, answer.body);
          if (!started) observation.status = `error:start_${answer.status}_${text(answer.body?.code)}`;
        } catch (error) {
          observation.startAnsweredAt = now();
          observation.status = `error:start_${(error as NodeJS.ErrnoException).code ?? 'network'}`;
        }
        if (!started) {
          this.progress.finished += 1;
          return;
        }
        this.progress.created += 1;
        waits.push(
          this.finalDocument(started)
            .then(
              (document) => {
                observation.seenAt = now();
                observation.status = outcome(document);
              },
              (error: unknown) => void (observation.status = `error:wait_${(error as Error).message}`),
            )
            .finally(() => (this.progress.finished += 1)),
        );
      },
      startsPerSecond,
    );
    this.onStartsDone();
    await Promise.all(waits);
    this.http.close();
    this.streams.destroy();
    return observations;
  }

  /**
   * The warm-up before a measured phase (RunSettings.warmUp), along the measured path: `count`
   * authentications under their own login hints, each started and followed as the measured ones
   * are; after `pollingMs`, in which the workers poll them, each is cancelled, which ends that.
   * Throws when any did not go that way: the measured phase would then follow a different one.
   */
  async warmUp(count: number, concurrency: number, pollingMs: number): Promise<void> {
    const failures: string[] = [];
    // Each follow's outcome as text, settled from the start: a stream that fails during the wait is not an unhandled rejection.
    const followed: { id: string; last: Promise<string> }[] = [];
    await forEachBounded(count, concurrency, async (index) => {
      const answer = await this.http.send('POST', '/v1/authentications', { provider: this.provider, loginHint: warmUpHint(index) });
      const started = asStarted(answer.status, answer.body);
      if (started)
        followed.push({
          id: started.id,
          last: this.finalDocument(started).then(outcome, (error: unknown) => `error:${(error as Error).message}`),
        });
      else failures.push(`start ${answer.status} ${text(answer.body?.code)}`);
    });
    await sleep(pollingMs);
    await forEachBounded(followed.length, concurrency, async (index) => {
      const cancelled = await this.http.send('DELETE', `/v1/authentications/${followed[index].id}`);
      const last = await followed[index].last;
      if (cancelled.status !== 200 || !last.startsWith('cancelled')) failures.push(`cancel ${cancelled.status}, then ${last}`);
    });
    if (failures.length > 0) throw new Error(`warm-up: ${failures.length} of ${count} failed, first: ${failures[0]}`);
  }

  /** The terminal status document, as this driver follows; rejects after MAX_WAIT_ERRORS failures in a row. */
  private finalDocument(started: Started): Promise<Record<string, unknown>> {
    return this.mode === 'sse' ? this.streamUntilFinal(started) : this.longPollUntilFinal(started.id);
  }

  /** Long-polls until the status is terminal. */
  private async longPollUntilFinal(id: string): Promise<Record<string, unknown>> {
    let errors = 0;
    for (;;) {
      try {
        const answer = await this.http.send('GET', `/v1/authentications/${id}?wait=${WAIT_SECONDS}&status=pending`);
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status} ${text(answer.body?.code)}`);
        if (TERMINAL.has(text(answer.body?.status))) return answer.body!;
        errors = 0;
      } catch (error) {
        errors += 1;
        if (errors >= MAX_WAIT_ERRORS) throw error;
        await sleep(100);
      }
    }
  }

  /**
   * Reads the events stream until a terminal status; a stream that ends or fails first is opened
   * again with `Last-Event-ID`, as `EventSource` does.
   */
  private async streamUntilFinal(started: Started): Promise<Record<string, unknown>> {
    let errors = 0;
    let lastEventId: string | undefined;
    for (;;) {
      let final: Record<string, unknown> | undefined;
      try {
        const status = await readEventStream(`${this.apiUrl}${started.eventsUrl}`, this.streams, lastEventId, (event) => {
          lastEventId = event.id ?? lastEventId;
          if (TERMINAL.has(text(event.document.status))) final = event.document;
          return final !== undefined;
        });
        if (final) return final;
        if (status !== 200) throw new Error(`HTTP ${status}`);
        errors = 0;
      } catch (error) {
        errors += 1;
        if (errors >= MAX_WAIT_ERRORS) throw error;
        await sleep(100);
      }
    }
  }
}

/** A 201 whose body names the id and the events URL, or undefined. */
function asStarted(status: number, body: Record<string, unknown> | null): Started | undefined {
  if (status !== 201 || typeof body?.id !== 'string' || typeof body.eventsUrl !== 'string') return undefined;
  return { id: body.id, eventsUrl: body.eventsUrl };
}

/** `approved`, or the status and its error code (`denied:access_denied`). */
function outcome(document: Record<string, unknown>): string {
  const status = text(document.status);
  return status === 'approved' ? status : `${status}:${text((document.error as { code?: unknown } | null)?.code)}`;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A fresh API key for a run (the BFF is configured with its SHA-256 only). */
export const newApiKey = (): string => `bench-${randomUUID()}`;
