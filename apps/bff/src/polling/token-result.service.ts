import { Inject, Injectable } from '@nestjs/common';
import { backoffSeconds, type Authentication } from '@ciba/ciba';
import { ProviderRegistry } from '@ciba/providers';
import { AuthenticationRepository, storeFailureKind } from '@ciba/store';
import type { Logger } from 'pino';
import { LOGGER } from '../tokens.js';

/**
 * A saved approval whose ID Token cannot be verified (the provider's keys unreachable) is kept
 * and retried this long past the deadline: the customer approved in time, and the keys are
 * usually back within minutes. (The ID Token's own age limit still applies at verification.)
 */
export const VERIFY_GRACE_MS = 5 * 60_000;

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
    if (verified.kind === 'approved') {
      const approved = await this.repository.transition(record, {
        from: ['pending'],
        set: { status: 'approved', result: verified.result, tokenResponse: null, progress: null, consecutiveFailures: 0 },
      });
      // Another run may have settled it first (a worker that took over): say it once.
      if (!approved.applied) return null;
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
      const failed = await this.repository.transition(record, {
        from: ['pending'],
        set: { status: 'failed', error: verified.error, tokenResponse: null, progress: null },
      });
      if (!failed.applied) return null;
      this.logger.warn(
        { event: 'ciba.failed', authenticationId: record.id, provider: record.provider, code: verified.error.code },
        'approval refused by our checks',
      );
    }
    return null;
  }

  private async deferVerification(record: Authentication, error: unknown, now = Date.now()): Promise<number | null> {
    const giveUpAt = record.expiresAt + VERIFY_GRACE_MS;
    if (now >= giveUpAt) {
      this.logger.error({ authenticationId: record.id, provider: record.provider, err: error }, 'ID Token could never be verified');
      await this.repository.transition(record, {
        from: ['pending'],
        set: {
          status: 'failed',
          error: { code: 'provider_unavailable', description: "The provider's signing keys could not be loaded to verify the approval." },
          tokenResponse: null,
          progress: null,
        },
      });
      return null;
    }
    const failures = record.consecutiveFailures + 1;
    const retryAt = Math.min(Math.max(now + backoffSeconds(1, failures) * 1000, retryAtOf(error) ?? 0), giveUpAt);
    this.logger.warn({ authenticationId: record.id, err: error, failures, retryAt }, 'ID Token verification could not run; will retry');
    await this.repository.transition(record, { from: ['pending'], set: { consecutiveFailures: failures }, nextRunAt: retryAt });
    return retryAt;
  }
}
