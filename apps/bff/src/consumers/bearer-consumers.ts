import { Inject, Injectable } from '@nestjs/common';
import type { ConsumerConfig } from '@ciba/config';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { ConsumerDirectory } from './consumer-directory.js';

/** The consumer behind a Bearer value: a JWT access token of a `jwt` consumer, else an API key (API.md §7). */
@Injectable()
export class BearerConsumers {
  constructor(
    @Inject(ConsumerDirectory) private readonly directory: ConsumerDirectory,
    @Inject(AccessTokenVerifier) private readonly accessTokens: AccessTokenVerifier,
  ) {}

  async find(bearer: string): Promise<ConsumerConfig | null> {
    if (this.accessTokens.enabled && AccessTokenVerifier.looksLikeJwt(bearer)) {
      const consumer = await this.accessTokens.consumerOf(bearer);
      if (consumer) return consumer;
    }
    return this.directory.find(bearer);
  }
}
