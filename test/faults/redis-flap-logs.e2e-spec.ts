import { randomBytes } from 'node:crypto';
import { startBffProcess, type BffProcess } from '../scale/bff-process.js';
import { startStack, type Stack } from '../support/bff-stack.js';
import { startRestartableRedis, type RestartableRedis } from '../support/restartable-redis.js';
import { writeConfigFile } from '../support/worker-process.js';
import { waitForReadiness } from './fault-stack.js';

const FLAPS = 2;
/** Each outage lasts this long: enough for many reconnect attempts of every connection. */
const OUTAGE_MS = 3000;

/**
 * The compiled BFF (API and workers in one process) on a Redis that goes away and comes back
 * twice. API.md §6: every line it writes is JSON (ioredis's and BullMQ's errors included), and a
 * flapping Redis is told once per change of state per connection, not once per failed attempt.
 */
/** Until the process's log shows what `seen` looks for (its lines arrive through a pipe). */
async function logged(seen: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!seen() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('logs while Redis flaps', () => {
  let stack: Stack;
  let redis: RestartableRedis;
  let bff: BffProcess;

  beforeAll(async () => {
    stack = await startStack({ startBff: false });
    redis = await startRestartableRedis();
    bff = await startBffProcess('flap', undefined, {
      CIBA_CONFIG: writeConfigFile(stack.configTree),
      REDIS_URL: redis.url,
      CIBA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
  }, 60_000);
  afterAll(async () => {
    await bff?.stop();
    await redis?.stop();
    await stack?.close();
  });

  it('writes only JSON lines, one per connection and change of state', async () => {
    for (let flap = 0; flap < FLAPS; flap += 1) {
      await redis.kill();
      await waitForReadiness(bff.url, 503);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)); // the outage's length is the fault
      await redis.start();
      await waitForReadiness(bff.url, 200);
      // Readiness speaks for the command connection only: the next outage must find the
      // subscriber back too, or it has nothing to lose and says nothing.
      const restored = (redisName: string) =>
        bff.logs.filter((line) => line.event === 'redis.connection_restored' && line.redis === redisName).length > flap;
      await logged(() => restored('command') && restored('subscriber'));
    }
    // Readiness can answer before the line saying so has come through the process's stdout.
    await logged(() => bff.logs.filter((line) => line.event === 'redis.connection_restored' && line.redis === 'command').length >= FLAPS);
    expect(bff.otherLines).toEqual([]);
    const changes = bff.logs.filter((line) => line.event === 'redis.connection_lost' || line.event === 'redis.connection_restored');
    const perConnection = new Map<string, number>();
    for (const line of changes) {
      const key = `${String(line.redis)} ${String(line.event)}`;
      perConnection.set(key, (perConnection.get(key) ?? 0) + 1);
    }
    expect(perConnection.get('command redis.connection_lost')).toBe(FLAPS);
    expect(perConnection.get('command redis.connection_restored')).toBe(FLAPS);
    expect(perConnection.get('subscriber redis.connection_lost')).toBe(FLAPS);
    expect([...perConnection].filter(([, count]) => count > FLAPS)).toEqual([]);
    // Nothing else about Redis repeats per attempt.
    expect(bff.logs.filter((line) => line.msg === 'Redis client error')).toEqual([]);
  }, 90_000);
});
