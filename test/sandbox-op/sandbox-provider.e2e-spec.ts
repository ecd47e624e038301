import { exportJWK, generateKeyPair } from 'jose';
import * as client from 'openid-client';

import { DEMO_CUSTOMERS, startSandboxProvider, type RunningSandbox } from '../../apps/sandbox-op/src/index.js';
import { captureConsole, CIBA_GRANT, discover, oauthError, PingReceiver, pollOnce } from './sandbox-test-helpers.js';

const alice = DEMO_CUSTOMERS.find((customer) => customer.username === 'alice')!;

describe('sandbox CIBA OpenID Provider (oidc-provider, real HTTP)', () => {
  let consoleOutput: ReturnType<typeof captureConsole>;
  const logLines: string[] = [];
  const pingReceiver = new PingReceiver();
  let pkjwtKey: CryptoKey;
  let sandbox: RunningSandbox;
  let bff: client.Configuration;

  beforeAll(async () => {
    consoleOutput = captureConsole();
    const pingEndpoint = await pingReceiver.start();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    pkjwtKey = privateKey;
    sandbox = await startSandboxProvider({
      log: (line) => logLines.push(line),
      clients: [
        { client_id: 'bff', client_secret: 'sandbox-secret' },
        {
          client_id: 'pkjwt',
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] },
        },
        {
          client_id: 'pinger',
          client_secret: 'ping-secret',
          backchannel_token_delivery_mode: 'ping',
          backchannel_client_notification_endpoint: pingEndpoint, // plain http on loopback
        },
        {
          client_id: 'pinger-down',
          client_secret: 'ping-secret',
          backchannel_token_delivery_mode: 'ping',
          backchannel_client_notification_endpoint: 'http://127.0.0.1:1/nobody-listens',
        },
      ],
    });
    // Exactly as the BFF will call it. openid-client then authenticates with client_secret_post;
    // oidc-provider treats _basic and _post as interchangeable for a client_secret_basic client.
    bff = await client.discovery(new URL(sandbox.issuer), 'bff', 'sandbox-secret', undefined, {
      execute: [client.allowInsecureRequests],
    });
  });

  afterAll(async () => {
    await sandbox?.close();
    await pingReceiver.close();
    consoleOutput?.restore();
  });

  const initiate = (parameters: Record<string, string>, config = bff) =>
    client.initiateBackchannelAuthentication(config, { scope: 'openid profile', ...parameters });

  it('advertises CIBA (poll + ping), the CIBA grant, acr values and serves public signing keys', async () => {
    const metadata = bff.serverMetadata();
    expect(metadata.backchannel_authentication_endpoint).toBe(`${sandbox.url}/backchannel`);
    expect(metadata.backchannel_token_delivery_modes_supported).toEqual(expect.arrayContaining(['poll', 'ping']));
    expect(metadata.grant_types_supported).toContain(CIBA_GRANT);
    expect(metadata.acr_values_supported).toContain('urn:sandbox:acr:high');
    expect(metadata.claims_parameter_supported).toBe(true);
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['personal_number', 'phone_number', 'amr', 'acr']));

    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('keeps the request pending until approved, then issues an ID Token with the bank claims', async () => {
    const { auth_req_id: authReqId, expires_in: expiresIn } = await initiate({ login_hint: 'alice', binding_message: 'W4SP-1234' });
    expect(expiresIn).toBeGreaterThanOrEqual(120);

    const request = await sandbox.waitForRequest('alice');
    expect(request).toMatchObject({ customer: 'alice', clientId: 'bff', bindingMessage: 'W4SP-1234', scope: 'openid profile' });
    expect(await oauthError(pollOnce(bff, authReqId))).toBe('authorization_pending');

    await sandbox.approve(request.id);
    expect(sandbox.pending('alice')).toEqual([]);

    const tokens = await pollOnce(bff, authReqId);
    expect(tokens.access_token).toEqual(expect.any(String));
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      sub: alice.sub,
      name: alice.name,
      personal_number: alice.personalNumber,
      phone_number: alice.phoneNumber,
      acr: 'urn:sandbox:acr:high',
      amr: ['mobile-app'],
    });
    expect(claims.auth_time).toEqual(expect.any(Number));
  });

  it('uses the acr/amr given to approve()', async () => {
    const { auth_req_id: authReqId } = await initiate({ login_hint: 'bob' });
    const request = await sandbox.waitForRequest('bob');
    await sandbox.approve(request.id, { acr: 'urn:sandbox:acr:substantial', amr: ['pin', 'face'] });
    expect((await pollOnce(bff, authReqId)).claims()).toMatchObject({ acr: 'urn:sandbox:acr:substantial', amr: ['pin', 'face'] });
  });

  it('answers access_denied after deny()', async () => {
    const { auth_req_id: authReqId } = await initiate({ login_hint: 'alice', binding_message: 'NO-5678' });
    const request = await sandbox.waitForRequest('alice');
    expect(request.bindingMessage).toBe('NO-5678');
    await sandbox.deny(request.id);
    expect(await oauthError(pollOnce(bff, authReqId))).toBe('access_denied');
    await expect(sandbox.deny(request.id)).rejects.toThrow(/no pending sandbox request/);
  });

  it('accepts the personal number or phone number as login_hint', async () => {
    for (const hint of [alice.personalNumber, alice.phoneNumber]) {
      const { auth_req_id: authReqId } = await initiate({ login_hint: hint });
      const request = await sandbox.waitForRequest(alice.personalNumber);
      expect(request.customer).toBe('alice');
      await sandbox.approve(request.id);
      expect((await pollOnce(bff, authReqId)).claims()?.sub).toBe(alice.sub);
    }
  });

  it('rejects unknown users and malformed binding messages with the CIBA error codes', async () => {
    expect(await oauthError(initiate({ login_hint: 'mallory' }))).toBe('unknown_user_id');
    expect(await oauthError(initiate({ login_hint: 'alice', binding_message: 'has spaces & is far too long' }))).toBe(
      'invalid_binding_message',
    );
    expect(sandbox.pending('alice')).toEqual([]);
  });

  it('honours requested_expiry', async () => {
    const { expires_in: expiresIn } = await initiate({ login_hint: 'carol', requested_expiry: '30' });
    expect(expiresIn).toBe(30);
    const request = await sandbox.waitForRequest('carol');
    expect(Date.parse(request.expiresAt) - Date.parse(request.createdAt)).toBe(30_000);
    await sandbox.deny(request.id);
  });

  it('serves a private_key_jwt client', async () => {
    const pkjwt = await discover(sandbox.issuer, 'pkjwt', client.PrivateKeyJwt(pkjwtKey));
    const { auth_req_id: authReqId } = await initiate({ login_hint: 'dave' }, pkjwt);
    const request = await sandbox.waitForRequest('dave');
    expect(request.clientId).toBe('pkjwt');
    await sandbox.approve(request.id);
    expect((await pollOnce(pkjwt, authReqId)).claims()?.aud).toBe('pkjwt');
  });

  it('pings a ping-mode client on its plain-http loopback endpoint when the request is decided', async () => {
    const pinger = await discover(sandbox.issuer, 'pinger', client.ClientSecretBasic('ping-secret'));
    const { auth_req_id: authReqId } = await initiate({ login_hint: 'carol', client_notification_token: 'rp-token-123' }, pinger);
    const request = await sandbox.waitForRequest('carol');

    const ping = pingReceiver.next();
    await sandbox.approve(request.id);
    expect(await ping).toEqual({ authorization: 'Bearer rp-token-123', body: { auth_req_id: authReqId } });
    expect((await pollOnce(pinger, authReqId)).claims()?.sub).toBe(DEMO_CUSTOMERS[2].sub);
  });

  it('still records the decision when the ping cannot be delivered, so the client can poll', async () => {
    const config = await discover(sandbox.issuer, 'pinger-down', client.ClientSecretBasic('ping-secret'));
    const { auth_req_id: authReqId } = await initiate({ login_hint: 'dave', client_notification_token: 'rp-token-456' }, config);
    await sandbox.approve((await sandbox.waitForRequest('dave')).id);
    expect(logLines.some((line) => JSON.parse(line).event === 'ciba.ping_failed')).toBe(true);
    expect((await pollOnce(config, authReqId)).claims()?.sub).toBe(DEMO_CUSTOMERS[3].sub);
  });

  it('logged through the log callback and printed nothing to the console', () => {
    expect(logLines.some((line) => JSON.parse(line).event === 'ciba.approved')).toBe(true);
    expect(consoleOutput.lines).toEqual([]);
  });
});

describe('startSandboxProvider', () => {
  it('fails fast on client metadata oidc-provider would reject', async () => {
    await expect(
      startSandboxProvider({ clients: [{ client_id: 'broken', token_endpoint_auth_method: 'private_key_jwt' }] }),
    ).rejects.toThrow(/invalid sandbox client broken/);
  });

  it('closes idempotently', async () => {
    const sandbox = await startSandboxProvider();
    await sandbox.close();
    await expect(sandbox.close()).resolves.toBeUndefined();
    await expect(fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
  });
});
