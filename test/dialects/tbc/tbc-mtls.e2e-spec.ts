import { createTestPki, type TestPki } from '../../client-auth/test-certificates.js';
import { startStack, type Stack } from '../../support/bff-stack.js';
import { CUSTOMERS, TBC_CLIENT } from './tbc-fixtures.js';
import { TbcDialectServer } from './tbc-server.js';

/**
 * TBC with tls_client_auth (RFC 8705), the documented default: the seed's form lists only
 * `client_id`, as mutual TLS sends it, and PSD2 banks authenticate clients by certificate. Both
 * steps and the token requests go over the client certificate.
 */
describe('TBC Bank dialect over mutual TLS', () => {
  let stack: Stack;
  let tbc: TbcDialectServer;
  let pki: TestPki;

  beforeAll(async () => {
    pki = await createTestPki();
    const client = await pki.issueClient('bff-tbc');
    const stranger = await pki.issueClient('stranger');
    stack = await startStack({
      providers: async () => {
        tbc = await TbcDialectServer.start({
          clientId: TBC_CLIENT.clientId,
          customers: Object.values(CUSTOMERS),
          tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, clientFingerprint256: client.fingerprint256 },
        });
        const mtls = (certificate: typeof client) => ({
          method: 'tls_client_auth',
          cert: certificate.certPath,
          key: certificate.keyPath,
          ca: pki.ca.certPath,
        });
        return {
          tbc: tbc.providerConfig({ clientAuth: mtls(client) }),
          'tbc-stranger': tbc.providerConfig({ clientAuth: mtls(stranger) }),
        };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await tbc?.close();
    await pki?.remove();
  });

  it('approve: initialize, code, finalize and both token requests authenticated by the client certificate', async () => {
    const nino = CUSTOMERS.nino;
    const start = await stack.portal.start({ provider: 'tbc', loginHint: { personal_number: nino.personalNumber } });
    expect(start.status).toBe(201);
    const initialize = await tbc.waitForRequest(nino.personalNumber);
    expect(initialize.form.client_id).toBe(TBC_CLIENT.clientId);
    tbc.approve(initialize.authReqId);
    expect((await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20)).body!.status).toBe('awaiting_user_code');
    expect(
      (await stack.portal.request('POST', `/v1/authentications/${start.body!.id}/user-code`, { userCode: nino.userCode })).status,
    ).toBe(200);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'approved', result: { claims: { personal_number: nino.personalNumber } } });
    const bankCalls = tbc.ledger.filter((entry) => entry.endpoint === 'backchannel' || entry.endpoint === 'token');
    expect(bankCalls.length).toBeGreaterThanOrEqual(4);
    for (const call of bankCalls) expect(call.code).not.toBe('invalid_client');
  });

  it('another certificate of the same CA is refused by the bank: 500 provider_misconfigured / invalid_client', async () => {
    const answer = await stack.portal.start({ provider: 'tbc-stranger', loginHint: { personal_number: CUSTOMERS.giorgi.personalNumber } });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'provider_misconfigured', providerError: 'invalid_client' });
  });
});
