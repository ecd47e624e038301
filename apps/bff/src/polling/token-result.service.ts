import { Inject, Injectable } from '@nestjs/common';
import { backoffSeconds, type Authentication } from '@ciba/ciba';
import { ProviderRegistry } from '@ciba/providers';
import { AuthenticationRepository } from '@ciba/store';
import type { Logger } from 'pino';
import { LOGGER } from '../infrastructure/tokens.js';

/**
 * Turns a saved token response into the final status: `approved` with verified claims, or
 * `failed` with the reason. When verification cannot run (the provider's keys are unreachable)
 * the response stays saved and the job tries again until the deadline.
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
      const failures = record.consecutiveFailures + 1;
      const retryAt = Date.now() + backoffSeconds(1, failures) * 1000;
      this.logger.warn({ authenticationId: record.id, err: error, failures }, 'ID Token verification could not run; will retry');
      await this.repository.transition(record, {
        from: ['pending'],
        set: { consecutiveFailures: failures },
        nextRunAt: Math.min(retryAt, record.expiresAt),
      });
      return Math.min(retryAt, record.expiresAt);
    }
    if (verified.kind === 'approved') {
      await this.repository.transition(record, {
        from: ['pending'],
        set: { status: 'approved', result: verified.result, tokenResponse: null, progress: null },
      });
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
      await this.repository.transition(record, {
        from: ['pending'],
        set: { status: 'failed', error: verified.error, tokenResponse: null, progress: null },
      });
      this.logger.warn(
        { event: 'ciba.failed', authenticationId: record.id, provider: record.provider, code: verified.error.code },
        'approval refused by our checks',
      );
    }
    return null;
  }
}
