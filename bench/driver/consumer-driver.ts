import { randomUUID } from 'node:crypto';
import { forEachBounded } from '../support/bounded.js';
import { now, sleep } from '../support/clock.js';
import { loginHint } from '../support/login-hints.js';
import type { ClientObservation, ClientProgress } from './client-observation.js';
import { HttpJson } from './http-json.js';

const TERMINAL = new Set(['approved', 'denied', 'expired', 'failed', 'cancelled']);
/** API.md §4: `?wait` is at most 60 s. */
const WAIT_SECONDS = 60;
const MAX_WAIT_ERRORS = 5;

/**
 * A consumer of the BFF, through the public API only: starts N authentications with at most
 * `concurrency` starts in flight, and follows each one with long-polls
 * (`GET /v1/authentications/{id}?wait=60&status=pending`) from the moment it was created, noting
 * when its result arrived.
 */
export class ConsumerDriver {
  readonly progress: ClientProgress = { created: 0, finished: 0 };
  private readonly http: HttpJson;

  constructor(
    apiUrl: string,
    apiKey: string,
    private readonly provider: string,
  ) {
    this.http = new HttpJson(apiUrl, { authorization: `Bearer ${apiKey}` });
  }

  /** Called once, when the last start request has been answered (the start phase ends). */
  onStartsDone: () => void = () => undefined;

  async run(count: number, concurrency: number): Promise<ClientObservation[]> {
    const observations: ClientObservation[] = [];
    const waits: Promise<void>[] = [];
    await forEachBounded(count, concurrency, async (index) => {
      const observation: ClientObservation = {
        loginHint: loginHint(index),
        startSentAt: now(),
        startAnsweredAt: 0,
        status: '',
        seenAt: null,
      };
      observations.push(observation);
      let id: string | undefined;
      try {
        const started = await this.http.send('POST', '/v1/authentications', { provider: this.provider, loginHint: observation.loginHint });
        observation.startAnsweredAt = now();
        if (started.status === 201 && typeof started.body?.id === 'string') id = started.body.id;
        else observation.status = `error:start_${started.status}_${text(started.body?.code)}`;
      } catch (error) {
        observation.startAnsweredAt = now();
        observation.status = `error:start_${(error as NodeJS.ErrnoException).code ?? 'network'}`;
      }
      if (!id) {
        this.progress.finished += 1;
        return;
      }
      this.progress.created += 1;
      waits.push(this.follow(id, observation));
    });
    this.onStartsDone();
    await Promise.all(waits);
    this.http.close();
    return observations;
  }

  /** Long-polls until the status is terminal. */
  private async follow(id: string, observation: ClientObservation): Promise<void> {
    let errors = 0;
    for (;;) {
      try {
        const answer = await this.http.send('GET', `/v1/authentications/${id}?wait=${WAIT_SECONDS}&status=pending`);
        const status = text(answer.body?.status);
        if (answer.status === 200 && TERMINAL.has(status)) {
          observation.seenAt = now();
          observation.status =
            status === 'approved' ? status : `${status}:${text((answer.body?.error as { code?: unknown } | null)?.code)}`;
          break;
        }
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status} ${text(answer.body?.code)}`);
      } catch (error) {
        errors += 1;
        if (errors >= MAX_WAIT_ERRORS) {
          observation.status = `error:wait_${(error as Error).message}`;
          break;
        }
        await sleep(100);
      }
    }
    this.progress.finished += 1;
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A fresh API key for a run (the BFF is configured with its SHA-256 only). */
export const newApiKey = (): string => `bench-${randomUUID()}`;
