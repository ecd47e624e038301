import { readEnvironment } from '@ciba/config';
import { commandClient } from '@ciba/store';
import { redactedRedisUrl } from '../logging/redacted-redis-url.js';
import { KeyRotator } from './key-rotator.js';
import { rotateKeysSettings } from './rotate-keys.settings.js';

/** Exit codes: 0 done; 1 could not run (configuration, Redis); 3 ran, but some records failed. */
const EXIT_FAILED_RECORDS = 3;
/** Errors whose message says all there is; anything else is printed with its stack. */
const EXPLAINED = new Set(['ConfigError', 'KeyringError', 'RedisUnreachable']);

/**
 * `npm run rotate-keys`: re-encrypts data at rest under the first key of CIBA_ENCRYPTION_KEY.
 * Prints one JSON summary line on stdout; per-record failures go to stderr (ids, never values).
 */
async function main(): Promise<number> {
  const settings = rotateKeysSettings(readEnvironment());
  const redis = commandClient(settings.redisUrl, 'ciba-rotate-keys');
  // ioredis reports the cause (ECONNREFUSED, NOAUTH...) as an event; connect() only says "closed".
  let cause: Error | undefined;
  redis.on('error', (error: Error) => (cause = error));
  try {
    await redis.connect().catch((error: Error) => {
      const unreachable = new Error(`cannot connect to Redis at ${redactedRedisUrl(settings.redisUrl)}: ${(cause ?? error).message}`);
      unreachable.name = 'RedisUnreachable';
      throw unreachable;
    });
    const { summary, failures } = await new KeyRotator({ ...settings, redis }).run();
    for (const [id, reason] of failures) process.stderr.write(`rotate-keys: authentication ${id} was not rotated: ${reason}\n`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary.failed > 0 ? EXIT_FAILED_RECORDS : 0;
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const explained = EXPLAINED.has((error as Error)?.name);
    const message = explained ? (error as Error).message : ((error as Error)?.stack ?? String(error));
    // Each field is replaced atomically, so a run cut short leaves only readable data behind.
    const rerun = explained ? '' : '\nRecords rotated so far are complete; run rotate-keys again.';
    process.stderr.write(`rotate-keys failed: ${message}${rerun}\n`);
    process.exitCode = 1;
  },
);
