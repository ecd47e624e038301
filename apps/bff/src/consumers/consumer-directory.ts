import { createHash, timingSafeEqual } from 'node:crypto';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';

/**
 * Finds the consumer of an API key. Only SHA-256 hashes are configured (several per consumer, so a
 * key is rotated without downtime); the presented key is hashed and compared with every hash in
 * constant time (no early exit), so neither timing nor the order of consumers or keys tells
 * anything about the keys.
 */
export class ConsumerDirectory {
  private readonly entries: { hash: Buffer; consumer: ConsumerConfig }[];
  private readonly byIds: ReadonlyMap<string, ConsumerConfig>;

  constructor(config: CibaConfig) {
    this.entries = [...config.consumers.values()].flatMap((consumer) =>
      consumer.keyHashes.map((hash) => ({ hash: Buffer.from(hash, 'hex'), consumer })),
    );
    this.byIds = new Map([...config.consumers.values()].map((consumer) => [consumer.id, consumer]));
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
    return this.byIds.get(id);
  }
}
