import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CibaClient, CibaProblemError, verifyWebhookSignature, type StartAuthenticationRequest, type StatusDocument } from '@ciba/client';
import { startStack, type Stack } from '../support/bff-stack.js';
import { closeServer, readBody } from '../support/http-server.js';

const SECRET = 'pos-webhook-secret';

interface Delivery {
  body: string;
  signature: string | undefined;
  deliveryId: string | undefined;
}

/** A POS backend's webhook endpoint: records what arrives, answers 204. */
async function startReceiver(): Promise<{ url: string; server: Server; next: () => Promise<Delivery> }> {
  const waiting: ((delivery: Delivery) => void)[] = [];
  const arrived: Delivery[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    void readBody(request).then((body) => {
      const delivery = {
        body,
        signature: request.headers['x-ciba-signature'] as string | undefined,
        deliveryId: request.headers['x-ciba-delivery-id'] as string | undefined,
      };
      const waiter = waiting.shift();
      if (waiter) waiter(delivery);
      else arrived.push(delivery);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    next: () => (arrived.length ? Promise.resolve(arrived.shift()!) : new Promise((resolve) => waiting.push(resolve))),
  };
}

/**
 * The typed client of libs/client (generated from docs/openapi.json, plus the hand-written layer
 * a POS backend needs) against the real BFF and the sandbox provider: one full flow per delivery
 * path, so the API document is proven by use.
 */
describe('libs/client against the BFF: SSE, long-poll and webhook', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: CibaClient;

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startStack({
      configure: (tree) => {
        tree.consumers.portal.webhook = { secret: SECRET, allowedHosts: ['127.0.0.1'], allowLoopback: true };
      },
    });
    client = new CibaClient({ baseUrl: stack.bff!.url, credentials: stack.keys.portal });
  });
  afterAll(async () => {
    await stack?.close();
    if (receiver) await closeServer(receiver.server);
  });

  it('SSE: start, follow the stream, the customer approves', async () => {
    const started = await client.start({ provider: 'sandbox', loginHint: '01001011111', bindingMessage: 'POS-SSE-1' });
    expect(started.status).toBe('pending');
    const seen: StatusDocument[] = [];
    const following = client.follow(started.id, { onUpdate: (document) => seen.push(document) });
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('alice')).id);
    const final = await following;
    expect(final.status).toBe('approved');
    expect(final.result?.claims).toMatchObject({ personal_number: '01001011111' });
    expect(seen[0].status).toBe('pending');
    expect(seen.at(-1)).toEqual(final);
  });

  it('long-poll: follow without streams, the customer denies', async () => {
    const started = await client.start({ provider: 'sandbox', loginHint: 'bob', bindingMessage: 'POS-LP-1' });
    const following = client.follow(started.id, { via: 'long-poll' });
    await stack.sandbox.deny((await stack.sandbox.waitForRequest('bob')).id);
    const final = await following;
    expect(final.status).toBe('denied');
    expect(final.error?.code).toBe('access_denied');
  });

  it('SSE that a proxy refuses (502): the client falls back to long-polls and still sees the end', async () => {
    const streamsRefused: string[] = [];
    const behindProxy = new CibaClient({
      baseUrl: stack.bff!.url,
      credentials: stack.keys.portal,
      fetch: (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.endsWith('/events')) return fetch(input, init);
        streamsRefused.push(url);
        return Promise.resolve(new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
      },
    });
    const started = await behindProxy.start({ provider: 'sandbox', loginHint: 'dave', bindingMessage: 'POS-FB-1' });
    const following = behindProxy.follow(started.id);
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('dave')).id);
    await expect(following).resolves.toMatchObject({ id: started.id, status: 'approved' });
    expect(streamsRefused).toHaveLength(1);
  });

  it('webhook: the signed result arrives, the signature verifies, and a forged one does not', async () => {
    const started = await client.start({ provider: 'sandbox', loginHint: 'carol', callbackUrl: `${receiver.url}/ciba` });
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('carol')).id);
    const delivery = await receiver.next();
    expect(verifyWebhookSignature(delivery.body, delivery.signature, SECRET)).toBe(true);
    expect(verifyWebhookSignature(delivery.body.replace('approved', 'denied'), delivery.signature, SECRET)).toBe(false);
    expect(verifyWebhookSignature(delivery.body, delivery.signature, 'another-secret')).toBe(false);
    const document = JSON.parse(delivery.body) as StatusDocument;
    expect(document).toMatchObject({ id: started.id, status: 'approved' });
    expect(delivery.deliveryId).toEqual(expect.any(String));
  });

  it('an object hint type-checks (profiles such as tbc take one); the sandbox, a string-hint profile, answers 400', async () => {
    const objectHint: StartAuthenticationRequest = { provider: 'sandbox', loginHint: { personal_number: '01001011111' } };
    await expect(client.start(objectHint)).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it('refusals are problem documents: an unknown provider, a cancel of a finished authentication', async () => {
    const unknown = await client.start({ provider: 'nowhere', loginHint: 'dave' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(CibaProblemError);
    expect((unknown as CibaProblemError).problem).toMatchObject({ status: 404, code: 'unknown_provider' });
    const started = await client.start({ provider: 'sandbox', loginHint: 'dave' });
    expect((await client.cancel(started.id)).status).toBe('cancelled');
    await expect(client.cancel(started.id)).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
    await expect(client.follow(started.id)).resolves.toMatchObject({ status: 'cancelled' });
  });
});
