import { defaultConfigPath, loadConfigFile } from '@ciba/config';
import { ProviderRegistry } from '@ciba/providers';
import { StartAuthenticationDto } from '../../apps/bff/src/authentications/dto/start-authentication.dto.js';
import { UserCodeDto } from '../../apps/bff/src/authentications/dto/user-code.dto.js';
import { hintOf } from '../../apps/bff/src/authentications/start-request.js';
import { validationPipe } from '../../apps/bff/src/http/validation.js';
import { OpenApiContract } from './openapi-contract.js';

const contract = new OpenApiContract();
const pipe = validationPipe();
const sandbox = new ProviderRegistry(loadConfigFile(defaultConfigPath(), {})).get('sandbox');

/** What the server decides about a start body before the provider is called (its own rules, not the provider's hint forms). */
async function serverRefusesStart(body: unknown): Promise<boolean> {
  try {
    const dto = (await pipe.transform(body, { type: 'body', metatype: StartAuthenticationDto })) as StartAuthenticationDto;
    hintOf(dto);
    sandbox.bindingMessage(dto.bindingMessage, { acrValues: dto.acrValues });
    return false;
  } catch {
    return true;
  }
}

const start = (extra: Record<string, unknown>) => ({ provider: 'sandbox', loginHint: 'alice', ...extra });
const { loginHint: _omitted, ...noHint } = start({});

/** Bodies the server accepts; the schema must accept each. */
const ACCEPTED: Record<string, unknown>[] = [
  start({}),
  { provider: 'tbc', loginHint: { personal_number: '01001011111' } },
  { provider: 'plumery', loginHint: { personalId: { country: 'LT', id: '38001085718' } } },
  { ...noHint, loginHintToken: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln' },
  { ...noHint, idTokenHint: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln' },
  start({
    scope: 'openid profile email',
    bindingMessage: 'AB-12_c.d+e/f!g?h#',
    acrValues: 'urn:grn:authn:se:bankid',
    claims: { id_token: { personal_number: { essential: true } } },
    userCode: '1234',
    requestedExpiry: 3600,
    authorizationDetails: [{ type: 'phoneAuth', callInitiator: 'RP' }],
    uiLocales: 'ka en',
    callbackUrl: 'https://pos.example.com/ciba/result',
    reference: 'till-7/receipt-99',
  }),
  start({ scope: 'openid', requestedExpiry: 1, reference: '', claims: {}, authorizationDetails: [] }),
];

/** Bodies the server refuses; the schema must refuse each (API.md §4: the document says what the server enforces). */
const REFUSED: Record<string, unknown> = {
  'an unknown field': start({ tenantId: 'x' }),
  'no hint': noHint,
  'two hints': start({ loginHintToken: 'abc' }),
  'three hints': start({ loginHintToken: 'abc', idTokenHint: 'a.b.c' }),
  'a space in a binding message': start({ bindingMessage: 'Approve to get a refund' }),
  'an empty binding message': start({ bindingMessage: '' }),
  'a binding message of 21 characters': start({ bindingMessage: 'A'.repeat(21) }),
  'requestedExpiry 12.5': start({ requestedExpiry: 12.5 }),
  'requestedExpiry 0': start({ requestedExpiry: 0 }),
  'requestedExpiry 3601': start({ requestedExpiry: 3601 }),
  'requestedExpiry as a string': start({ requestedExpiry: '120' }),
  'no provider': { loginHint: 'alice' },
  'a provider id in capitals': start({ provider: 'Sandbox' }),
  'a number as hint': start({ loginHint: 42 }),
  'an array as hint': start({ loginHint: ['alice'] }),
  'a scope without openid': start({ scope: 'profile' }),
  'a scope with two spaces': start({ scope: 'openid  profile' }),
  'a scope with a quote': start({ scope: 'openid "profile"' }),
  'ui locales with a comma': start({ uiLocales: 'ka,en' }),
  'a control character in the reference': start({ reference: 'till\u0007' }),
  'an invisible character in acrValues': start({ acrValues: 'urn:a\u200e' }),
  'an empty user code': start({ userCode: '' }),
  'a user code of 129 characters': start({ userCode: '1'.repeat(129) }),
  'claims as an array': start({ claims: [] }),
  'authorization details as an object': start({ authorizationDetails: { type: 'x' } }),
  'authorization details of numbers': start({ authorizationDetails: [1] }),
  'a callback URL of 2049 characters': start({ callbackUrl: `https://pos.example.com/${'a'.repeat(2025)}` }),
  'a login hint token of 8193 characters': { ...noHint, loginHintToken: 'a'.repeat(8193) },
  'a reference of 201 characters': start({ reference: 'r'.repeat(201) }),
};

describe('the document and the server agree on request bodies', () => {
  it.each(ACCEPTED.map((body) => [JSON.stringify(body).slice(0, 80), body]))('both accept %s', async (_name, body) => {
    expect([await serverRefusesStart(body), contract.requestBodyErrors('POST', '/v1/authentications', body)]).toEqual([false, null]);
  });

  it.each(Object.entries(REFUSED))('both refuse %s', async (_name, body) => {
    expect(await serverRefusesStart(body)).toBe(true);
    expect(contract.requestBodyErrors('POST', '/v1/authentications', body)).not.toBeNull();
  });

  it('on the user code too', async () => {
    const refuses = (body: unknown) =>
      pipe.transform(body, { type: 'body', metatype: UserCodeDto }).then(
        () => false,
        () => true,
      );
    const path = '/v1/authentications/{id}/user-code';
    expect([await refuses({ userCode: '483920' }), contract.requestBodyErrors('POST', path, { userCode: '483920' })]).toEqual([
      false,
      null,
    ]);
    for (const body of [{}, { userCode: '' }, { userCode: 483920 }, { userCode: '1', extra: true }, { userCode: 'a\nb' }]) {
      expect([await refuses(body), contract.requestBodyErrors('POST', path, body) !== null]).toEqual([true, true]);
    }
  });
});
