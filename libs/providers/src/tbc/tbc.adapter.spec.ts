import { CibaError, ErrorCode } from '@ciba/ciba';
import { ConfigError, type ProviderConfig } from '@ciba/config';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import type { CustomFetch } from 'openid-client';
import { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { BackchannelRequest } from '../profile-adapter.js';
import { TbcAdapter } from './tbc.adapter.js';
import { prepareTbcHint } from './tbc-hint.js';

const BASE = 'https://test-api.tbcbank.ge';
const provider = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  id: 'tbc',
  profile: 'tbc',
  issuer: BASE,
  backchannelAuthenticationEndpoint: `${BASE}/psd2/openbanking/oauth/bc-authorization`,
  tokenEndpoint: `${BASE}/psd2/openbanking/oauth/token`,
  jwksUri: `${BASE}/jwks`,
  clientId: 'bff',
  clientAuth: { method: 'client_secret_post', secret: 's3cret' },
  deliveryMode: 'poll',
  scope: 'openid',
  signedRequests: false,
  allowInsecureHttp: false,
  httpTimeoutSeconds: 5,
  pollConcurrency: 10,
  maxUserCodeAttempts: 3,
  pingFallbackSeconds: 30,
  jwksCooldownSeconds: 30,
  trustedAudiences: [],
  maxResponseBytes: 65_536,
  ...overrides,
});

interface Sent {
  url: string;
  form: URLSearchParams;
}

/** An adapter whose HTTP goes to `answer`, recording what it sent. */
function adapterAnswering(answer: (sent: Sent) => Response, overrides: Partial<ProviderConfig> = {}) {
  const sent: Sent[] = [];
  const customFetch: CustomFetch = async (url, options) => {
    const request = { url: String(url), form: new URLSearchParams(options.body as string) };
    sent.push(request);
    return answer(request);
  };
  return { adapter: new TbcAdapter(provider(overrides), new OpenIdConfigurationSource(provider(overrides), customFetch)), sent };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const MIDDLE = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const request = (overrides: Partial<BackchannelRequest> = {}): BackchannelRequest => ({
  scope: 'openid',
  hint: prepareTbcHint({ kind: 'login_hint', value: { personal_number: '01001011111' } }),
  ...overrides,
});

describe('TbcAdapter', () => {
  it('requires explicit endpoints and poll mode, naming the keys', () => {
    const build = (overrides: Partial<ProviderConfig>) => () =>
      new TbcAdapter(provider(overrides), new OpenIdConfigurationSource(provider(overrides)));
    expect(build({ tokenEndpoint: undefined })).toThrow(ConfigError);
    expect(build({ tokenEndpoint: undefined })).toThrow(/providers\.tbc\.tokenEndpoint: required for profile tbc/);
    expect(build({ jwksUri: undefined, backchannelAuthenticationEndpoint: undefined })).toThrow(
      /backchannelAuthenticationEndpoint: required[\s\S]*jwksUri: required/,
    );
    expect(build({ deliveryMode: 'ping' })).toThrow(/providers\.tbc\.deliveryMode: profile tbc supports only poll/);
    expect(build({ options: { middleToken: true } })).toThrow(/providers\.tbc\.options\.middleToken: unknown option/);
  });

  it('initialize: client_secret_post, scope, claims and login_hint as JSON, ui_locales; the ack in ms is read as seconds', async () => {
    const { adapter, sent } = adapterAnswering(() => json(200, { auth_req_id: 'abc', expires_in: 120_000, interval: 5000 }));
    const ack = await adapter.start(request({ uiLocales: 'ka', requestedExpiry: 60 }));
    expect(ack).toEqual({ authReqId: 'tbc-1:abc', expiresIn: 120, interval: 5 });
    expect(sent[0].url).toBe(`${BASE}/psd2/openbanking/oauth/bc-authorization`);
    expect(Object.fromEntries(sent[0].form)).toEqual({
      client_id: 'bff',
      client_secret: 's3cret',
      scope: 'openid',
      claims: '{"id_token":{"personal_number":{"essential":true}}}',
      login_hint: '{"personal_number":"01001011111"}',
      ui_locales: 'ka',
    });
  });

  it('finalize: only user_code and id_token_hint (and the client); a refused code never appears in the error', async () => {
    const { adapter, sent } = adapterAnswering(() =>
      json(
        400,
        { type: 'https://tbc/problems/invalid-user-code', title: 'Invalid code', status: 400, detail: 'code 999999 is wrong' },
        'application/problem+json',
      ),
    );
    const error = await adapter.submitUserCode('999999', { middleToken: MIDDLE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CibaError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidUserCode, extensions: { providerError: 'invalid_user_code' } });
    expect(JSON.stringify({ message: (error as Error).message, ...(error as CibaError).extensions })).not.toContain('999999');
    expect(Object.fromEntries(sent[0].form)).toEqual({
      client_id: 'bff',
      client_secret: 's3cret',
      user_code: '999999',
      id_token_hint: MIDDLE,
    });
  });

  it('finalize: an accepted code yields the new auth_req_id, tagged as the second step', async () => {
    const { adapter } = adapterAnswering(() => json(200, { auth_req_id: 'def', expires_in: 60 }));
    await expect(adapter.submitUserCode('483920', { middleToken: MIDDLE })).resolves.toEqual({
      authReqId: 'tbc-2:def',
      expiresIn: 60,
      interval: undefined,
    });
    await expect(adapter.submitUserCode('483920', {})).rejects.toMatchObject({ code: ErrorCode.ProviderInvalidResponse });
  });

  it('poll: the first step answer is the middle token even when it looks final; the second step approves', async () => {
    const tokens = { id_token: MIDDLE, access_token: 'at', token_type: 'BearerToken', expires_in: 3_600_000 };
    // Members the BFF never reads are not kept with the tokens (nor stored).
    const { adapter, sent } = adapterAnswering(() => json(200, { ...tokens, customer: { name: 'Nino' }, issued_at: 1 }));
    await expect(adapter.poll('tbc-1:abc')).resolves.toEqual({ kind: 'user_code_required', state: { middleToken: MIDDLE } });
    expect(sent[0].form.get('auth_req_id')).toBe('abc');
    expect(sent[0].form.get('grant_type')).toBe('urn:openid:params:grant-type:ciba');
    await expect(adapter.poll('tbc-2:def')).resolves.toEqual({
      kind: 'approved',
      tokens: { ...tokens, token_type: 'Bearer', expires_in: 3600 },
    });
    expect(sent[1].form.get('auth_req_id')).toBe('def');
  });

  it('poll: a first step answer without an ID Token is not CIBA', async () => {
    const { adapter } = adapterAnswering(() => json(200, { access_token: 'at' }));
    await expect(adapter.poll('tbc-1:abc')).resolves.toMatchObject({ kind: 'failed', code: 'provider_invalid_response' });
  });

  it("poll and start: an answer past the provider's maxResponseBytes is provider_invalid_response", async () => {
    const big = () =>
      json(200, { id_token: MIDDLE, access_token: 'at', auth_req_id: 'x', expires_in: 60_000, padding: 'x'.repeat(70_000) });
    await expect(adapterAnswering(big).adapter.poll('tbc-2:x')).resolves.toMatchObject({
      kind: 'failed',
      code: 'provider_invalid_response',
      description: expect.stringContaining('65536 bytes'),
    });
    await expect(adapterAnswering(big).adapter.start(request())).rejects.toMatchObject({ code: ErrorCode.ProviderInvalidResponse });
    // The cap is the provider's setting, not a constant.
    await expect(adapterAnswering(big, { maxResponseBytes: 131_072 }).adapter.poll('tbc-2:x')).resolves.toMatchObject({ kind: 'approved' });
  });

  it('poll: OAuth JSON and problem+json errors both follow the CIBA rules', async () => {
    const answers = [
      json(400, { error: 'slow_down' }),
      json(400, { type: 'https://tbc/problems/authorization-pending', title: 'Pending', status: 400 }, 'application/problem+json'),
      json(403, { code: 'access_denied', title: 'Denied', status: 403 }, 'application/problem+json'),
      json(400, { error: 'expired_token' }),
      new Response('<h1>down</h1>', { status: 503, headers: { 'content-type': 'text/html', 'retry-after': '9' } }),
    ];
    const { adapter } = adapterAnswering(() => answers.shift()!);
    await expect(adapter.poll('tbc-2:x')).resolves.toMatchObject({ kind: 'slow_down' });
    await expect(adapter.poll('tbc-2:x')).resolves.toEqual({ kind: 'pending', progress: undefined, retryAfterSeconds: undefined });
    await expect(adapter.poll('tbc-2:x')).resolves.toEqual({ kind: 'denied', providerError: 'access_denied' });
    await expect(adapter.poll('tbc-2:x')).resolves.toEqual({ kind: 'expired' });
    await expect(adapter.poll('tbc-2:x')).resolves.toMatchObject({ kind: 'transient', retryAfterSeconds: 9 });
  });

  it('refuses a binding message and fields TBC does not take, before any call', async () => {
    const { adapter, sent } = adapterAnswering(() => json(200, {}));
    expect(adapter.bindingMessage(undefined, {})).toBeUndefined();
    expect(() => adapter.bindingMessage('ABCD-1234', {})).toThrow(/no binding message/);
    await expect(adapter.start(request({ acrValues: 'x', authorizationDetails: [{ type: 'y' }] }))).rejects.toThrow(
      /does not take acrValues, authorizationDetails/,
    );
    await expect(adapter.start(request({ claims: { id_token: 'all' } }))).rejects.toThrow(/claims\.id_token must be an object/);
    expect(sent).toHaveLength(0);
  });

  it("verify: the ID Token is checked against TBC's own auth_req_id (not our tagged one) and must name the hint's person", async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const { adapter } = adapterAnswering(() => json(200, { keys: [jwk] }));
    const now = Math.floor(Date.now() / 1000);
    const idToken = (claims: JWTPayload) =>
      new SignJWT({
        iss: BASE,
        aud: 'bff',
        sub: 'nino',
        iat: now,
        exp: now + 300,
        'urn:openid:params:jwt:claim:auth_req_id': 'def',
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .sign(privateKey);
    const context = { authReqId: 'tbc-2:def', hint: { customer: 'personal_number:01001011111' }, requestedAcr: null };
    await expect(adapter.verify({ id_token: await idToken({ personal_number: '01001011111' }) }, context)).resolves.toMatchObject({
      kind: 'approved',
      result: { subject: 'nino', claims: { personal_number: '01001011111' } },
    });
    await expect(adapter.verify({ id_token: await idToken({}) }, context)).resolves.toEqual({
      kind: 'failed',
      error: { code: 'identity_mismatch', description: 'The ID Token carries no personal_number, so it cannot be matched to the hint.' },
    });
    const forOtherRequest = await idToken({ personal_number: '01001011111', 'urn:openid:params:jwt:claim:auth_req_id': 'other' });
    await expect(adapter.verify({ id_token: forOtherRequest }, context)).resolves.toMatchObject({
      error: { code: 'provider_invalid_response', description: 'The ID Token failed validation.' },
    });
  });
});
