import { startStack, type Stack } from '../../support/bff-stack.js';
import { CUSTOMERS, TBC_CLIENT } from './tbc-fixtures.js';
import { TbcDialectServer } from './tbc-server.js';

/** The customer's code at TBC's second step: wrong codes, the limit of tries, the wrong status. */
describe('TBC Bank dialect: the user code', () => {
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

  async function reachUserCode(personalNumber: string): Promise<string> {
    const start = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: personalNumber } });
    expect(start.status).toBe(201);
    tbc.approve((await tbc.waitForRequest(personalNumber)).authReqId);
    const awaiting = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(awaiting.body!.status).toBe('awaiting_user_code');
    return start.body!.id as string;
  }

  const giveCode = (id: string, userCode: string) => stack.portal.request('POST', `/v1/authentications/${id}/user-code`, { userCode });

  it('a wrong code is 422 invalid_user_code, the status stays with the error shown, and the right one still completes', async () => {
    const nino = CUSTOMERS.nino;
    const id = await reachUserCode(nino.personalNumber);
    const wrong = await giveCode(id, '000000');
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(wrong.body).toMatchObject({ code: 'invalid_user_code', providerError: 'invalid_user_code' });
    // Neither the code nor the bank's free text (which echoes it) reaches the consumer.
    expect(JSON.stringify(wrong.body)).not.toContain('000000');

    const stillWaiting = await stack.portal.get(id);
    expect(stillWaiting.body).toMatchObject({ status: 'awaiting_user_code', error: { code: 'invalid_user_code' } });
    expect(JSON.stringify(stillWaiting.body)).not.toContain('000000');

    const right = await giveCode(id, nino.userCode);
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ status: 'pending', error: null });
    const done = await stack.portal.waitForStatusChange(id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'approved', result: { claims: { personal_number: nino.personalNumber } } });
  });

  it('after maxUserCodeAttempts (3) wrong codes the authentication is `failed` / too_many_user_code_attempts', async () => {
    const giorgi = CUSTOMERS.giorgi;
    const before = tbc.backchannelRequests('finalize').length;
    const id = await reachUserCode(giorgi.personalNumber);
    for (const code of ['111111', '222222']) {
      expect((await giveCode(id, code)).status).toBe(422);
      expect((await stack.portal.get(id)).body!.status).toBe('awaiting_user_code');
    }
    const third = await giveCode(id, '333333');
    expect(third.body).toMatchObject({ code: 'invalid_user_code' });
    const failed = await stack.portal.get(id);
    expect(failed.body).toMatchObject({ status: 'failed', error: { code: 'too_many_user_code_attempts' } });

    // Terminal: a further code is refused by us, and never reaches the bank.
    const late = await giveCode(id, giorgi.userCode);
    expect(late.status).toBe(409);
    expect(late.body!.code).toBe('invalid_state');
    expect(tbc.backchannelRequests('finalize').length - before).toBe(3);
  });

  it('a code while the authentication is still pending is 409 invalid_state and is not sent', async () => {
    const before = tbc.backchannelRequests('finalize').length;
    const start = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: CUSTOMERS.tamar.personalNumber } });
    const early = await giveCode(start.body!.id, CUSTOMERS.tamar.userCode);
    expect(early.status).toBe(409);
    expect(early.body!.code).toBe('invalid_state');
    expect(tbc.backchannelRequests('finalize')).toHaveLength(before);
    expect((await stack.portal.cancel(start.body!.id)).body!.status).toBe('cancelled');
  });
});
