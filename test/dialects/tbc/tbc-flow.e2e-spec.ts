import { startStack, type Stack } from '../../support/bff-stack.js';
import { CUSTOMERS, TBC_CLIENT } from './tbc-fixtures.js';
import { TbcDialectServer } from './tbc-server.js';

/**
 * The TBC dialect end to end: our real API and workers against a server that speaks TBC's CIBA
 * (seed 000) strictly: initialize → middle token → the customer's code → finalize → final tokens.
 */
describe('TBC Bank dialect: the two-step flow', () => {
  let stack: Stack;
  let tbc: TbcDialectServer;

  beforeAll(async () => {
    stack = await startStack({
      providers: async () => {
        tbc = await TbcDialectServer.start({ ...TBC_CLIENT, customers: Object.values(CUSTOMERS) });
        return { tbc: tbc.providerConfig() };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await tbc?.close();
  });

  /** Starts, lets the customer confirm the first step, and waits for `awaiting_user_code`. */
  async function reachUserCode(body: Record<string, unknown>, personalNumber: string, fault: { tokenPersonalNumber?: string } = {}) {
    const start = await stack.portal.start({ provider: 'tbc', ...body });
    expect(start.status).toBe(201);
    const initialize = await tbc.waitForRequest(personalNumber);
    tbc.approve(initialize.authReqId, fault);
    const awaiting = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(awaiting.body).toMatchObject({ status: 'awaiting_user_code', error: null, result: null });
    return { id: start.body!.id as string, start, initialize };
  }

  const giveCode = (id: string, userCode: string) => stack.portal.request('POST', `/v1/authentications/${id}/user-code`, { userCode });

  it('approve: initialize, middle token, user code, finalize, final tokens; approved with the verified claims', async () => {
    const nino = CUSTOMERS.nino;
    const start = await stack.portal.start({
      provider: 'tbc',
      loginHint: { personal_number: nino.personalNumber },
      claims: { id_token: { name: null } },
      uiLocales: 'ka en',
    });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ status: 'pending', bindingMessage: null, interval: 1 });
    const initialize = await tbc.waitForRequest(nino.personalNumber);
    expect(initialize.form).toEqual({
      client_id: TBC_CLIENT.clientId,
      scope: 'openid',
      login_hint: JSON.stringify({ personal_number: nino.personalNumber }),
      claims: JSON.stringify({ id_token: { name: null, personal_number: { essential: true } } }),
      ui_locales: 'ka en',
    });
    // A pending answer in problem+json is read as pending, not as a failure.
    await tbc.waitForLedger((entry) => entry.endpoint === 'token' && entry.code === 'authorization_pending');
    expect((await stack.portal.get(start.body!.id)).body!.status).toBe('pending');
    tbc.approve(initialize.authReqId);

    const awaiting = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(awaiting.body).toMatchObject({ status: 'awaiting_user_code', error: null });
    const accepted = await giveCode(start.body!.id, nino.userCode);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'pending', error: null });

    const finalize = await tbc.waitForRequest(nino.personalNumber, 'finalize');
    expect(Object.keys(finalize.form).sort()).toEqual(['client_id', 'id_token_hint', 'user_code']);
    expect(finalize.form.user_code).toBe(nino.userCode);

    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({
      status: 'approved',
      error: null,
      result: {
        subject: nino.sub,
        claims: { sub: nino.sub, personal_number: nino.personalNumber, name: nino.name },
        acr: 'urn:tbc:loa:substantial',
        amr: ['app', 'otp'],
        // BearerToken and milliseconds, read by the tolerant parser.
        tokens: { tokenType: 'Bearer', expiresIn: 3600, accessToken: expect.any(String), idToken: expect.any(String) },
      },
    });
    expect(tbc.ledger.filter((entry) => entry.code === 'slow_down')).toEqual([]);
  });

  it('a phone number hint is normalised (Unicode digits, +, spaces, dashes, dots) before it is sent', async () => {
    const giorgi = CUSTOMERS.giorgi;
    const { id } = await reachUserCode({ loginHint: { msisdn: '+٩٩٥ ٥٩٩-22.22.22' } }, giorgi.personalNumber);
    const initialize = await tbc.waitForRequest(giorgi.personalNumber);
    expect(initialize.form.login_hint).toBe('{"msisdn":"995599222222"}');
    expect(JSON.parse(initialize.form.claims)).toEqual({ id_token: { phone_number: { essential: true } } });
    expect((await giveCode(id, giorgi.userCode)).status).toBe(200);
    const done = await stack.portal.waitForStatusChange(id, 'pending', 20);
    // The token's phone_number "+995599222222" matches the hint's digits.
    expect(done.body).toMatchObject({ status: 'approved', result: { claims: { phone_number: `+${giorgi.msisdn}` } } });
  });

  it('deny: access_denied in problem+json ends `denied`', async () => {
    const start = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: CUSTOMERS.tamar.personalNumber } });
    const initialize = await tbc.waitForRequest(CUSTOMERS.tamar.personalNumber);
    tbc.deny(initialize.authReqId);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'denied', result: null, error: { code: 'access_denied' } });
    // The problem's detail (which names the customer) is not passed on.
    expect(JSON.stringify(done.body)).not.toContain(CUSTOMERS.tamar.personalNumber);
  });

  it('expired_token as an OAuth JSON error ends `expired`', async () => {
    tbc.errorFormat = 'oauth';
    try {
      const start = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: CUSTOMERS.levan.personalNumber } });
      tbc.expire((await tbc.waitForRequest(CUSTOMERS.levan.personalNumber)).authReqId);
      const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
      expect(done.body).toMatchObject({ status: 'expired', error: { code: 'expired' } });
    } finally {
      tbc.errorFormat = 'problem';
    }
  });

  it('expiry: the deadline passes while the customer has not given the code → `expired`', async () => {
    const finalizesBefore = tbc.backchannelRequests('finalize').length;
    const { id, start } = await reachUserCode(
      { loginHint: { personal_number: CUSTOMERS.ana.personalNumber }, requestedExpiry: 3 },
      CUSTOMERS.ana.personalNumber,
    );
    expect(Date.parse(start.body!.expiresAt) - Date.parse(start.body!.createdAt)).toBe(3000);
    const done = await stack.portal.waitForStatusChange(id, 'awaiting_user_code', 20);
    expect(done.body).toMatchObject({ status: 'expired', error: { code: 'expired' } });
    expect(tbc.backchannelRequests('finalize')).toHaveLength(finalizesBefore);
  });

  it('identity mismatch: a final token for another personal number ends `failed` / identity_mismatch', async () => {
    const dato = CUSTOMERS.dato;
    const { id } = await reachUserCode({ loginHint: { personal_number: dato.personalNumber } }, dato.personalNumber, {
      tokenPersonalNumber: CUSTOMERS.eka.personalNumber,
    });
    expect((await giveCode(id, dato.userCode)).status).toBe(200);
    const done = await stack.portal.waitForStatusChange(id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'failed', result: null, error: { code: 'identity_mismatch' } });
  });
});
