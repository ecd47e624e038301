import { LOOPS_PER_PROVIDER } from '../../apps/bff/src/polling/poll-queues.js';
import { startStack, type Stack } from '../support/bff-stack.js';
import { startNoContentReceiver } from '../support/http-server.js';
import { readSse, type SseEvent } from '../support/sse-reader.js';

/** One sample of a Prometheus text exposition, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((pair) => present.includes(pair)) && present.length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

/** The bucket series of a histogram, in exposition order: [le, cumulative count]. */
function buckets(text: string, name: string, labels: Record<string, string>): [string, number][] {
  const prefix = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}_bucket{${prefix},le="`))
    .map((line) => {
      const [, le, value] = /le="([^"]+)"\} (\S+)$/.exec(line)!;
      return [le, Number(value)];
    });
}

/**
 * Issue 7, the operator's view: `/metrics` shows poll lateness and approval-to-result histograms,
 * queue depth, open event streams and webhook deliveries, across processes (they are kept in Redis).
 */
describe('operator metrics', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startNoContentReceiver>>;
  let receiverUrl: string;
  const scrape = async () => (await fetch(`${stack.bff!.url}/metrics`)).text();

  beforeAll(async () => {
    receiver = await startNoContentReceiver();
    receiverUrl = receiver.url;
    stack = await startStack({
      configure: (tree) => {
        tree.consumers.portal.webhook = { secret: 'metrics-test-secret', allowedHosts: ['127.0.0.1'], allowLoopback: true };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('counts queue jobs, the poll backlog, open streams, histograms and webhook deliveries', async () => {
    const first = await stack.portal.start({ provider: 'sandbox', loginHint: '01001011111', callbackUrl: `${receiverUrl}/hook` });
    expect(first.status).toBe(201);

    // Pending: the provider's poll loops are queued (one runs), nothing is due yet (the first poll
    // waits one interval); one stream is open.
    const events: SseEvent[] = [];
    const stream = await readSse(`${stack.bff!.url}${first.body!.eventsUrl}`, {}, (event) => events.push(event));
    expect(stream.status).toBe(200);
    const pending = await scrape();
    const jobs = (state: string, text: string) => sample(text, 'ciba_queue_jobs', { queue: 'poll-sandbox', state });
    expect((jobs('delayed', pending) ?? 0) + (jobs('waiting', pending) ?? 0) + (jobs('active', pending) ?? 0)).toBe(LOOPS_PER_PROVIDER);
    expect(sample(pending, 'ciba_poll_due', { provider: 'sandbox' })).toBe(0);
    // Not yet claimed by a worker: no poll is in flight before its interval.
    expect(sample(pending, 'ciba_poll_leased', { provider: 'sandbox' })).toBe(0);
    expect(sample(pending, 'ciba_queue_jobs', { queue: 'webhooks', state: 'waiting' })).toBe(0);
    expect(sample(pending, 'ciba_sse_connections')).toBe(1);
    expect(sample(pending, 'ciba_authentications_active')).toBe(1);

    // Let the sandbox answer "pending" at least once, then approve.
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('01001011111')).id);
    const done = await stack.portal.waitForStatusChange(first.body!.id, 'pending', 30);
    expect(done.body!.status).toBe('approved');
    await stream.ended;
    expect(JSON.parse(events.at(-1)!.data!).status).toBe('approved');

    // The receiver has the delivery; its bookkeeping (state, counter) follows the 204 within moments.
    await receiver.firstRequest;
    let after = await scrape();
    for (
      let tries = 0;
      sample(after, 'ciba_webhook_deliveries_total', { provider: 'sandbox', result: 'delivered' }) === undefined;
      tries++
    ) {
      expect(tries).toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape();
    }
    expect(sample(after, 'ciba_authentications_active')).toBe(0);
    expect(sample(after, 'ciba_sse_connections')).toBe(0);
    expect(sample(after, 'ciba_webhook_deliveries_total', { provider: 'sandbox', result: 'delivered' })).toBe(1);

    // Poll lateness: every token request observed once, cumulative buckets ending at the count.
    const polls = sample(after, 'ciba_token_polls_total', { provider: 'sandbox', outcome: 'approved' })!;
    const lateness = buckets(after, 'ciba_poll_lateness_seconds', { provider: 'sandbox' });
    const lateCount = sample(after, 'ciba_poll_lateness_seconds_count', { provider: 'sandbox' })!;
    expect(polls).toBe(1);
    expect(lateCount).toBeGreaterThanOrEqual(1);
    expect(lateness.at(-1)).toEqual(['+Inf', lateCount]);
    expect(lateness.map(([, count]) => count)).toEqual([...lateness.map(([, count]) => count)].sort((a, b) => a - b));
    expect(sample(after, 'ciba_poll_lateness_seconds_sum', { provider: 'sandbox' })).toBeGreaterThanOrEqual(0);

    // Approval to result: the one approval, measured from the ID Token's auth_time.
    const approval = { provider: 'sandbox', delivery_mode: 'poll' };
    expect(sample(after, 'ciba_approval_to_result_seconds_count', approval)).toBe(1);
    expect(buckets(after, 'ciba_approval_to_result_seconds', approval).at(-1)).toEqual(['+Inf', 1]);
    // auth_time has whole seconds and the sandbox polls every few: the value is small but real.
    expect(sample(after, 'ciba_approval_to_result_seconds_sum', approval)).toBeLessThan(30);
  });

  it('declares each family once, with its type', async () => {
    const text = await scrape();
    for (const [name, type] of [
      ['ciba_poll_lateness_seconds', 'histogram'],
      ['ciba_approval_to_result_seconds', 'histogram'],
      ['ciba_queue_jobs', 'gauge'],
      ['ciba_sse_connections', 'gauge'],
      ['ciba_webhook_deliveries_total', 'counter'],
    ]) {
      expect(text.split('\n').filter((line) => line === `# TYPE ${name} ${type}`)).toHaveLength(1);
    }
  });
});
