import { startStack, type Stack } from '../../support/bff-stack.js';
import { PlumeryServer } from './plumery-server.js';

/**
 * The Plumery dialect end to end: the consumer's REST call, the real BFF and its workers, and a
 * strict stand-in for Plumery's auth orchestrator (non-standard paths, no discovery).
 */
describe('Plumery dialect through the BFF', () => {
  let stack: Stack;
  let plumery: PlumeryServer;

  beforeAll(async () => {
    stack = await startStack({
      providers: async () => {
        plumery = await PlumeryServer.start({ clientId: 'bff', clientSecret: 'plumery-secret', interval: 1 });
        const entry = (secret: string) => ({
          profile: 'plumery',
          issuer: plumery.issuer,
          backchannelAuthenticationEndpoint: plumery.endpoint('backchannel'),
          tokenEndpoint: plumery.endpoint('token'),
          jwksUri: plumery.endpoint('jwks'),
          clientId: 'bff',
          clientAuth: { method: 'client_secret_basic', secret },
          scope: 'openid',
          allowInsecureHttp: true,
        });
        return { plumery: entry('plumery-secret'), 'plumery-stale': entry('an-old-secret') };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await plumery?.close();
  });

  const start = (body: Record<string, unknown>) => stack.portal.start({ provider: 'plumery', ...body });
  const finish = async (id: string) => (await stack.portal.waitForStatusChange(id, 'pending', 20)).body!;

  it('smart-id: personal id hint, the method fields sent, approved with amr [smart-id]', async () => {
    const started = await start({ loginHint: 'personalId:LT:38001085718', acrValues: 'smart-id' });
    expect(started.status).toBe(201);
    const request = await plumery.waitForRequest('jonas');
    expect(plumery.entries('backchannel').at(-1)!.params).toMatchObject({
      login_hint: 'personalId:LT:38001085718',
      acr_values: 'smart-id',
      personal_id: '38001085718',
      country: 'LT',
      scope: 'openid',
    });
    plumery.approve(request.authReqId, { method: 'smart-id' });
    const done = await finish(started.body!.id);
    expect(done).toMatchObject({
      status: 'approved',
      result: { subject: 'plm-1001', amr: ['smart-id'], claims: { personal_id: '38001085718' } },
    });
    // No discovery: only the configured endpoints were called.
    expect(plumery.entries('other')).toEqual([]);
  });

  it('mobile-id: username and phone number from the hint object, approved with amr [mobile-id]', async () => {
    const started = await start({ loginHint: { username: 'ruta', phoneNumber: '+37060000777' }, acrValues: 'mobile-id' });
    expect(started.status).toBe(201);
    const request = await plumery.waitForRequest('ruta');
    expect(plumery.entries('backchannel').at(-1)!.params).toMatchObject({
      login_hint: 'username:ruta',
      acr_values: 'mobile-id',
      phone_number: '+37060000777',
    });
    plumery.approve(request.authReqId);
    expect(await finish(started.body!.id)).toMatchObject({
      status: 'approved',
      result: { amr: ['mobile-id'], claims: { preferred_username: 'ruta' } },
    });
  });

  it('access_denied ("not authorized") ends denied', async () => {
    const started = await start({ loginHint: 'petras' });
    plumery.deny((await plumery.waitForRequest('petras')).authReqId);
    expect(await finish(started.body!.id)).toMatchObject({ status: 'denied', error: { code: 'access_denied' } });
  });

  it('expired_token ends expired', async () => {
    const started = await start({ loginHint: 'username:egle' });
    plumery.expire((await plumery.waitForRequest('egle')).authReqId);
    expect(await finish(started.body!.id)).toMatchObject({ status: 'expired', error: { code: 'expired' } });
  });

  it('two 500s with OAuth bodies (server_error, temporarily_unavailable) are retried with growing back-off, then approved', async () => {
    plumery.failNext('token', { status: 500, error: 'server_error', description: 'internal error' });
    plumery.failNext('token', { status: 500, error: 'temporarily_unavailable' });
    const started = await start({ loginHint: { personalId: { country: 'ee', id: '49403136526' } }, acrValues: 'smart-id' });
    const request = await plumery.waitForRequest('mari');
    plumery.approve(request.authReqId);
    expect(await finish(started.body!.id)).toMatchObject({ status: 'approved', result: { amr: ['smart-id'] } });
    const polls = plumery.entries('token', request.authReqId);
    expect(polls.map((p) => p.status)).toEqual([500, 500, 200]);
    const gaps = [polls[1].at - polls[0].at, polls[2].at - polls[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
  });

  it('invalid_client at the token endpoint ends failed / provider_rejected, naming the configuration', async () => {
    const started = await start({ loginHint: 'lukas' });
    const request = await plumery.waitForRequest('lukas');
    plumery.setClientSecret('rotated-at-plumery');
    try {
      const done = await finish(started.body!.id);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'provider_rejected' } });
      expect(done.error.description).toContain('invalid_client');
      expect(plumery.entries('token', request.authReqId).map((p) => p.error)).toEqual(['invalid_client']);
    } finally {
      plumery.setClientSecret('plumery-secret');
    }
  });

  it('invalid_client at the backchannel endpoint is a 500 provider_misconfigured', async () => {
    const answer = await stack.portal.start({ provider: 'plumery-stale', loginHint: 'kestas' });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'provider_misconfigured', providerError: 'invalid_client' });
  });

  it('an unknown user is 422 customer_unknown', async () => {
    const answer = await start({ loginHint: 'username:nobody' });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'customer_unknown' });
    expect(plumery.entries('backchannel').at(-1)).toMatchObject({
      status: 400,
      error: 'invalid_request',
      params: { login_hint: 'username:nobody' },
    });
  });

  it('no device, and a device without authentication, are 422 provider_rejected with our providerError', async () => {
    const none = await start({ loginHint: 'ona' });
    expect(none.status).toBe(422);
    expect(none.body).toMatchObject({ code: 'provider_rejected', providerError: 'no_device' });
    const uncertified = await start({ loginHint: 'ieva' });
    expect(uncertified.body).toMatchObject({ code: 'provider_rejected', providerError: 'no_device_authentication' });
  });

  it('a 500 server_error at the backchannel endpoint is 503 provider_unavailable', async () => {
    plumery.failNext('backchannel', { status: 500, error: 'server_error' });
    const answer = await start({ loginHint: 'vytas' });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ code: 'provider_unavailable' });
  });

  it('a malformed hint or a missing method field is a 400 that never reaches Plumery', async () => {
    const before = plumery.ledger.length;
    const refused = [
      { loginHint: 'personalId:LT:38001085719' }, // check digit
      { loginHint: { personalId: { country: 'XX', id: '123' } } }, // not an ISO country
      { loginHint: { username: 'tomas', phoneNumber: '860000666' } }, // not E.164
      { loginHint: 'tomas', acrValues: 'mobile-id' }, // mobile-id without a phone number
      { loginHint: { username: 'tomas' }, acrValues: 'smart-id' }, // smart-id without a personal id
      { loginHint: 'tomas', acrValues: 'mobile-id smart-id' },
      { loginHintToken: 'eyJ.x.y' },
    ];
    for (const body of refused) {
      const answer = await start(body);
      expect({ body, status: answer.status, code: answer.body!.code }).toEqual({ body, status: 400, code: 'invalid_request' });
    }
    expect(plumery.ledger.length).toBe(before);
  });

  it('another person in the ID Token ends identity_mismatch; another method ends insufficient_acr', async () => {
    const other = await start({ loginHint: { username: 'tomas', personalId: { country: 'LT', id: '37001019994' } } });
    plumery.approve((await plumery.waitForRequest('tomas')).authReqId, { claims: { preferred_username: 'jonas' } });
    expect(await finish(other.body!.id)).toMatchObject({ status: 'failed', error: { code: 'identity_mismatch' } });
    expect(plumery.entries('backchannel').at(-1)!.params).toMatchObject({
      login_hint: 'username:tomas',
      personal_id: '37001019994',
      country: 'LT',
    });

    const weaker = await start({ loginHint: { username: 'aldona', phoneNumber: '+37060001555' }, acrValues: 'mobile-id' });
    plumery.approve((await plumery.waitForRequest('aldona')).authReqId, { method: 'app-passcode' });
    expect(await finish(weaker.body!.id)).toMatchObject({ status: 'failed', error: { code: 'insufficient_acr' } });
  });
});
