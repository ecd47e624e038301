import { createHmac } from 'node:crypto';
import { verifyWebhookSignature } from './webhook-signature.js';

const sign = (body: string, secret: string, t: number) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

describe(verifyWebhookSignature.name, () => {
  const body = '{"id":"01J","status":"approved"}';
  const now = 1_800_000_000;

  it('accepts the signature of this body and secret, within the tolerance', () => {
    expect(verifyWebhookSignature(body, sign(body, 's3cret', now - 10), 's3cret', { now })).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), sign(body, 's3cret', now), 's3cret', { now })).toBe(true);
  });

  it('refuses another body, another secret, an old or future time, and malformed headers', () => {
    expect(verifyWebhookSignature(`${body} `, sign(body, 's3cret', now), 's3cret', { now })).toBe(false);
    expect(verifyWebhookSignature(body, sign(body, 'other', now), 's3cret', { now })).toBe(false);
    expect(verifyWebhookSignature(body, sign(body, 's3cret', now - 301), 's3cret', { now })).toBe(false);
    expect(verifyWebhookSignature(body, sign(body, 's3cret', now + 301), 's3cret', { now })).toBe(false);
    for (const header of [undefined, '', 't=abc,v1=00', `v1=${'0'.repeat(64)}`, `t=${now}`, `t=${now},v1=${'z'.repeat(64)}`])
      expect(verifyWebhookSignature(body, header, 's3cret', { now })).toBe(false);
  });
});
