import { jsonAnswer, localProvider, startTokenEndpoint, type TokenEndpointServer } from '../../../../test/support/token-endpoint.js';
import { dispatcherFetch } from './dispatcher-fetch.js';
import { providerAgent } from './pooled-transport.js';
import { ProviderHttp } from './provider-http.js';
import { ResponseTooLargeError } from './response-too-large.error.js';
import type { Agent } from './undici-classes.js';

/** The fetch of mutual TLS providers, over a plain local server: what openid-client and jose rely on. */
describe(dispatcherFetch.name, () => {
  let endpoint: TokenEndpointServer;
  let agent: Agent;

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    agent = providerAgent({ timeoutSeconds: 5 });
  });
  afterAll(async () => {
    await agent.close();
    await endpoint.close();
  });

  it('sends a form body with its content type and hands back a global Response, repeated headers kept', async () => {
    endpoint.answer = (response) =>
      response
        .writeHead(200, [
          ['content-type', 'application/json'],
          ['x-multi', 'a'],
          ['x-multi', 'b'],
        ])
        .end('{"ok":true}');
    const response = await dispatcherFetch(agent, 4096)(`${endpoint.origin}/token?x=1`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ a: '1 2' }),
      redirect: 'manual',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.headers.get('x-multi')).toBe('a, b');
    await expect(response.json()).resolves.toEqual({ ok: true });
    expect(endpoint.seen.at(-1)).toMatchObject({
      method: 'POST',
      path: '/token?x=1',
      form: { a: '1 2' },
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
    });
  });

  it("rejects with the caller's signal reason (openid-client's timeout) and past the size cap", async () => {
    endpoint.answer = () => undefined;
    const timedOut = dispatcherFetch(agent, 4096)(`${endpoint.origin}/slow`, {
      method: 'GET',
      headers: {},
      body: undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(200),
    });
    await expect(timedOut).rejects.toMatchObject({ name: 'TimeoutError' });
    endpoint.answer = jsonAnswer(200, { padding: 'x'.repeat(5000) });
    const large = dispatcherFetch(agent, 4096)(`${endpoint.origin}/large`, {
      method: 'GET',
      headers: {},
      body: undefined,
      redirect: 'manual',
    });
    await expect(large).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("takes jose's Headers as well as openid-client's record", async () => {
    endpoint.answer = jsonAnswer(200, { keys: [] });
    const response = await dispatcherFetch(agent, 4096)(`${endpoint.origin}/jwks`, {
      method: 'GET',
      headers: new Headers({ accept: 'application/json', 'x-caller': 'jose' }),
      body: undefined,
      redirect: 'manual',
    });
    await expect(response.json()).resolves.toEqual({ keys: [] });
    expect(endpoint.seen.at(-1)!.headers).toMatchObject({ accept: 'application/json', 'x-caller': 'jose' });
  });

  it("a provider's every call (backchannel, discovery, JWKS and token requests) travels on its own agent, closed with it", async () => {
    endpoint.answer = jsonAnswer(200, { ok: true });
    const http = new ProviderHttp(localProvider(endpoint.origin));
    const call = () => http.fetch(`${endpoint.origin}/backchannel`, { method: 'POST', headers: {}, body: 'a=1', redirect: 'manual' });
    const poll = () => http.forms.post(new URL(`${endpoint.origin}/token`), {}, 'b=2');
    await expect((await call()).json()).resolves.toEqual({ ok: true });
    await expect(poll()).resolves.toMatchObject({ status: 200 });
    await http.close();
    // The global fetch would still answer: these calls were on the provider's agent.
    await expect(call()).rejects.toBeInstanceOf(TypeError);
    await expect(poll()).rejects.toBeInstanceOf(TypeError);
  });
});
