import { CLOCK_GUARD_MS } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import { newAuthentication, type AcknowledgedStart } from './new-authentication.js';

const t0 = 1_800_000_000_000;
const provider = (deliveryMode: 'poll' | 'ping' | 'push') =>
  ({ id: 'sandbox', scope: 'openid profile', deliveryMode, pingFallbackSeconds: 30 }) as unknown as ProviderConfig;

function start(overrides: Partial<AcknowledgedStart> = {}): AcknowledgedStart {
  return {
    id: 'ID1',
    consumer: 'pos',
    initiatedBy: { type: 'consumer', id: 'pos' },
    provider: provider('poll'),
    request: { provider: 'sandbox', loginHint: 'alice' },
    hint: { param: 'login_hint', value: 'alice', customer: 'alice', masked: 'a****' },
    bindingMessage: 'W4SP',
    customerKey: 'k1',
    callbackUrl: null,
    notificationTokenHash: null,
    requestId: 'r1',
    ack: { authReqId: 'req-1', expiresIn: 120, interval: 2 },
    acknowledgedAt: t0,
    ...overrides,
  };
}

describe('newAuthentication', () => {
  it('is pending, planned one interval after the acknowledgement, with the deadline from expires_in', () => {
    const record = newAuthentication(start());
    expect(record).toMatchObject({
      id: 'ID1',
      status: 'pending',
      seq: 1,
      interval: 2,
      nextPollAt: t0 + 2000 + CLOCK_GUARD_MS,
      expiresAt: t0 + 120_000,
      authReqId: 'req-1',
      customer: 'alice',
      customerMasked: 'a****',
      bindingMessage: 'W4SP',
      scope: 'openid profile',
      webhook: null,
      inflight: null,
    });
  });

  it('keeps the shorter requested expiry, the provider\u2019s own binding message and the consumer\u2019s scope', () => {
    const record = newAuthentication(
      start({
        request: { provider: 'sandbox', loginHint: 'alice', requestedExpiry: 60, scope: 'openid' },
        ack: { authReqId: 'req-2', expiresIn: 300, bindingMessage: 'PROV-42' },
      }),
    );
    expect(record.expiresAt).toBe(t0 + 60_000);
    expect(record.interval).toBe(5); // none given: CIBA's default
    expect(record.bindingMessage).toBe('PROV-42');
    expect(record.scope).toBe('openid');
  });

  it('plans by delivery mode: ping polls only as a fallback, push only runs at the deadline', () => {
    expect(newAuthentication(start({ provider: provider('ping') })).nextPollAt).toBe(t0 + 30_000 + CLOCK_GUARD_MS);
    const push = newAuthentication(start({ provider: provider('push') }));
    expect(push.nextPollAt).toBe(push.expiresAt);
  });

  it('prepares a webhook delivery when there is a callback URL', () => {
    const record = newAuthentication(start({ callbackUrl: 'https://pos.example/hook' }));
    expect(record.webhook).toMatchObject({ state: 'pending', attempts: 0, lastError: null, firstAttemptAt: null });
    expect(record.webhook!.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
