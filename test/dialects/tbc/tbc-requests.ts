import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { checkFinalize, checkInitialize, type TbcCustomer } from './tbc-checks.js';
import type { TbcSigner } from './tbc-signer.js';
import { finalTokenResponse, middleTokenResponse } from './tbc-token-issuer.js';
import { refuse } from './tbc-wire.js';

const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';

export type TbcStep = 'initialize' | 'finalize';

export interface TbcRequest {
  authReqId: string;
  step: TbcStep;
  customer: TbcCustomer;
  form: Record<string, string>;
  createdAt: number;
  expiresAt: number;
  nextPollAt: number;
  decision: 'pending' | 'approved' | 'denied' | 'expired';
  issued: boolean;
  /** Test fault: the personal number the tokens will carry instead of the customer's. */
  tokenPersonalNumber?: string;
}

export interface RequestBookSettings {
  issuer: string;
  clientId: string;
  customers: TbcCustomer[];
  /** Seconds. */
  interval: number;
  expiresIn: number;
}

/**
 * The bank's side of CIBA (seed 000; CIBA Core §7, §10, §11): the requests of both steps, the
 * middle tokens it issued, and the token endpoint's answers. Refusals are thrown (`refuse`).
 */
export class TbcRequestBook {
  /** Emits `request` with each new request. */
  readonly events = new EventEmitter();
  private readonly requests = new Map<string, TbcRequest>();
  private readonly middleTokens = new Map<string, { request: TbcRequest; finalized: boolean }>();

  constructor(
    private readonly signer: TbcSigner,
    private readonly settings: RequestBookSettings,
  ) {}

  get(authReqId: string): TbcRequest {
    const request = this.requests.get(authReqId);
    if (!request) throw new Error(`unknown auth_req_id ${authReqId}`);
    return request;
  }

  latest(personalNumber: string, step: TbcStep): TbcRequest | undefined {
    return [...this.requests.values()].reverse().find((r) => r.step === step && r.customer.personalNumber === personalNumber);
  }

  initialize(form: Record<string, string>) {
    const customer = checkInitialize(form, this.settings.customers);
    return this.acknowledge(this.create('initialize', customer, form, 'pending'));
  }

  finalize(form: Record<string, string>) {
    const middle = this.middleTokens.get(form.id_token_hint ?? '');
    checkFinalize(form, middle);
    middle!.finalized = true;
    // A correct code completes the second step at once: the customer confirmed in the first.
    const request = this.create('finalize', middle!.request.customer, form, 'approved');
    request.tokenPersonalNumber = middle!.request.tokenPersonalNumber;
    return this.acknowledge(request);
  }

  /** CIBA Core §10.1 / §11, with single-use `auth_req_id`s and the interval enforced. */
  async token(form: Record<string, string>) {
    if (form.grant_type !== CIBA_GRANT) refuse(400, 'unsupported_grant_type', `grant_type ${form.grant_type ?? '(none)'} not supported`);
    const extra = Object.keys(form).filter((name) => !['grant_type', 'auth_req_id', 'client_id'].includes(name));
    if (extra.length > 0) refuse(400, 'invalid_request', `unexpected parameters: ${extra.join(', ')}`);
    const request = this.requests.get(form.auth_req_id ?? '');
    if (!request || request.issued) refuse(400, 'invalid_grant', 'auth_req_id unknown or already used');
    const now = Date.now();
    const tooEarly = now < request.nextPollAt;
    request.nextPollAt = now + this.settings.interval * 1000;
    if (tooEarly) refuse(400, 'slow_down', 'polled faster than the interval');
    if (request.decision === 'expired' || now >= request.expiresAt) refuse(400, 'expired_token', 'the request expired');
    if (request.decision === 'denied') refuse(403, 'access_denied', `customer ${request.customer.personalNumber} declined`);
    if (request.decision === 'pending') refuse(400, 'authorization_pending', 'waiting for the customer');
    request.issued = true;
    const { issuer, clientId } = this.settings;
    if (request.step === 'finalize') return finalTokenResponse(this.signer, issuer, clientId, request);
    const answer = await middleTokenResponse(this.signer, issuer, clientId, request);
    this.middleTokens.set(answer.id_token, { request, finalized: false });
    return answer;
  }

  private create(step: TbcStep, customer: TbcCustomer, form: Record<string, string>, decision: TbcRequest['decision']): TbcRequest {
    const now = Date.now();
    const request: TbcRequest = {
      authReqId: randomBytes(24).toString('base64url'),
      step,
      customer,
      form,
      createdAt: now,
      expiresAt: now + this.settings.expiresIn * 1000,
      nextPollAt: now + this.settings.interval * 1000,
      decision,
      issued: false,
    };
    this.requests.set(request.authReqId, request);
    this.events.emit('request', request);
    return request;
  }

  private acknowledge(request: TbcRequest) {
    return { auth_req_id: request.authReqId, expires_in: this.settings.expiresIn, interval: this.settings.interval };
  }
}
