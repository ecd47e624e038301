import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once, EventEmitter } from 'node:events';
import { WebhookSender, safeLookup } from '../../apps/bff/src/webhooks/webhook-sender.js';
import { startStack, type Stack } from '../support/bff-stack.js';

interface Delivery {
  path: string;
  body: string;
  signature: string;
  deliveryId: string;
}

/** A backend receiving webhooks; each path answers as the test scripts it. */
class Receiver extends EventEmitter {
  deliveries: Delivery[] = [];
  answers = new Map<string, number[]>();
  server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const path = request.url ?? '';
        this.deliveries.push({
          path,
          body,
          signature: String(request.headers['x-ciba-signature']),
          deliveryId: String(request.headers['x-ciba-delivery-id']),
        });
        const status = this.answers.get(path)?.shift() ?? 204;
        response.writeHead(status, status === 302 ? { location: `${this.url}/internal` } : {}).end();
        this.emit('delivery', path);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  of(path: string): Delivery[] {
    return this.deliveries.filter((delivery) => delivery.path === path);
  }

  async waitFor(path: string, count: number): Promise<void> {
    while (this.of(path).length < count) await once(this, 'delivery', { signal: AbortSignal.timeout(30_000) });
  }
}

const SECRET = 'webhook-secret-for-tests';
const verify = (delivery: Delivery): boolean => {
  const [, t, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivery.signature) ?? [];
  return mac === createHmac('sha256', SECRET).update(`${t}.${delivery.body}`).digest('hex');
};

describe('webhooks', () => {
  let stack: Stack;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    stack = await startStack({
      configure: (tree) => {
        const webhook = { secret: SECRET, allowedHosts: ['127.0.0.1', 'pos.example.com'], allowLoopback: true };
        tree.consumers.portal.webhook = webhook;
        tree.consumers.other.webhook = webhook;
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    receiver.server?.close();
  });

  it('POSTs the terminal status document, signed, exactly as the consumer would GET it', async () => {
    const start = await stack.other.start({ provider: 'sandbox', loginHint: 'alice', callbackUrl: `${receiver.url}/ok` });
    expect(start.status).toBe(201);
    expect(start.body!.webhook).toEqual({ state: 'pending', attempts: 0, lastError: null });
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('alice')).id);
    await receiver.waitFor('/ok', 1);
    const [delivery] = receiver.of('/ok');
    expect(verify(delivery)).toBe(true);
    const sent = JSON.parse(delivery.body) as Record<string, any>;
    const read = (await stack.other.get(start.body!.id)).body!;
    expect({ ...sent, webhook: undefined, eventsUrl: undefined }).toEqual({ ...read, webhook: undefined, eventsUrl: undefined });
    expect(sent.status).toBe('approved');
    expect(sent.initiatedBy).toEqual({ type: 'consumer', id: 'other' });
    // A consumer without receiveTokens gets no tokens, in this channel too.
    expect(sent.result).not.toHaveProperty('tokens');
    expect(read.webhook).toEqual({ state: 'delivered', attempts: 1, lastError: null });
  });

  it('retries a failed delivery soon, with the same delivery id and the same bytes', async () => {
    receiver.answers.set('/flaky', [500]);
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'bob', callbackUrl: `${receiver.url}/flaky` });
    await stack.portal.cancel(start.body!.id);
    await receiver.waitFor('/flaky', 2);
    const [first, second] = receiver.of('/flaky');
    expect(second.deliveryId).toBe(first.deliveryId);
    expect(second.body).toBe(first.body);
    expect(JSON.parse(first.body).status).toBe('cancelled');
    const read = await stack.portal.get(start.body!.id, '?wait=2&status=cancelled');
    expect(read.body!.webhook).toMatchObject({ attempts: 2 });
  });

  it('gives up at once on 410 Gone, and does not follow redirects', async () => {
    receiver.answers.set('/gone', [410]);
    const gone = await stack.portal.start({ provider: 'sandbox', loginHint: 'carol', callbackUrl: `${receiver.url}/gone` });
    await stack.portal.cancel(gone.body!.id);
    await receiver.waitFor('/gone', 1);
    receiver.answers.set('/moved', [302, 302, 302]);
    const moved = await stack.portal.start({ provider: 'sandbox', loginHint: 'dave', callbackUrl: `${receiver.url}/moved` });
    await stack.portal.cancel(moved.body!.id);
    await receiver.waitFor('/moved', 1);
    const goneDoc = await waitForWebhookState(stack, gone.body!.id, 'failed');
    expect(goneDoc).toEqual({ state: 'failed', attempts: 1, lastError: 'HTTP 410' });
    expect(receiver.of('/internal')).toEqual([]);
    expect((await stack.portal.get(moved.body!.id)).body!.webhook).toMatchObject({ lastError: 'HTTP 302' });
  });

  it('refuses callback URLs it can judge at creation, and the provider hears nothing', async () => {
    const cases: [string, RegExp][] = [
      ['https://evil.example.com/hook', /allowedHosts/],
      ['https://169.254.169.254/latest/meta-data', /allowedHosts|private/],
      ['http://pos.example.com/hook', /https/],
      ['https://user:pw@pos.example.com/hook', /credentials/],
    ];
    const before = stack.sandbox.pending().length;
    for (const [url, why] of cases) {
      const answer = await stack.portal.start({ provider: 'sandbox', loginHint: '01001044444', callbackUrl: url });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'callback_not_allowed', detail: expect.stringMatching(why) });
    }
    expect(stack.sandbox.pending()).toHaveLength(before);
  });

  it('refuses, at delivery, a host that resolves to a private or loopback address', async () => {
    const rebinding = (
      _host: string,
      _options: unknown,
      callback: (error: null, addresses: { address: string; family: number }[]) => void,
    ) => callback(null, [{ address: '10.0.0.7', family: 4 }]);
    const sender = new WebhookSender(rebinding as never);
    const result = await sender.send('https://pos.example.com/hook', '{}', SECRET, 'd1', false);
    expect(result).toEqual({ ok: false, error: 'refused: the host resolves to a forbidden address' });
    const loopbackName = await new WebhookSender().send(
      `${receiver.url.replace('127.0.0.1', 'localhost')}/nope`,
      '{}',
      SECRET,
      'd2',
      false,
    );
    expect(loopbackName).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
    await sender.close();
    expect(receiver.of('/nope')).toEqual([]);
    expect(typeof safeLookup(false)).toBe('function');
  });
});

async function waitForWebhookState(stack: Stack, id: string, state: string): Promise<unknown> {
  for (let i = 0; i < 50; i += 1) {
    const document = (await stack.portal.get(id)).body!;
    if (document.webhook?.state === state) return document.webhook;
    // The webhook state changes after the terminal event; there is no event to await for it.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`webhook never reached ${state}`);
}
