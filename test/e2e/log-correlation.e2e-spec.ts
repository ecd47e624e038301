import { EventEmitter, once } from 'node:events';
import { Writable } from 'node:stream';
import { startStack, type Stack } from '../support/bff-stack.js';
import { startNoContentReceiver } from '../support/http-server.js';

type Line = Record<string, any>;

/** Every JSON line the BFF logs, announced as it arrives. */
class LogLines extends EventEmitter {
  readonly lines: Line[] = [];
  /** The start of a line whose end is still to come (a write need not end at a line's end). */
  private partial = '';
  readonly sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      const texts = (this.partial + chunk.toString()).split('\n');
      this.partial = texts.pop() ?? '';
      for (const text of texts.filter(Boolean)) {
        const line = JSON.parse(text) as Line;
        this.lines.push(line);
        this.emit('line', line);
      }
      done();
    },
  });

  /** The first line so far or to come that matches (lines written in one burst are all looked at). */
  async waitFor(predicate: (line: Line) => boolean): Promise<Line> {
    const signal = AbortSignal.timeout(30_000);
    for (let from = 0; ;) {
      const found = this.lines.slice(from).find(predicate);
      if (found) return found;
      from = this.lines.length;
      try {
        await once(this, 'line', { signal });
      } catch (error) {
        // Say what did come, so a miss can be understood from the test output alone.
        const last = this.lines.slice(-8).map((line) => JSON.stringify(line));
        throw new Error(`no log line matched within 30 s; ${this.lines.length} lines, the last:\n${last.join('\n')}`, { cause: error });
      }
    }
  }
}

/**
 * Issue 7: one grep for the request id of the API call shows an authentication's whole life,
 * from the start through every token request to the webhook delivery, across the API and the
 * workers; lines of later calls about it carry its authentication id.
 */
describe('log correlation', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startNoContentReceiver>>;
  let receiverUrl: string;
  const logs = new LogLines();

  beforeAll(async () => {
    receiver = await startNoContentReceiver();
    receiverUrl = receiver.url;
    stack = await startStack({
      logSink: logs.sink,
      configure: (tree) => {
        tree.consumers.portal.webhook = { secret: 'correlation-test-secret', allowedHosts: ['127.0.0.1'], allowLoopback: true };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('follows an authentication by the caller’s request id from the API call to the webhook', async () => {
    const requestId = 'branch-7.till-2_req-42';
    const start = await stack.portal.start(
      { provider: 'sandbox', loginHint: '01001011111', callbackUrl: `${receiverUrl}/hook` },
      { 'x-request-id': requestId },
    );
    expect(start.status).toBe(201);
    expect(start.headers.get('x-request-id')).toBe(requestId);
    const id = start.body!.id as string;

    await stack.sandbox.approve((await stack.sandbox.waitForRequest('01001011111')).id);
    expect((await stack.portal.waitForStatusChange(id, 'pending', 30)).body!.status).toBe('approved');
    await logs.waitFor((line) => line.event === 'webhook.delivered' || line.msg === 'audit webhook.delivered ok');

    const life = logs.lines.filter((line) => line.requestId === requestId);
    const events = life.map((line) => line.event as string);
    // The API call: acknowledged by the provider, then its access line.
    expect(events).toContain('ciba.op_acknowledged');
    expect(life).toContainEqual(
      expect.objectContaining({ event: 'http.request', method: 'POST', path: '/v1/authentications', status: 201, consumer: 'portal' }),
    );
    // The worker: every token request, then the verified approval, then the delivery.
    const polls = life.filter((line) => line.event === 'ciba.poll');
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.at(-1)).toMatchObject({ outcome: 'approved', provider: 'sandbox' });
    for (const poll of polls) expect(poll.lateMs).toBeGreaterThanOrEqual(0);
    expect(events).toContain('ciba.approved');
    expect(life).toContainEqual(expect.objectContaining({ msg: 'audit webhook.delivered ok' }));
    // Every one of those lines names the authentication too (the access line of the start included).
    expect(life.every((line) => line.authenticationId === id)).toBe(true);
    // And every token request of this authentication is in that grep: none is logged without it.
    const allPolls = logs.lines.filter((line) => line.event === 'ciba.poll' && line.authenticationId === id);
    expect(allPolls).toEqual(polls);
  });

  it('names the authentication in the lines of later calls about it, without the query string', async () => {
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'bob' });
    const id = start.body!.id as string;
    // An event stream opened and dropped by the client (the console closed, say).
    const events = await fetch(`${stack.bff!.url}${start.body!.eventsUrl}`);
    expect(events.status).toBe(200);
    await events.body!.cancel();
    const cancel = await stack.portal.cancel(id);
    expect(cancel.status).toBe(200);
    const cancelRequestId = cancel.headers.get('x-request-id');

    const line = await logs.waitFor((entry) => entry.event === 'http.request' && entry.requestId === cancelRequestId);
    expect(line).toMatchObject({ method: 'DELETE', path: `/v1/authentications/${id}`, status: 200, authenticationId: id });
    const stream = await logs.waitFor((entry) => entry.event === 'http.request' && entry.path === `/v1/authentications/${id}/events`);
    expect(stream.authenticationId).toBe(id);
    const token = new URL(start.body!.eventsUrl as string, 'http://x').searchParams.get('token')!;
    expect(JSON.stringify(logs.lines)).not.toContain(token);
  });

  it('replaces a request id that is not safe to log, and keeps health probes out of the info log', async () => {
    const unsafe = await stack.portal.request('GET', '/v1/authentications/NOPE', undefined, { 'x-request-id': 'a b <script>' });
    const given = unsafe.headers.get('x-request-id')!;
    expect(given).toMatch(/^[0-9a-f-]{36}$/);
    const line = await logs.waitFor((entry) => entry.event === 'http.request' && entry.requestId === given);
    expect(line.status).toBe(unsafe.status);

    await fetch(`${stack.bff!.url}/health/live`);
    const probe = await logs.waitFor((entry) => entry.event === 'http.request' && entry.path === '/health/live');
    expect(probe.level).toBe(20); // debug
  });
});
