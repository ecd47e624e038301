import type { ExamplesObject } from '@nestjs/swagger';

/**
 * Request examples: each one a body the sandbox provider accepts (`npm start`), so "Try it out"
 * in `/docs` starts a real authentication. `test/openapi` posts every one of them.
 */
export const START_EXAMPLES: ExamplesObject = {
  loginHint: { summary: 'A customer by user name', value: { provider: 'sandbox', loginHint: 'alice' } },
  withOptions: {
    summary: 'With scope, binding message, expiry and reference',
    value: {
      provider: 'sandbox',
      loginHint: '01001022222',
      scope: 'openid profile',
      bindingMessage: 'W4SP-1234',
      requestedExpiry: 120,
      reference: 'till-7/receipt-99',
    },
  },
};

export const USER_CODE_EXAMPLES: ExamplesObject = {
  userCode: { summary: 'The code the customer read out', value: { userCode: '483920' } },
};

const PENDING = {
  id: '01JD6V6R3C9T1X3J8N4W2Q5K7M',
  provider: 'sandbox',
  status: 'pending',
  bindingMessage: 'W4SP-1234',
  reference: 'till-7/receipt-99',
  createdAt: '2026-11-22T10:00:00.000Z',
  expiresAt: '2026-11-22T10:02:00.000Z',
  interval: 5,
  progress: 'awaiting user identification',
  eventsUrl: '/v1/authentications/01JD6V6R3C9T1X3J8N4W2Q5K7M/events?token=eyJhIjoiMDFKRDZWNlIzQzlUMVgzSjhONFcyUTVLN00ifQ.c2lnbmF0dXJl',
  result: null,
  error: null,
  initiatedBy: { type: 'consumer', id: 'branch-portal' },
};

/** Status documents as the API answers them (API.md §4). */
export const STATUS_DOCUMENT_EXAMPLES: ExamplesObject = {
  pending: { summary: 'Waiting for the customer', value: PENDING },
  approved: {
    summary: 'Approved (a consumer with receiveTokens)',
    value: {
      ...PENDING,
      status: 'approved',
      progress: null,
      initiatedBy: { type: 'agent', subject: 'agent-0042', name: 'Nino Beridze' },
      result: {
        subject: '248289761001',
        claims: { sub: '248289761001', name: 'Alice Beridze', personal_number: '01001011111' },
        acr: 'urn:grn:authn:se:bankid',
        amr: ['mobile-id'],
        authTime: '2026-11-22T10:00:41.000Z',
        tokens: { accessToken: 'eyJhbGciOi...', idToken: 'eyJhbGciOi...', tokenType: 'Bearer', expiresIn: 300, scope: 'openid profile' },
      },
    },
  },
  denied: {
    summary: 'Denied by the customer',
    value: { ...PENDING, status: 'denied', progress: null, error: { code: 'access_denied', description: 'The customer declined.' } },
  },
};
