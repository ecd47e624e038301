import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BENCH_PROVIDER_ID = 'bench';
export const BENCH_CONSUMER_ID = 'bench';

export interface BffConfigInput {
  providerUrl: string;
  clientId: string;
  clientSecret: string;
  apiKey: string;
  keyPrefix: string;
  /** Per worker process; undefined keeps the product default (50). */
  pollConcurrency?: number;
}

/**
 * The configuration file (API.md §3) of a BFF under test: one provider found by discovery, one
 * consumer whose rate limit and per-customer limit never refuse the bench's load (every
 * authentication uses its own login hint anyway), and a key prefix of its own.
 */
export function writeBffConfig(input: BffConfigInput): string {
  const tree = {
    providers: {
      [BENCH_PROVIDER_ID]: {
        profile: 'generic',
        issuer: input.providerUrl,
        clientId: input.clientId,
        clientAuth: { method: 'client_secret_basic', secret: input.clientSecret },
        deliveryMode: 'poll',
        scope: 'openid',
        allowInsecureHttp: true,
        ...(input.pollConcurrency === undefined ? {} : { pollConcurrency: input.pollConcurrency }),
      },
    },
    consumers: {
      [BENCH_CONSUMER_ID]: {
        apiKeySha256: createHash('sha256').update(input.apiKey).digest('hex'),
        providers: [BENCH_PROVIDER_ID],
        receiveTokens: false,
        rateLimit: { perMinute: 1_000_000 },
      },
    },
    limits: { perLoginHint: { max: 1_000_000, windowSeconds: 300 } },
    storage: { keyPrefix: input.keyPrefix },
  };
  const file = join(mkdtempSync(join(tmpdir(), 'ciba-bench-')), 'config.json');
  writeFileSync(file, JSON.stringify(tree, null, 2));
  return file;
}
