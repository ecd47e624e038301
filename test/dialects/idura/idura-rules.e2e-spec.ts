import { startStack, type Stack } from '../../support/bff-stack.js';
import { KEY_CLIENT_ID, NORWEGIANS, SWEDES, clientKeys, iduraProvider } from './idura-fixtures.js';
import { IduraServer } from './idura-server.js';
import { followStatus } from './status-stream.js';

/** Idura's rules through the real BFF: hint checks, the default interval, progress, identity, 429. */
describe('Idura dialect: rules', () => {
  let stack: Stack;
  let idura: IduraServer;

  beforeAll(async () => {
    const { privateJwk, publicJwk } = await clientKeys();
    stack = await startStack({
      providers: async () => {
        idura = await IduraServer.start([{ clientId: KEY_CLIENT_ID, publicJwk }]);
        return {
          idura: iduraProvider(idura.endpoints, idura.issuer, { method: 'private_key_jwt', privateKey: privateJwk }, KEY_CLIENT_ID),
        };
      },
    });
  });
  afterEach(() => {
    idura.ackInterval = undefined;
  });
  afterAll(async () => {
    await stack?.close();
    await idura?.close();
  });

  it('a bad SSN, acr or binding message is a 400 that never reaches Idura', async () => {
    const se = 'urn:grn:authn:se:bankid';
    const refused = [
      { loginHint: { ssn: '196802020576' }, acrValues: se, detail: /check digit/ },
      { loginHint: 'sub:ssn:15038545661', acrValues: 'urn:grn:authn:no:bankid', detail: /check digits/ },
      { loginHint: { ssn: NORWEGIANS[1] }, acrValues: se, detail: /Swedish eID/ },
      { loginHint: { ssn: SWEDES[3] }, acrValues: undefined, detail: /exactly one/ },
      { loginHint: { ssn: NORWEGIANS[1] }, acrValues: 'urn:grn:authn:no:bankid', bindingMessage: 'ABCD-1234', detail: /word pair/ },
    ];
    for (const { detail, ...body } of refused) {
      const answer = await stack.portal.start({ provider: 'idura', ...body });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'invalid_request', detail: expect.stringMatching(detail) });
    }
    expect(idura.ledger).toEqual([]);
  });

  it('no interval in the acknowledgement: the first poll comes 5 s after it, never sooner', async () => {
    const start = await stack.portal.start({ provider: 'idura', loginHint: { ssn: SWEDES[3] }, acrValues: 'urn:grn:authn:se:bankid' });
    expect(start.body!.interval).toBe(5);
    const request = await idura.waitForRequest(SWEDES[3]);
    const ack = idura.ledger.find((e) => e.answer.auth_req_id === request.authReqId)!;
    expect(ack.answer).not.toHaveProperty('interval');
    const first = await idura.waitForPoll(request.authReqId, 1);
    expect(first.at - ack.at).toBeGreaterThanOrEqual(5000);
    expect(first.answer).toEqual({ error: 'authorization_pending', error_description: 'awaiting first user interaction' });
    expect((await stack.portal.cancel(start.body!.id)).body!.status).toBe('cancelled');
  });

  it("progress: Idura's pending descriptions show in the status document as they change", async () => {
    idura.ackInterval = 1;
    const start = await stack.portal.start({ provider: 'idura', loginHint: { ssn: SWEDES[4] }, acrValues: 'urn:grn:authn:se:bankid' });
    const request = await idura.waitForRequest(SWEDES[4]);
    const status = await followStatus(`${stack.bff!.url}${start.body!.eventsUrl}`);
    await status.waitFor((d) => d.progress === 'awaiting first user interaction');
    idura.setProgress(request, 'awaiting user request acknowledgement');
    await status.waitFor((d) => d.progress === 'awaiting user request acknowledgement');
    idura.setProgress(request, 'awaiting user identification');
    await status.waitFor((d) => d.progress === 'awaiting user identification');
    idura.approve(request);
    const done = await status.waitFor((d) => d.status === 'approved');
    expect(done.progress).toBeNull();
    await status.ended;
    expect(idura.polls(request.authReqId).filter((e) => e.answer.error === 'slow_down')).toEqual([]);
  });

  it('identity mismatch: an ID Token for another SSN ends `failed` / identity_mismatch', async () => {
    idura.ackInterval = 1;
    const start = await stack.portal.start({ provider: 'idura', loginHint: { ssn: SWEDES[5] }, acrValues: 'urn:grn:authn:se:bankid' });
    idura.approve(await idura.waitForRequest(SWEDES[5]), { ssn: SWEDES[6] });
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'failed', result: null, error: { code: 'identity_mismatch' } });
  });

  it('a 429 from the token endpoint is transient: the next poll honours Retry-After and the flow completes', async () => {
    idura.ackInterval = 1;
    idura.failNext('token', { status: 429, headers: { 'retry-after': '3', 'content-type': 'text/plain' }, body: 'Too Many Requests' });
    const start = await stack.portal.start({ provider: 'idura', loginHint: { ssn: SWEDES[7] }, acrValues: 'urn:grn:authn:se:bankid' });
    const request = await idura.waitForRequest(SWEDES[7]);
    const limited = await idura.waitForPoll(request.authReqId, 1);
    expect(limited.status).toBe(429);
    idura.approve(request);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body!.status).toBe('approved');
    const [, next] = idura.polls(request.authReqId);
    expect(next.at - limited.at).toBeGreaterThanOrEqual(3000);
  });
});
