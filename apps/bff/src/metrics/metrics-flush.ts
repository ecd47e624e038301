import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HashIncrements } from '@ciba/store';

/**
 * Writes the buffered metrics of a stopping process. `beforeApplicationShutdown` runs after the
 * workers have finished their last polls (see `shutdownBff`) and before any Redis connection is
 * closed (`onApplicationShutdown`), so the last second of counts is kept.
 */
@Injectable()
export class MetricsFlush implements BeforeApplicationShutdown {
  constructor(@Inject(HashIncrements) private readonly increments: HashIncrements) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.increments.flush();
  }
}
