import { randomBytes } from 'node:crypto';
import { atHash, type TbcSigner } from './tbc-signer.js';
import type { TbcCustomer } from './tbc-checks.js';

/** CIBA Core §10.3.1. */
const AUTH_REQ_ID_CLAIM = 'urn:openid:params:jwt:claim:auth_req_id';

interface IssuedFor {
  authReqId: string;
  customer: TbcCustomer;
  createdAt: number;
  tokenPersonalNumber?: string;
}

/** The first step's answer: the "middle" ID Token only (no access token). */
export async function middleTokenResponse(signer: TbcSigner, issuer: string, clientId: string, request: IssuedFor) {
  const idToken = await signer.sign({ ...identity(issuer, clientId, request), [AUTH_REQ_ID_CLAIM]: request.authReqId });
  return { id_token: idToken, token_type: 'BearerToken' };
}

/**
 * The final answer in TBC's house style: `token_type: "BearerToken"`, `expires_in` and
 * `issued_at` in milliseconds, which openid-client's token parsing refuses.
 */
export async function finalTokenResponse(signer: TbcSigner, issuer: string, clientId: string, request: IssuedFor) {
  const accessToken = randomBytes(32).toString('base64url');
  const idToken = await signer.sign({
    ...identity(issuer, clientId, request),
    name: request.customer.name,
    phone_number: `+${request.customer.msisdn}`,
    acr: 'urn:tbc:loa:substantial',
    amr: ['app', 'otp'],
    at_hash: atHash(accessToken),
    [AUTH_REQ_ID_CLAIM]: request.authReqId,
  });
  return {
    access_token: accessToken,
    token_type: 'BearerToken',
    expires_in: 3_600_000,
    issued_at: Date.now(),
    refresh_token: randomBytes(32).toString('base64url'),
    id_token: idToken,
    scope: 'openid',
    consent_id: 'tbc-consent-1',
  };
}

function identity(issuer: string, clientId: string, request: IssuedFor) {
  return {
    iss: issuer,
    aud: clientId,
    sub: request.customer.sub,
    auth_time: Math.floor(request.createdAt / 1000),
    personal_number: request.tokenPersonalNumber ?? request.customer.personalNumber,
  };
}
