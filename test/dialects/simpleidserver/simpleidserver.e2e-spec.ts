import { SID_CLIENT, startSidStack, type SidStack } from './simpleidserver-stack.js';

/**
 * The SimpleIdServer profile through the real BFF, against a dialect server that is as strict as
 * SimpleIdServer: realm discovery, client_secret_post, the password as user_code, early polls
 * punished with slow_down, and "pending" forever after expiry.
 */
describe('SimpleIdServer profile end to end', () => {
  let sid: SidStack;

  beforeAll(async () => {
    sid = await startSidStack([
      { sub: 'alice', password: 'alice-Pw1', claims: { name: 'Alice Andersen', email: 'alice@example.com' } },
      { sub: 'bob', password: 'bob-Pw2' },
      { sub: 'carol', password: 'carol-Pw3' },
      { sub: 'erin', password: 'erin-Pw5' },
      { sub: 'frank', password: 'frank-Pw6' },
    ]);
  });
  afterAll(async () => {
    await sid?.close();
  });

  const bcAuthorizeCalls = () => sid.server.ledger.filter((entry) => entry.endpoint === 'bc-authorize');

  it('approve: sends login_hint and the password as user_code, polls the discovered token endpoint, ends approved with claims', async () => {
    const start = await sid.portal.start({
      provider: 'sid',
      loginHint: ' alice ',
      userCode: 'alice-Pw1',
      bindingMessage: 'Pay 12.50 EUR to Corner Shop?',
    });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ status: 'pending', interval: 1, bindingMessage: 'Pay 12.50 EUR to Corner Shop?' });
    const request = await sid.server.waitForRequest('alice');
    const initiation = bcAuthorizeCalls().find((entry) => entry.authReqId === request.authReqId)!;
    expect(initiation.params).toEqual({
      client_id: SID_CLIENT.clientId,
      client_secret: SID_CLIENT.secret,
      scope: 'openid profile email',
      login_hint: 'alice',
      user_code: 'alice-Pw1',
      binding_message: 'Pay 12.50 EUR to Corner Shop?',
    });
    expect(initiation.authorization).toBeNull();
    sid.server.approve(request.authReqId); // at once: a poll before one interval would get slow_down now

    const done = await sid.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({
      status: 'approved',
      error: null,
      result: {
        subject: 'alice',
        claims: { sub: 'alice', name: 'Alice Andersen', email: 'alice@example.com' },
        acr: 'sid-load-01',
        amr: ['pwd'],
        tokens: { idToken: expect.any(String), accessToken: expect.any(String), tokenType: expect.stringMatching(/^bearer$/i) },
      },
    });
    const polls = sid.server.polls(request.authReqId);
    expect(polls.map((poll) => poll.answer)).toEqual(['tokens']);
    expect(polls[0].path).toBe('/master/token');
    // The first poll waits one interval after the acknowledgement.
    expect(polls[0].at - initiation.at).toBeGreaterThanOrEqual(1000);
  });

  it('discovery: found under the realm, and every grant went to the discovered token endpoint', () => {
    const discovery = sid.server.ledger.filter((entry) => entry.path.endsWith('/.well-known/openid-configuration'));
    expect(discovery.length).toBeGreaterThanOrEqual(1);
    for (const entry of discovery) expect(entry).toMatchObject({ path: '/master/.well-known/openid-configuration', status: 200 });
    expect(bcAuthorizeCalls().some((entry) => 'grant_type' in entry.params || 'auth_req_id' in entry.params)).toBe(false);
    expect(sid.server.polls().length).toBeGreaterThanOrEqual(1);
  });

  it('deny: ends denied with access_denied', async () => {
    const start = await sid.portal.start({ provider: 'sid', loginHint: 'bob', userCode: 'bob-Pw2' });
    expect(start.status).toBe(201);
    sid.server.deny((await sid.server.waitForRequest('bob')).authReqId);
    const done = await sid.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'denied', result: null, error: { code: 'access_denied' } });
  });

  it('expiry: the server says authorization_pending past its own expiry, never expired_token; we end expired at our deadline', async () => {
    const start = await sid.portal.start({ provider: 'sid', loginHint: 'carol', userCode: 'carol-Pw3', requestedExpiry: 4 });
    expect(start.status).toBe(201);
    const deadline = Date.parse(start.body!.expiresAt);
    expect(deadline - Date.parse(start.body!.createdAt)).toBe(4000);
    const request = await sid.server.waitForRequest('carol');
    await sid.server.waitForPolls(request.authReqId, 1);
    sid.server.expire(request.authReqId); // from now on the server's request is expired, and still "pending"
    const expiredAt = Date.now();

    const done = await sid.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'expired', error: { code: 'expired' } });
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
    const polls = sid.server.polls(request.authReqId);
    const afterServerExpiry = polls.filter((poll) => poll.at > expiredAt);
    expect(afterServerExpiry.length).toBeGreaterThanOrEqual(1);
    for (const poll of afterServerExpiry) expect(poll.answer).toBe('authorization_pending');
    for (const poll of polls) expect(poll.at).toBeLessThan(deadline);
    expect(sid.server.ledger.some((entry) => entry.answer === 'expired_token')).toBe(false);
  });

  it('a wrong password is 422 invalid_user_code with providerError invalid_credentials, and the code is not echoed', async () => {
    const calls = bcAuthorizeCalls().length;
    const refused = await sid.portal.start({ provider: 'sid', loginHint: 'erin', userCode: 'Guess-Wrong-42' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'invalid_user_code', providerError: 'invalid_credentials' });
    expect(JSON.stringify(refused.body)).not.toContain('Guess-Wrong-42');
    expect(bcAuthorizeCalls()).toHaveLength(calls + 1);
    expect(bcAuthorizeCalls().at(-1)!.answer).toBe('invalid_credentials');

    // Nothing is left pending: the right password goes through at once.
    const retried = await sid.portal.start({ provider: 'sid', loginHint: 'erin', userCode: 'erin-Pw5' });
    expect(retried.status).toBe(201);
    expect((await sid.portal.cancel(retried.body!.id)).body!.status).toBe('cancelled');
  });

  it("an unknown user is 422 customer_unknown, without the provider's description (it echoes the hint)", async () => {
    const refused = await sid.portal.start({ provider: 'sid', loginHint: 'nobody-here', userCode: 'whatever-1' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'customer_unknown', providerError: 'unknown_user_id' });
    expect(JSON.stringify(refused.body)).not.toContain('nobody-here');
    expect(bcAuthorizeCalls().at(-1)!.answer).toBe('unknown_user_id');
  });

  it('requests we refuse never reach the provider: no userCode, a hint with control characters, another hint kind', async () => {
    const calls = bcAuthorizeCalls().length;
    const noCode = await sid.portal.start({ provider: 'sid', loginHint: 'frank' });
    expect(noCode).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    expect(noCode.body!.detail).toMatch(/userCode/);
    expect((await sid.portal.start({ provider: 'sid', loginHint: 'fra\u0000nk', userCode: 'frank-Pw6' })).status).toBe(400);
    expect((await sid.portal.start({ provider: 'sid', loginHintToken: 'eyJhbGciOiJub25lIn0.e30.', userCode: 'frank-Pw6' })).status).toBe(
      400,
    );
    expect(
      (await sid.portal.start({ provider: 'sid', loginHint: 'frank', userCode: 'frank-Pw6', bindingMessage: 'x'.repeat(151) })).status,
    ).toBe(400);
    expect(bcAuthorizeCalls()).toHaveLength(calls);
  });

  it('identity binding: an ID Token for another subject than the hint ends failed / identity_mismatch', async () => {
    const start = await sid.portal.start({ provider: 'sid', loginHint: 'frank', userCode: 'frank-Pw6' });
    expect(start.status).toBe(201);
    sid.server.approve((await sid.server.waitForRequest('frank')).authReqId, { sub: 'frank2' });
    const done = await sid.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'failed', result: null, error: { code: 'identity_mismatch' } });
  });

  it('ledger: no slow_down ever, no poll before one interval, none after the tokens, client_secret_post every time', () => {
    const polls = sid.server.polls();
    expect(polls.length).toBeGreaterThanOrEqual(5);
    expect(sid.server.ledger.filter((entry) => entry.answer === 'slow_down')).toEqual([]);
    for (const request of sid.server.requests.values()) {
      const times = [request.createdAt, ...sid.server.polls(request.authReqId).map((poll) => poll.at)];
      for (let i = 1; i < times.length; i += 1) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(request.interval * 1000);
      const answers = sid.server.polls(request.authReqId).map((poll) => poll.answer);
      expect(answers.indexOf('tokens') === -1 || answers.indexOf('tokens') === answers.length - 1).toBe(true);
    }
    for (const entry of [...polls, ...bcAuthorizeCalls()]) {
      expect(entry.authorization).toBeNull();
      expect(entry.params).toMatchObject({ client_id: SID_CLIENT.clientId, client_secret: SID_CLIENT.secret });
      expect(entry.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    }
    expect(polls.every((poll) => poll.params.grant_type === 'urn:openid:params:grant-type:ciba')).toBe(true);
  });
});
