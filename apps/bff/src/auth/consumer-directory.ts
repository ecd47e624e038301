import { createHash, timingSafeEqual } from 'node:crypto';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';

/**
 * Finds the consumer of an API key. Only SHA-256 hashes are configured; the presented key is
 * hashed and compared with every consumer's hash in constant time (no early exit), so neither
 * timing nor the order of consumers tells anything about the keys.
 */
export class ConsumerDirectory {
  private readonly entries: { hash: Buffer; consumer: ConsumerConfig }[];

  constructor(config: CibaConfig) {
    this.entries = [...config.consumers.values()].map((consumer) => ({ hash: Buffer.from(consumer.apiKeySha256, 'hex'), consumer }));
  }

  find(apiKey: string): ConsumerConfig | null {
    const presented = createHash('sha256').update(apiKey, 'utf8').digest();
    let found: ConsumerConfig | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, entry.hash)) found = entry.consumer;
    }
    return found;
  }

  byId(id: string): ConsumerConfig | undefined {
    return this.entries.find((entry) => entry.consumer.id === id)?.consumer;
  }
}
