import { now } from '../support/clock.js';
import { loginHint } from '../support/login-hints.js';

/** What a client (the driver against the BFF, or the baseline process) saw of one authentication. */
export interface ClientObservation {
  loginHint: string;
  /** When the start request left, and when its answer arrived (epoch ms). */
  startSentAt: number;
  startAnsweredAt: number;
  /** The final status the client saw: a BFF status, or `error:<code>` for a start or wait failure. */
  status: string;
  /** When the client saw the final status (epoch ms), or null if it never did. */
  seenAt: number | null;
}

export interface ClientProgress {
  created: number;
  finished: number;
}

/** The observation of the i-th authentication, its start request leaving now. */
export const observationOf = (index: number): ClientObservation => ({
  loginHint: loginHint(index),
  startSentAt: now(),
  startAnsweredAt: 0,
  status: '',
  seenAt: null,
});
