import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startStack, type Stack } from '../support/bff-stack.js';
import { runApprovedFlow } from '../support/approved-flow.js';

/**
 * The README's production Redis user: everything the BFF and BullMQ need, on our key prefix and
 * channels only, and no dangerous commands (CONFIG, KEYS, FLUSHALL, DEBUG, ...). The whole flow
 * runs through it: start-up checks, the keeper's scheduler, the poll loops, events and the outcome.
 */
describe('a production Redis ACL user', () => {
  let stack: Stack;
  let admin: Redis;
  const user = `ciba-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');

  beforeAll(async () => {
    stack = await startStack({
      redisUrl: async (redis) => {
        admin = new Redis(redis.url);
        // The rule the README gives (with this test's prefix in place of {ciba}).
        await admin.acl(
          'SETUSER',
          user,
          'reset',
          'on',
          `>${password}`,
          `~${redis.prefix}*`,
          `&${redis.prefix}*`,
          '+@all',
          '-@dangerous',
          '+info',
        );
        const url = new URL(redis.url);
        url.username = user;
        url.password = password;
        return url.href;
      },
    });
  });
  afterAll(async () => {
    // The BFF first: Redis drops the connections of a deleted user, and ioredis would reconnect.
    await stack?.bff?.close();
    await admin?.acl('DELUSER', user);
    admin?.disconnect();
    await stack?.sandbox.close();
    await stack?.redis.stop();
  });

  it('runs an authentication to its outcome with no command or key refused', async () => {
    await runApprovedFlow(stack);
    const metrics = await (await fetch(`${stack.bff!.url}/metrics`)).text();
    expect(metrics).toMatch(/ciba_queue_jobs\{queue="poll-sandbox",state="delayed"\} 0/);

    // Redis refused this user nothing (ACL LOG lists denied commands, keys and channels) but the
    // start-up check's CONFIG GET, which then reads the eviction policy from INFO instead.
    const denials = (await admin.acl('LOG')) as unknown[][];
    const field = (entry: unknown[], name: string) => entry[entry.indexOf(name) + 1];
    const ours = denials.filter((entry) => field(entry, 'username') === user);
    expect(ours.map((entry) => `${String(field(entry, 'reason'))} ${String(field(entry, 'object'))}`)).toEqual(['command config|get']);
  });
});
