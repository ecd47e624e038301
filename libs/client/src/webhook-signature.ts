import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signature's time may be from now before it is refused as a replay. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerifyWebhookOptions {
  toleranceSeconds?: number;
  /** Epoch seconds (tests). */
  now?: number;
}

/**
 * Checks a webhook from the BFF (API.md §4, "Webhook delivery"): `X-Ciba-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` with the consumer's webhook secret. Verify
 * the raw body as received, before parsing it. True only for a signature made with `secret`
 * over exactly this body, at a time within the tolerance (a replayed old delivery is refused);
 * the comparison takes the same time wherever the signatures differ. Deduplicate deliveries by
 * `X-Ciba-Delivery-Id`: a retry carries the same id.
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  secret: string,
  options: VerifyWebhookOptions = {},
): boolean {
  const parts = new Map(
    (signatureHeader ?? '').split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const time = parts.get('t');
  const given = parts.get('v1');
  if (!time || !/^\d{1,12}$/.test(time) || !given || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(time)) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const expected = createHmac('sha256', secret).update(`${time}.`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
