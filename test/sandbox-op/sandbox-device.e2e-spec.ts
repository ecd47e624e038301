import { Script } from 'node:vm';

import * as client from 'openid-client';

import { startSandboxProvider, type RunningSandbox, type SandboxRequestView } from '../../apps/sandbox-op/src/index.js';
import { discover, oauthError, pollOnce } from './sandbox-test-helpers.js';

describe('sandbox device simulator (page + JSON API)', () => {
  let sandbox: RunningSandbox;
  let bff: client.Configuration;

  beforeAll(async () => {
    sandbox = await startSandboxProvider();
    bff = await discover(sandbox.issuer, 'bff', client.ClientSecretBasic('sandbox-secret'));
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const initiate = (loginHint: string, bindingMessage: string) =>
    client.initiateBackchannelAuthentication(bff, { scope: 'openid profile', login_hint: loginHint, binding_message: bindingMessage });
  const api = (path: string, init?: RequestInit) => fetch(`${sandbox.url}/device/api${path}`, init);

  it('shows a customer phone with the pending request and its binding message', async () => {
    const { auth_req_id: authReqId } = await initiate('alice', 'PAGE-4242');
    const request = await sandbox.waitForRequest('alice');

    const listed = (await (await api('/requests?customer=alice')).json()) as SandboxRequestView[];
    expect(listed).toEqual([request]);
    expect(await (await api('/requests?customer=bob')).json()).toEqual([]);

    const page = await fetch(`${sandbox.deviceUrl}?customer=alice`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("<h1>Alice Beridze's phone</h1>");
    expect(html).toContain('PAGE-4242');
    expect(html).toContain(`/device/api/requests/${request.id}/approve`);
    // the inline script must at least parse
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(() => new Script(script)).not.toThrow();

    expect((await api(`/requests/${request.id}/approve`, { method: 'POST' })).status).toBe(204);
    expect((await pollOnce(bff, authReqId)).claims()?.amr).toEqual(['mobile-app']);
  });

  it('approves with an acr/amr body and denies through the API', async () => {
    const approved = await initiate('bob', 'API-1');
    const first = await sandbox.waitForRequest('bob');
    const body = JSON.stringify({ acr: 'urn:sandbox:acr:substantial', amr: ['otp'] });
    const response = await api(`/requests/${first.id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(204);
    expect((await pollOnce(bff, approved.auth_req_id)).claims()).toMatchObject({ acr: 'urn:sandbox:acr:substantial', amr: ['otp'] });

    const denied = await initiate('bob', 'API-2');
    const second = await sandbox.waitForRequest('bob');
    expect((await api(`/requests/${second.id}/deny`, { method: 'POST' })).status).toBe(204);
    expect(await oauthError(pollOnce(bff, denied.auth_req_id))).toBe('access_denied');
  });

  it('redirects a no-JS form post back to the phone page', async () => {
    await initiate('carol', 'FORM-1');
    const request = await sandbox.waitForRequest('carol');
    const response = await api(`/requests/${request.id}/deny`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/device?customer=carol');
    expect(sandbox.pending('carol')).toEqual([]);
  });

  it('answers 404 for unknown requests or customers and 400 for a malformed body', async () => {
    expect((await api('/requests/not-a-request/approve', { method: 'POST' })).status).toBe(404);
    expect((await api('/requests?customer=mallory')).status).toBe(404);

    await initiate('dave', 'BAD-BODY');
    const request = await sandbox.waitForRequest('dave');
    const response = await api(`/requests/${request.id}/approve`, { method: 'POST', body: '{"amr": "not-a-list"}' });
    expect(response.status).toBe(400);
    expect(sandbox.pending('dave')).toEqual([request]); // a rejected decision leaves the request pending
    await sandbox.deny(request.id);
  });

  it("serves a phone's inbox with each request's state and the time the client last polled it", async () => {
    const { auth_req_id: authReqId } = await initiate('dave', 'INBOX-1');
    const request = await sandbox.waitForRequest('dave');
    type Inbox = (SandboxRequestView & { state: string; lastPolledAt: string | null })[];
    const inbox = async () => (await (await api('/inbox?customer=dave')).json()) as Inbox;
    expect(await inbox()).toEqual([{ ...request, state: 'pending', lastPolledAt: null }]);

    const before = Date.now();
    expect(await oauthError(pollOnce(bff, authReqId))).toBe('authorization_pending');
    const [polled] = await inbox();
    expect(Date.parse(polled.lastPolledAt!)).toBeGreaterThanOrEqual(before - 1);
    expect(polled.state).toBe('pending');
    // The plain list keeps its shape: what other tests and tools read.
    expect(await (await api('/requests?customer=dave')).json()).toEqual([request]);
    expect((await api('/inbox')).status).toBe(400);
    await sandbox.deny(request.id);
    expect(await inbox()).toEqual([]);
  });

  it('lists the demo customers and offers them on the landing page', async () => {
    const customers = (await (await api('/customers')).json()) as { username: string }[];
    expect(customers.map((customer) => customer.username)).toEqual(sandbox.customers.map((customer) => customer.username));
    const html = await (await fetch(sandbox.deviceUrl)).text();
    for (const customer of sandbox.customers) expect(html).toContain(`/device?customer=${customer.username}`);
  });
});
