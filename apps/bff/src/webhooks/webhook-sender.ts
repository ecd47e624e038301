import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
// undici's classes by path: its index would install itself as the process's global dispatcher.
import { UndiciAgent as Agent, requestOn } from '@ciba/providers';
import { isAllowedAddress } from './address-policy.js';
import { signWebhook } from './webhook-signature.js';

export type SendResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

const TIMEOUT_MS = 5000;

/**
 * Resolves a host and refuses it when any address it resolves to is forbidden: the check happens
 * where the connection is made, so a name that changed its address since the request was
 * accepted (DNS rebinding) is caught too.
 */
export function safeLookup(allowLoopback: boolean, resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { all: true, family: options?.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const refused = addresses.find((entry) => !isAllowedAddress(entry.address, allowLoopback));
      if (refused || addresses.length === 0) {
        return callback(Object.assign(new Error(`refused: ${hostname} resolves to a forbidden address`), { code: 'EADDRREFUSED' }));
      }
      if (options?.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

/** POSTs a signed webhook; reads only the status (the receiver's body never travels further). */
export class WebhookSender {
  private readonly agents = new Map<boolean, Agent>();

  constructor(private readonly resolve: typeof dnsLookup = dnsLookup) {}

  async send(url: string, body: string, secret: string, deliveryId: string, allowLoopback: boolean): Promise<SendResult> {
    try {
      const target = new URL(url);
      const response = await requestOn(this.agent(allowLoopback), {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ciba-bff-webhook/1',
          'x-ciba-delivery-id': deliveryId,
          'x-ciba-signature': signWebhook(body, secret),
        },
        body,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body.dump({ limit: 4096 }).catch(() => undefined);
      const status = response.statusCode;
      // Redirects are not followed: a 3xx is a failed attempt like any other non-2xx.
      return status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` };
    } catch (error) {
      const err = error as { code?: string; name?: string; cause?: { code?: string; message?: string }; message?: string };
      const code = err.cause?.code ?? err.code ?? err.name ?? 'error';
      const refused = /forbidden address/.test(err.cause?.message ?? err.message ?? '');
      return {
        ok: false,
        error: refused
          ? 'refused: the host resolves to a forbidden address'
          : code === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT'
            ? 'timeout'
            : code,
      };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
  }

  private agent(allowLoopback: boolean): Agent {
    let agent = this.agents.get(allowLoopback);
    if (!agent) {
      agent = new Agent({ connect: { lookup: safeLookup(allowLoopback, this.resolve), timeout: TIMEOUT_MS } });
      this.agents.set(allowLoopback, agent);
    }
    return agent;
  }
}
