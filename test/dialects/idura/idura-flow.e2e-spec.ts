import { startStack, type Stack } from '../../support/bff-stack.js';
import { BASIC_CLIENT_ID, BASIC_SECRET, KEY_CLIENT_ID, NORWEGIANS, SWEDES, clientKeys, iduraProvider } from './idura-fixtures.js';
import { IduraServer } from './idura-server.js';

/** Idura Verify (seed 002) through the real BFF: approvals, Norwegian BankID's word pair, refusal. */
describe('Idura dialect: flows', () => {
  let stack: Stack;
  let idura: IduraServer;

  beforeAll(async () => {
    const { privateJwk, publicJwk } = await clientKeys();
    stack = await startStack({
      providers: async () => {
        idura = await IduraServer.start([
          { clientId: KEY_CLIENT_ID, publicJwk },
          { clientId: BASIC_CLIENT_ID, secret: BASIC_SECRET },
        ]);
        return {
          idura: iduraProvider(idura.endpoints, idura.issuer, { method: 'private_key_jwt', privateKey: privateJwk }, KEY_CLIENT_ID),
          'idura-basic': iduraProvider(
            idura.endpoints,
            idura.issuer,
            { method: 'client_secret_basic', secret: BASIC_SECRET },
            BASIC_CLIENT_ID,
          ),
        };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await idura?.close();
  });

  it("Swedish BankID approve: the ID Token's claims, SSN and name included, end up in the result", async () => {
    idura.persons.set(SWEDES[0], { givenName: 'Terne', familyName: 'Paulsen' });
    const start = await stack.portal.start({
      provider: 'idura',
      loginHint: { ssn: SWEDES[0] },
      acrValues: 'urn:grn:authn:se:bankid',
      bindingMessage: 'Kundtjänst 4711',
      authorizationDetails: [{ type: 'phoneAuth', callInitiator: 'RP' }],
    });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ provider: 'idura', status: 'pending', bindingMessage: 'Kundtjänst 4711', interval: 5 });

    const request = await idura.waitForRequest(SWEDES[0]);
    const sent = idura.ledger.find((e) => e.endpoint === 'bc-authorize' && e.answer.auth_req_id === request.authReqId)!;
    expect(sent.clientAuth).toBe('private_key_jwt');
    expect(sent.params).toMatchObject({
      scope: 'openid',
      login_hint: `sub:ssn:${SWEDES[0]}`,
      acr_values: 'urn:grn:authn:se:bankid',
      binding_message: 'Kundtjänst 4711',
      authorization_details: '[{"type":"phoneAuth","callInitiator":"RP"}]',
    });
    idura.approve(request);

    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({
      status: 'approved',
      error: null,
      result: {
        subject: expect.stringMatching(/^\{[0-9a-f-]{36}\}$/),
        acr: 'urn:grn:authn:se:bankid',
        authTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        claims: {
          ssn: SWEDES[0],
          name: 'Terne Paulsen',
          given_name: 'Terne',
          family_name: 'Paulsen',
          country: 'SE',
          identityscheme: 'sebankid',
          authenticationtype: 'urn:grn:authn:se:bankid',
        },
        tokens: {
          accessToken: expect.any(String),
          idToken: expect.any(String),
          tokenType: expect.stringMatching(/^bearer$/i),
          expiresIn: 120,
        },
      },
    });
    // Every call authenticated with a fresh assertion (the server refuses a replayed jti with 401).
    expect(idura.ledger.filter((e) => e.status === 401)).toEqual([]);
  });

  it("Norwegian BankID approve: no binding_message is sent and the provider's word pair is the bindingMessage", async () => {
    const start = await stack.portal.start({
      provider: 'idura',
      loginHint: `sub:ssn:${NORWEGIANS[0]}`,
      acrValues: 'urn:grn:authn:no:bankid',
    });
    expect(start.status).toBe(201);
    const request = await idura.waitForRequest(NORWEGIANS[0]);
    expect(request.wordPair).toMatch(/^\S+ \S+$/);
    expect(start.body!.bindingMessage).toBe(request.wordPair);
    const sent = idura.ledger.find((e) => e.answer.auth_req_id === request.authReqId)!;
    expect(sent.params).not.toHaveProperty('binding_message');
    expect(sent.answer.expires_in).toBe('120');
    expect((await stack.portal.get(start.body!.id)).body!.bindingMessage).toBe(request.wordPair);

    idura.approve(request);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({
      status: 'approved',
      bindingMessage: request.wordPair,
      result: { claims: { ssn: NORWEGIANS[0], country: 'NO' }, acr: 'urn:grn:authn:no:bankid' },
    });
  });

  it('deny: "user declined" ends the authentication `denied`', async () => {
    const start = await stack.portal.start({ provider: 'idura', loginHint: { ssn: SWEDES[1] }, acrValues: 'urn:grn:authn:se:bankid' });
    expect(start.status).toBe(201);
    expect(start.body!.bindingMessage).toMatch(/^[A-Z0-9]{6}$/);
    const request = await idura.waitForRequest(SWEDES[1]);
    // No authorizationDetails from the consumer: options.callInitiator supplied phoneAuth.
    expect(request.authorizationDetails).toEqual([{ type: 'phoneAuth', callInitiator: 'RP' }]);
    idura.deny(request);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'denied', result: null, error: { code: 'access_denied' } });
    expect(idura.polls(request.authReqId).at(-1)!.answer).toEqual({ error: 'access_denied', error_description: 'user declined' });
  });

  it('client_secret_basic with a URN client id: a 10-digit personnummer goes out in 12-digit form', async () => {
    const start = await stack.portal.start({ provider: 'idura-basic', loginHint: '850709-9870', acrValues: 'urn:grn:authn:se:bankid' });
    expect(start.status).toBe(201);
    const request = await idura.waitForRequest(SWEDES[2]);
    expect(request.clientId).toBe(BASIC_CLIENT_ID);
    expect(idura.ledger.find((e) => e.answer.auth_req_id === request.authReqId)).toMatchObject({
      clientAuth: 'client_secret_basic',
      params: { login_hint: `sub:ssn:${SWEDES[2]}` },
    });
    idura.approve(request);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'approved', result: { claims: { ssn: SWEDES[2] } } });
  });
});
