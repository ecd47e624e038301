import { createHmac } from 'node:crypto';

/**
 * `X-Ciba-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` (API.md §4). The
 * timestamp is signed too, so a receiver can refuse old replays.
 */
export function signWebhook(body: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${nowSeconds}.${body}`).digest('hex');
  return `t=${nowSeconds},v1=${mac}`;
}
