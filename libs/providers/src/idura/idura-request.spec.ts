import { parseIduraAcr } from './idura-acr.js';
import { prepareIduraHint } from './idura-hint.js';
import { checkIduraRequest, iduraBindingMessage } from './idura-request.js';
import type { BackchannelRequest } from '../profile-adapter.js';

const SE = parseIduraAcr('urn:grn:authn:se:bankid');
const NO = parseIduraAcr('urn:grn:authn:no:bankid');
const FREJA = parseIduraAcr('urn:grn:authn:se:frejaid');
const PHONE_AUTH = [{ type: 'phoneAuth', callInitiator: 'RP' }];

const request = (overrides: Partial<BackchannelRequest> = {}): BackchannelRequest => ({
  scope: 'openid',
  hint: prepareIduraHint({ kind: 'login_hint', value: { ssn: '196802020575' } }),
  bindingMessage: 'Kundtjänst 4711',
  acrValues: SE.value,
  authorizationDetails: PHONE_AUTH,
  ...overrides,
});

describe('Idura request rules', () => {
  it('needs exactly one known acr value', () => {
    expect(SE).toEqual({ value: 'urn:grn:authn:se:bankid', eid: 'se-bankid', country: 'SE' });
    expect(FREJA.country).toBe('SE');
    expect(() => parseIduraAcr(undefined)).toThrow(/exactly one/);
    expect(() => parseIduraAcr('urn:grn:authn:se:bankid urn:grn:authn:no:bankid')).toThrow(/exactly one/);
    expect(() => parseIduraAcr('urn:grn:authn:dk:mitid:substantial')).toThrow(/only with/);
  });

  describe('binding message', () => {
    it('Norwegian BankID: none is sent, and one given is a 400', () => {
      expect(iduraBindingMessage(undefined, NO)).toBeUndefined();
      expect(() => iduraBindingMessage('ABCD-1234', NO)).toThrow(/word pair/);
    });

    it('Swedish BankID: one is made when none is given; Swedish text is allowed', () => {
      expect(iduraBindingMessage(undefined, SE)).toMatch(/^[A-Z0-9]{6}$/);
      expect(iduraBindingMessage('Kundtjänst 4711', SE)).toBe('Kundtjänst 4711');
      expect(iduraBindingMessage(undefined, FREJA)).toMatch(/^[A-Z0-9]{6}$/);
    });

    it('refuses markup, control characters and long texts', () => {
      expect(() => iduraBindingMessage('<b>hi</b>', SE)).toThrow(/1-40 characters/);
      expect(() => iduraBindingMessage('a\u0007b', SE)).toThrow(/1-40 characters/);
      expect(() => iduraBindingMessage('x'.repeat(41), SE)).toThrow(/1-40 characters/);
      expect(() => iduraBindingMessage(' ', SE)).toThrow(/1-40 characters/);
    });
  });

  it('refuses the SSN of the other country', () => {
    const norwegian = request({ hint: prepareIduraHint({ kind: 'login_hint', value: { ssn: '15038545660' } }) });
    expect(() => checkIduraRequest(norwegian, SE, { assertionAudience: { kind: 'issuer' } })).toThrow(/Swedish eID/);
    expect(() => checkIduraRequest(request({ bindingMessage: undefined }), NO, { assertionAudience: { kind: 'issuer' } })).toThrow(
      /Norwegian eID/,
    );
  });

  it('refuses parameters Idura does not take', () => {
    const options = { assertionAudience: { kind: 'issuer' } } as const;
    expect(() => checkIduraRequest(request({ claims: { id_token: {} } }), SE, options)).toThrow(/claims: not supported/);
    expect(() => checkIduraRequest(request({ userCode: '1234', uiLocales: 'sv' }), SE, options)).toThrow(
      /userCode, uiLocales: not supported/,
    );
  });

  describe('authorization_details', () => {
    const options = { assertionAudience: { kind: 'issuer' } } as const;

    it("keeps the consumer's phoneAuth", () => {
      expect(checkIduraRequest(request(), SE, options)).toEqual(PHONE_AUTH);
    });

    it('adds phoneAuth from options.callInitiator for Swedish BankID only', () => {
      expect(checkIduraRequest(request({ authorizationDetails: undefined }), SE, { ...options, callInitiator: 'user' })).toEqual([
        { type: 'phoneAuth', callInitiator: 'user' },
      ]);
      const norwegian = request({
        hint: prepareIduraHint({ kind: 'login_hint', value: { ssn: '15038545660' } }),
        bindingMessage: undefined,
        authorizationDetails: undefined,
      });
      expect(checkIduraRequest(norwegian, NO, { ...options, callInitiator: 'user' })).toBeUndefined();
    });

    it('refuses Swedish BankID without a call initiator, and malformed entries', () => {
      expect(() => checkIduraRequest(request({ authorizationDetails: undefined }), SE, options)).toThrow(/needs \[\{"type":"phoneAuth"/);
      expect(() =>
        checkIduraRequest(request({ authorizationDetails: [{ type: 'phoneAuth', callInitiator: 'agent' }] }), SE, options),
      ).toThrow(/callInitiator/);
      expect(() => checkIduraRequest(request({ authorizationDetails: [{ callInitiator: 'RP' }] }), SE, options)).toThrow(/"type" string/);
    });
  });
});
