import type { ConnectionOptions } from 'node:tls';
import { dispatchOnce } from './dispatch-once.js';
import type { FormTransport } from './form-transport.js';
import type { RawAnswer } from './raw-answer.js';
import { Agent } from './undici-classes.js';

/** What every connection to one provider obeys. */
export interface ConnectionSettings {
  timeoutSeconds: number;
  /** TLS options of every connection: the client certificate for mutual TLS (RFC 8705 §2). */
  tls?: Pick<ConnectionOptions, 'cert' | 'key' | 'ca'>;
}

/**
 * One provider's own undici `Agent`: a keep-alive `Pool` per origin it is asked for (the token
 * endpoint's, a dialect's other endpoints'), created on first use. undici's defaults hold
 * otherwise: HTTP/1.1, one connection per request in flight, idle sockets kept for the server's
 * Keep-Alive hint (else 4 s) and unref'd, so they never keep the process alive. Its timeouts only
 * back up the deadline of each exchange (`dispatch-once.ts`).
 */
export function providerAgent(settings: ConnectionSettings): Agent {
  const timeoutMs = settings.timeoutSeconds * 1000;
  return new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs, ...settings.tls } });
}

/**
 * Form POSTs on a provider's agent: a poll costs one request on a warm socket, with no TLS
 * handshake, no WHATWG fetch and no stream.
 */
export class PooledFormTransport implements FormTransport {
  private closing?: Promise<void>;

  constructor(
    private readonly agent: Agent,
    private readonly limits: { timeoutSeconds: number; maxBytes: number },
  ) {}

  post(url: URL, headers: Record<string, string>, body: string): Promise<RawAnswer> {
    return dispatchOnce(
      this.agent,
      { origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers, body },
      { maxBytes: this.limits.maxBytes, timeoutMs: this.limits.timeoutSeconds * 1000 },
    );
  }

  /** After this a POST fails as a network failure (undici's `ClientClosedError`). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }
}
