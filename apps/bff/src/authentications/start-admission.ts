import { Inject, Injectable } from '@nestjs/common';
import { CibaError, ErrorCode, isTerminal, type AuthenticationView } from '@ciba/ciba';
import type { CibaConfig } from '@ciba/config';
import { AdmissionRepository, AuthenticationRepository, type AdmissionRequest } from '@ciba/store';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { CIBA_CONFIG, LOGGER } from '../tokens.js';
import { callerMayAccess, initiatorOfCaller, isPlainAgent, type Caller } from './caller.js';

/**
 * Whether `pending_exists` may carry the holder's id (`pendingId`). The customer is the same, so
 * the conflict itself is the answer for everyone; the id is an authentication that only those
 * allowed to see it may learn (API.md §7). A plain agent is told the id of their own only: for
 * another agent's, a consumer's, or one not stored yet (whose initiator is unknown) the 409 comes
 * without it, so the id never reaches someone whose GET of it would be a 404.
 */
function revealsPending(caller: Caller, holder: AuthenticationView | null): boolean {
  if (!isPlainAgent(caller)) return true;
  return holder !== null && callerMayAccess(caller, holder);
}

/** How long a "pending for this customer" reservation lives before the provider has answered. */
const RESERVATION_MS = 60_000;
/** Reservations of finished authentications given up and the admission tried again, at most. */
const ATTEMPTS = 3;

const retryAfter = (resetMs: number) => Math.max(1, Math.ceil(resetMs / 1000));

/**
 * What a start must pass before its provider is called, in one Redis round trip (see
 * ADMIT_START): the enumeration guard, one pending authentication per consumer, provider and
 * customer (API.md `pending_exists`), and the per-customer limit against push bombing
 * (FAPI-CIBA §7.2). Nothing is counted against the customer unless all three pass.
 */
@Injectable()
export class StartAdmission {
  constructor(
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
    @Inject(AdmissionRepository) private readonly admissions: AdmissionRepository,
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Reserves the customer for `id` and counts the request, or throws why not. */
  async admit(caller: Caller, provider: string, customerKey: string, id: string): Promise<void> {
    const { consumer } = caller;
    const { perLoginHint, unknownCustomers } = this.config.limits;
    const request: AdmissionRequest = {
      consumer: consumer.id,
      provider,
      customerKey,
      id,
      reservationMs: RESERVATION_MS,
      unknownCustomers: { max: unknownCustomers.max, windowMs: unknownCustomers.windowSeconds * 1000 },
      perCustomer: { max: perLoginHint.max, windowMs: perLoginHint.windowSeconds * 1000 },
    };
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const admission = await this.admissions.admit(request);
      switch (admission.outcome) {
        case 'admitted':
          return;
        case 'enumeration_guard':
          return this.refuseEnumeration(caller, admission.resetMs);
        case 'customer_limited':
          throw this.customerLimited(admission.resetMs);
        case 'held':
          // A pending holder is the answer (pending_exists). A finished one whose reservation was
          // left behind is rare: it is dropped and the admission tried again (more round trips).
          await this.releaseFinished(request, admission.holder, caller);
          break;
        default: {
          const unhandled: never = admission;
          throw new Error(`unhandled admission ${JSON.stringify(unhandled)}`);
        }
      }
    }
    throw new CibaError(ErrorCode.PendingExists, 'An authentication for this customer is being started.');
  }

  /**
   * Gives up the reservation of a holder that has finished. A holder still pending is the
   * answer, and so is one not stored yet: it is still talking to its provider.
   */
  private async releaseFinished(request: AdmissionRequest, holder: string, caller: Caller): Promise<void> {
    const existing = await this.repository.view(holder);
    if (!existing || !isTerminal(existing.status)) {
      throw new CibaError(
        ErrorCode.PendingExists,
        'A pending authentication for this customer already exists; wait for it or cancel it.',
        revealsPending(caller, existing) ? { pendingId: holder } : {},
      );
    }
    await this.repository.releasePending(request.consumer, request.provider, request.customerKey, holder);
  }

  /** Enumeration guard: a consumer that keeps asking for customers the provider does not know is stopped. */
  private async refuseEnumeration(caller: Caller, resetMs: number): Promise<never> {
    const { consumer } = caller;
    const { max, windowSeconds } = this.config.limits.unknownCustomers;
    const retryAfterSeconds = retryAfter(resetMs);
    this.logger.warn({ event: 'security.enumeration_guard', consumer: consumer.id }, 'too many unknown customers; starts refused');
    // No authentication exists: the event names who was refused.
    await this.audit.record('security.enumeration_guard', 'refused', { consumer: consumer.id, initiatedBy: initiatorOfCaller(caller) });
    throw new CibaError(
      ErrorCode.EnumerationGuard,
      `Too many unknown customers (${max} in ${windowSeconds} s); retry after ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }

  /** At most `limits.perLoginHint.max` requests per provider and customer per window, whichever consumer asks. */
  private customerLimited(resetMs: number): CibaError {
    const { max, windowSeconds } = this.config.limits.perLoginHint;
    const retryAfterSeconds = retryAfter(resetMs);
    return new CibaError(
      ErrorCode.CustomerRateLimited,
      `This customer was asked ${max} times within ${windowSeconds} s; retry after ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }
}
