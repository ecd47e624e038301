import { Inject, Injectable } from '@nestjs/common';
import { savedApprovalVerified, verificationDeferred, type Authentication } from '@ciba/ciba';
import { ProviderRegistry } from '@ciba/providers';
import { AuthenticationRepository, storeFailureKind } from '@ciba/store';
import type { Logger } from 'pino';
import { LOGGER } from '../tokens.js';

/** When a verifier knows when trying again makes sense (e.g. a JWKS cooldown ends), it says so. */
const retryAtOf = (error: unknown): number | undefined => {
  const retryAt = (error as { retryAt?: unknown } | null)?.retryAt;
  return typeof retryAt === 'number' && Number.isFinite(retryAt) ? retryAt : undefined;
};

/**
 * Turns a saved token response into the final status: `approved` with verified claims, or
 * `failed` with the reason. When verification cannot run (the provider's keys are unreachable,
 * or a new key is not published to us yet) the response stays saved and the job tries again
 * with back-off; only an ID Token that really fails validation ends the authentication `failed`.
 */
@Injectable()
export class TokenResultService {
  constructor(
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async settle(record: Authentication): Promise<number | null> {
    let verified;
    try {
      verified = await this.providers.get(record.provider).verify(record.tokenResponse!, {
        authReqId: record.authReqId,
        hint: { customer: record.customer, identityClaim: record.identityClaim ?? undefined },
        requestedAcr: record.requestedAcr,
      });
    } catch (error) {
      // A Redis failure is not the verifier's: the job runs again when Redis is back.
      if (storeFailureKind(error) !== null) throw error;
      return this.deferVerification(record, error);
    }
    const change = savedApprovalVerified(verified);
    const applied = await this.repository.transition(record, change);
    // Another run may have settled it first (a worker that took over): say it once.
    if (!applied.applied) return null;
    if (verified.kind === 'approved') {
      this.logger.info(
        {
          event: 'ciba.approved',
          authenticationId: record.id,
          provider: record.provider,
          consumer: record.consumer,
          customer: record.customerMasked,
        },
        'authentication approved',
      );
    } else {
      this.logger.warn(
        { event: 'ciba.failed', authenticationId: record.id, provider: record.provider, code: verified.error.code },
        'approval refused by our checks',
      );
    }
    return null;
  }

  /** Verification could not run: retried with back-off, given up a grace past the deadline (`verificationDeferred`). */
  private async deferVerification(record: Authentication, error: unknown, now = Date.now()): Promise<number | null> {
    const deferred = verificationDeferred(record, now, retryAtOf(error));
    if (deferred.giveUp) {
      this.logger.error({ authenticationId: record.id, provider: record.provider, err: error }, 'ID Token could never be verified');
      await this.repository.transition(record, deferred.change);
      return null;
    }
    const { change } = deferred;
    const failures = change.set.consecutiveFailures;
    this.logger.warn(
      { authenticationId: record.id, err: error, failures, retryAt: change.nextRunAt },
      'ID Token verification could not run; will retry',
    );
    await this.repository.transition(record, change);
    return change.nextRunAt;
  }
}
