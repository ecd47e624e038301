import type { Counters, Histograms } from '@ciba/store';
import { sampleAuthentication } from '../../../../test/support/sample-authentication.js';
import type { AuditService } from '../audit/audit.service.js';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { AuthenticationFinished } from './authentication-finished.js';

/** Small fakes that note what they were asked (the project's rule: fakes at the seams, no jest.mock). */
function fakes() {
  const calls: string[] = [];
  const counters = { increment: (name: string, ...labels: string[]) => calls.push(`count ${name} ${labels.join(' ')}`) };
  const histograms = { observe: (_spec: unknown, labels: string[]) => calls.push(`observe ${labels.join(' ')}`) };
  const audit = { recordInBackground: (event: string, outcome: string) => calls.push(`audit ${event} ${outcome}`) };
  const webhooks = { dispatchInBackground: (id: string) => calls.push(`webhook ${id}`) };
  const finished = new AuthenticationFinished(
    counters as unknown as Counters,
    histograms as unknown as Histograms,
    audit as unknown as AuditService,
    webhooks as unknown as WebhookDispatcher,
  );
  return { calls, finished };
}

describe('AuthenticationFinished', () => {
  it('counts, measures the approval, audits and dispatches the webhook of an approved authentication', () => {
    const { calls, finished } = fakes();
    const record = sampleAuthentication({ id: 'A1', provider: 'sandbox', deliveryMode: 'poll', callbackUrl: 'https://pos.example/hook' });
    finished.finished(record, 'approved', { result: { authTime: new Date(Date.now() - 2000).toISOString() } as never });
    expect(calls).toEqual(['count finished sandbox approved', 'observe sandbox poll', 'audit ciba.finished approved', 'webhook A1']);
  });

  it('audits a failure with its code, measures nothing and sends no webhook without a callback', () => {
    const { calls, finished } = fakes();
    const record = sampleAuthentication({ id: 'F1', provider: 'sandbox', callbackUrl: undefined });
    finished.finished(record, 'failed', { error: { code: 'provider_unavailable', description: 'down' } });
    expect(calls).toEqual(['count finished sandbox failed', 'audit ciba.finished failed:provider_unavailable']);
  });
});
