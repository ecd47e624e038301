import { startStack, type Stack } from '../../support/bff-stack.js';
import { CUSTOMERS, TBC_CLIENT } from './tbc-fixtures.js';
import { TbcDialectServer } from './tbc-server.js';

/** What is refused before TBC is called, and how TBC's own refusals reach the consumer. */
describe('TBC Bank dialect: refusals', () => {
  let stack: Stack;
  let tbc: TbcDialectServer;

  beforeAll(async () => {
    stack = await startStack({
      providers: async () => {
        tbc = await TbcDialectServer.start({ ...TBC_CLIENT, customers: Object.values(CUSTOMERS) });
        return {
          tbc: tbc.providerConfig(),
          'tbc-wrong-secret': tbc.providerConfig({ clientAuth: { method: 'client_secret_post', secret: 'not-the-secret' } }),
        };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await tbc?.close();
  });

  const pn = CUSTOMERS.nino.personalNumber;

  it.each([
    ['a string', { loginHint: pn }, /must be an object/],
    ['both keys', { loginHint: { personal_number: pn, msisdn: '995599123456' } }, /exactly one/],
    ['no key', { loginHint: {} }, /exactly one/],
    ['another key', { loginHint: { email: 'nino@example.ge' } }, /may hold only/],
    ['a short personal number', { loginHint: { personal_number: '0100101111' } }, /11 digits.*has 10/],
    ['a long personal number', { loginHint: { personal_number: '010010111112' } }, /11 digits.*has 12/],
    ['letters', { loginHint: { personal_number: '0100101111A' } }, /only digits/],
    ['a + on a personal number', { loginHint: { personal_number: '+01001011111' } }, /only digits/],
    ['a number, not a string', { loginHint: { personal_number: 1001011111 } }, /string of digits/],
    ['an msisdn without country code', { loginHint: { msisdn: '0599123456' } }, /country code first/],
    ['an msisdn with letters', { loginHint: { msisdn: '99559912345x' } }, /only digits/],
    ['a zero-width space', { loginHint: { personal_number: '0100101\u200B1111' } }, /only digits/],
    ['a loginHintToken', { loginHintToken: 'eyJ.eyJ.sig' }, /only loginHint/],
    ['a binding message', { loginHint: { personal_number: pn }, bindingMessage: 'ABCD-1234' }, /no binding message/],
    ['acrValues', { loginHint: { personal_number: pn }, acrValues: 'urn:tbc:loa:high' }, /does not take acrValues/],
    ['a user code at the start', { loginHint: { personal_number: pn }, userCode: '483920' }, /does not take userCode/],
  ])('refuses %s with 400 before any call to TBC', async (_label, body, detail) => {
    const before = tbc.backchannelRequests().length;
    const answer = await stack.portal.start({ provider: 'tbc', ...body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'invalid_request', detail: expect.stringMatching(detail) });
    expect(tbc.backchannelRequests()).toHaveLength(before);
  });

  it('a problem+json refusal at initiation is 422 provider_rejected with providerError, never its detail', async () => {
    tbc.failNext('initialize', { status: 400, code: 'CONSENT_REVOKED', detail: `Customer ${pn} revoked consent <b>x</b>` });
    const answer = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: pn } });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'provider_rejected', providerError: 'CONSENT_REVOKED' });
    expect(JSON.stringify(answer.body)).not.toMatch(/revoked consent|<b>/);
    expect(tbc.backchannelRequests('initialize').at(-1)).toMatchObject({ status: 400, code: 'CONSENT_REVOKED' });
  });

  it('a problem+json 503 at initiation is 503 provider_unavailable', async () => {
    tbc.failNext('initialize', { status: 503, code: 'SERVICE_UNAVAILABLE', detail: 'maintenance' });
    const answer = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: pn } });
    expect(answer.status).toBe(503);
    expect(answer.body!.code).toBe('provider_unavailable');
  });

  it('a customer the bank does not know is 422 customer_unknown', async () => {
    const answer = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: '99999999999' } });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'customer_unknown', providerError: 'CUSTOMER_NOT_FOUND' });
  });

  it('a wrong client secret is refused by the bank: 500 provider_misconfigured / invalid_client', async () => {
    const answer = await stack.portal.start({
      provider: 'tbc-wrong-secret',
      loginHint: { personal_number: CUSTOMERS.levan.personalNumber },
    });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'provider_misconfigured', providerError: 'invalid_client' });
    expect(tbc.backchannelRequests().at(-1)).toMatchObject({ status: 401, code: 'invalid_client' });
  });

  it('a token endpoint problem that is not a CIBA state ends `failed` / provider_rejected with providerError kept', async () => {
    const start = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: CUSTOMERS.ana.personalNumber } });
    expect(start.status).toBe(201);
    tbc.failNext('token', { status: 400, code: 'ACCOUNT_BLOCKED', detail: 'blocked by fraud team' });
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'failed', error: { code: 'provider_rejected' } });
    expect(JSON.stringify(done.body)).not.toContain('fraud');
  });
});
