/** Delivery of the terminal status document to a consumer's callbackUrl (API.md §4). */
export interface WebhookState {
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** Why the last attempt failed: a status code or a connection error, never the receiver's body. */
  lastError: string | null;
  /** Sent as X-Ciba-Delivery-Id, the same on every retry, so the receiver can deduplicate. */
  deliveryId: string;
  /** When the first attempt was made (retries continue for at least an hour from it). */
  firstAttemptAt: number | null;
}
