import { Redis } from 'ioredis';
import { CREATE } from '../../libs/store/src/authentication.scripts.js';
import { startStack, type Stack } from '../support/bff-stack.js';

/** One command Redis ran, as MONITOR reports it. */
interface Seen {
  source: string;
  args: string[];
}

/**
 * What a start costs in Redis (API.md §4 "Start"): at most three round trips in the common case:
 * the consumer's rate limit (one script), the admission before the provider call (one script:
 * enumeration guard, reservation, per-customer limit), and one script after the provider's
 * acknowledgement (CREATE: record, indexes, reservation confirmed, audit event).
 *
 * How it is counted: MONITOR, on a connection of the test's own, reports every command Redis runs
 * with the address of the client that sent it (commands a script runs show as "lua": they are
 * part of their EVALSHA and are not counted). The BFF's command connection is the client named
 * `ciba-bff` in CLIENT LIST; the stack runs the API role only, so no poll worker shares it. The
 * window opens and closes with an ECHO the test sends on another connection: it opens before the
 * POST and closes after its answer and a pause, so writes left to the background after answering
 * count too. Each command from the BFF's address is one request: requests bound round trips from
 * above (a pipeline of several commands would be counted once per command). Left out:
 * the metrics flush, a once-a-second timer (HINCRBY on the metrics and histogram hashes) that is
 * not part of any start and only shares the connection. Scripts are already known to Redis (a
 * first start ran them), as they are in the common case: the body is sent after NOSCRIPT only.
 */
describe('the cost of a start in Redis', () => {
  let stack: Stack;
  let admin: Redis;
  let monitor: Redis;
  const seen: Seen[] = [];

  beforeAll(async () => {
    stack = await startStack({ role: 'api' });
    admin = new Redis(stack.redis.url);
    monitor = await admin.monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ source, args }));
  });
  afterAll(async () => {
    monitor?.disconnect();
    admin?.disconnect();
    await stack?.close();
  });

  /** The addresses of the BFF's command connection(s). */
  async function commandConnections(): Promise<Set<string>> {
    const list = (await admin.client('LIST')) as string;
    const fields = (line: string) => new Map(line.split(' ').map((pair) => pair.split('=', 2) as [string, string]));
    return new Set(
      list
        .split('\n')
        .map(fields)
        .filter((client) => client.get('name') === 'ciba-bff')
        .map((client) => client.get('addr')!),
    );
  }

  /** Everything MONITOR reported between two ECHO markers of the test, once the second has arrived. */
  async function between<T>(action: () => Promise<T>, settleMs: number): Promise<{ result: T; commands: Seen[] }> {
    const marker = `round-trips-${Date.now()}`;
    const arrived = (text: string) => seen.findIndex((command) => command.args[0]?.toLowerCase() === 'echo' && command.args[1] === text);
    const until = async (text: string) => {
      while (arrived(text) < 0) await new Promise((resolve) => setTimeout(resolve, 10));
      return arrived(text);
    };
    await admin.echo(`${marker}:open`);
    const open = await until(`${marker}:open`);
    const result = await action();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    await admin.echo(`${marker}:close`);
    const close = await until(`${marker}:close`);
    return { result, commands: seen.slice(open + 1, close) };
  }

  /** Requests (round trips, bounded from above) among a connection's commands; see the describe's comment. */
  function requests(commands: Seen[], background: Set<string>): string[][] {
    return commands
      .map(({ args }) => args)
      .filter((args) => !(args[0].toLowerCase().startsWith('hincrby') && background.has(args[1])))
      .map((args) => [args[0].toLowerCase()]);
  }

  it('takes at most three round trips for a start without Idempotency-Key', async () => {
    const warmUp = await stack.portal.start({ provider: 'sandbox', loginHint: 'bob' });
    expect(warmUp.status).toBe(201);
    const bff = await commandConnections();
    expect(bff.size).toBeGreaterThan(0);

    const { result, commands } = await between(() => stack.portal.start({ provider: 'sandbox', loginHint: 'carol' }), 300);
    expect(result.status).toBe(201);

    const prefix = stack.redis.prefix;
    const trips = requests(
      commands.filter((command) => bff.has(command.source)),
      new Set([`${prefix}:metrics`, `${prefix}:histograms`]),
    );
    // At most three; a failure lists the requests past the third, so it says which one came back.
    expect(trips.slice(3)).toEqual([]);
    // The last one stores the record with its audit event and its reservation, all or nothing: the
    // CREATE script, whose writes MONITOR reports as run by "lua".
    expect(trips.at(-1)).toEqual(['evalsha']);
    const fromBff = commands.filter((command) => bff.has(command.source));
    expect(fromBff.at(-1)!.args.slice(0, 2)).toEqual(['evalsha', CREATE.sha]);
    const inScripts = commands.filter((command) => command.source === 'lua').map((command) => command.args[0].toLowerCase());
    expect(inScripts).toEqual(expect.arrayContaining(['exists', 'hset', 'pexpireat', 'zadd', 'publish', 'set', 'xadd']));
  });
});
