import { BINDING_MESSAGE_LENGTH, CibaError } from '@ciba/ciba';
import { parseConfig } from '@ciba/config';
import type { CustomFetch } from 'openid-client';
import { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { BackchannelRequest } from '../profile-adapter.js';
import { SimpleIdServerAdapter } from './simpleidserver.adapter.js';

const ISSUER = 'https://sid.example/master';
const SECRET = 'sid-secret';

/** A SimpleIdServer realm behind a stub fetch: discovery, then the given bc-authorize / token answers. */
function adapterAgainst(answers: { bcAuthorize?: [number, unknown]; token?: [number, unknown] }, options?: Record<string, unknown>) {
  const calls: { url: string; body: string; authorization: string | null }[] = [];
  const stub: CustomFetch = async (url, init) => {
    calls.push({
      url,
      body: String((init.body as string | URLSearchParams | undefined) ?? ''),
      authorization: new Headers(init.headers).get('authorization'),
    });
    if (url === `${ISSUER}/.well-known/openid-configuration`) {
      return Response.json({
        issuer: ISSUER,
        backchannel_authentication_endpoint: `${ISSUER}/bc-authorize`,
        token_endpoint: `${ISSUER}/token`,
        jwks_uri: `${ISSUER}/jwks`,
      });
    }
    const answer = url === `${ISSUER}/bc-authorize` ? answers.bcAuthorize : url === `${ISSUER}/token` ? answers.token : undefined;
    return answer ? Response.json(answer[1], { status: answer[0] }) : new Response(null, { status: 404 });
  };
  const provider = parseConfig({
    providers: {
      sid: {
        profile: 'simpleidserver',
        issuer: ISSUER,
        clientId: 'bff',
        clientAuth: { method: 'client_secret_post', secret: SECRET },
        options,
      },
    },
  }).providers.get('sid')!;
  return { adapter: new SimpleIdServerAdapter(provider, new OpenIdConfigurationSource(provider, stub)), calls };
}

const request = (extra: Partial<BackchannelRequest> = {}): BackchannelRequest => ({
  scope: 'openid profile',
  hint: { param: 'login_hint', value: 'user', customer: 'user', identityClaim: 'sub', masked: 'u***' },
  bindingMessage: 'Pay 10 EUR?',
  userCode: 'Pa55word!',
  ...extra,
});

const thrownBy = async (promise: Promise<unknown>): Promise<CibaError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CibaError);
  return error as CibaError;
};

describe('SimpleIdServerAdapter', () => {
  it('discovers under the realm and sends login_hint, user_code and client_secret_post to bc-authorize', async () => {
    const authReqId = 'o7Ui5ztCxdwmeJN8pvSl4DIVFYbuy9EnOPXQZ0qK6WBRTckhj1HGAsa3rgML2f';
    const { adapter, calls } = adapterAgainst({ bcAuthorize: [200, { auth_req_id: authReqId, expires_in: 120, interval: 5 }] });
    expect(await adapter.start(request())).toEqual({ authReqId, expiresIn: 120, interval: 5 });
    expect(calls.map((call) => call.url)).toEqual([`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/bc-authorize`]);
    expect(Object.fromEntries(new URLSearchParams(calls[1].body))).toEqual({
      client_id: 'bff',
      client_secret: SECRET,
      scope: 'openid profile',
      login_hint: 'user',
      binding_message: 'Pay 10 EUR?',
      user_code: 'Pa55word!',
    });
    expect(calls[1].authorization).toBeNull();
  });

  it('polls the token endpoint from discovery, never bc-authorize', async () => {
    const { adapter, calls } = adapterAgainst({ token: [400, { error: 'authorization_pending' }] });
    expect(await adapter.poll('x'.repeat(62))).toMatchObject({ kind: 'pending' });
    expect(calls.at(-1)!.url).toBe(`${ISSUER}/token`);
  });

  it('refuses a start without userCode before any call, unless configured not to require one', async () => {
    const strict = adapterAgainst({});
    const error = await thrownBy(strict.adapter.start(request({ userCode: undefined })));
    expect(error.code).toBe('invalid_request');
    expect(strict.calls).toEqual([]);

    const lenient = adapterAgainst(
      { bcAuthorize: [200, { auth_req_id: 'a'.repeat(62), expires_in: 60, interval: 2 }] },
      { requireUserCode: false },
    );
    await lenient.adapter.start(request({ userCode: undefined }));
    expect(new URLSearchParams(lenient.calls[1].body).has('user_code')).toBe(false);
  });

  it('a wrong password (invalid_credentials) is invalid_user_code, and the message never holds the code', async () => {
    const { adapter } = adapterAgainst({
      bcAuthorize: [400, { error: 'invalid_credentials', error_description: 'bad user code Pa55word!' }],
    });
    const error = await thrownBy(adapter.start(request()));
    expect(error.code).toBe('invalid_user_code');
    expect(error.extensions.providerError).toBe('invalid_credentials');
    expect(`${error.message} ${JSON.stringify(error.extensions)}`).not.toContain('Pa55word!');
  });

  it("an unknown user is customer_unknown; other refusals stay provider_rejected with the provider's code", async () => {
    const unknown = adapterAgainst({ bcAuthorize: [400, { error: 'unknown_user_id', error_description: 'the user user does not exist' }] });
    expect(await thrownBy(unknown.adapter.start(request()))).toMatchObject({
      code: 'customer_unknown',
      extensions: { providerError: 'unknown_user_id' },
    });
    const scope = adapterAgainst({ bcAuthorize: [400, { error: 'invalid_scope' }] });
    expect(await thrownBy(scope.adapter.start(request()))).toMatchObject({
      code: 'provider_rejected',
      extensions: { providerError: 'invalid_scope' },
    });
  });

  it('binding messages: up to 150 characters of any script, no control characters; one is generated when none is given', () => {
    const { adapter } = adapterAgainst({});
    const georgian = 'გადახდა 10 ლარი — დაადასტურეთ?';
    expect(adapter.bindingMessage(georgian, {})).toBe(georgian);
    expect(adapter.bindingMessage('x'.repeat(150), {})).toHaveLength(150);
    expect(() => adapter.bindingMessage('x'.repeat(151), {})).toThrow(/1-150/);
    expect(() => adapter.bindingMessage('line\nbreak', {})).toThrow(/control/);
    expect(adapter.bindingMessage(undefined, {})).toHaveLength(BINDING_MESSAGE_LENGTH); // the shared generator's
  });

  it('a bad option fails at construction, naming the key', () => {
    expect(() => adapterAgainst({}, { requireUsercode: false })).toThrow(/providers\.sid\.options\.requireUsercode: unknown option/);
  });
});
