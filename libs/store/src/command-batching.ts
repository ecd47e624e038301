import type { RedisConnection } from './redis-clients.js';

/**
 * Single-key data commands of the request and poll paths. Only these are gathered: each names a
 * key under the configured hash tag, so a batch is always legal in Redis Cluster (one slot), and
 * none changes the connection's state.
 */
const BATCHED = new Set([
  'evalsha',
  'eval',
  'get',
  'hget',
  'hmget',
  'hgetall',
  'hset',
  'incr',
  'pexpire',
  'pttl',
  'exists',
  'zadd',
  'zrem',
  'zscore',
  // The audit trail's appends outside a start (a cancel, an approval): one write each under load before.
  'xadd',
]);

/** A client or pipeline, indexed by command name. */
type Commands<R> = Record<string, (...args: unknown[]) => R>;

/** One command as recorded: its name and arguments, replayed onto a pipeline unchanged. */
type Recorded = [command: string, args: unknown[]];

interface Queued {
  command: string;
  args: unknown[];
  /** A transaction's commands: sent as MULTI, the commands, EXEC, inside the turn's pipeline. */
  transaction?: Recorded[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What `multi().exec()` answers: a reply or an error per command. */
type TransactionReplies = [error: Error | null, reply: unknown][];

/**
 * Sends the commands issued during one turn of the event loop in one write, as a pipeline.
 *
 * Every command written on its own is a socket write, and on a small virtual machine the write
 * costs more than the command (the benchmark measured 60-100 µs a write against 3-30 µs of Redis
 * time). Under load, many requests ask Redis something in the same turn (one read of Redis's
 * socket resolves dozens of replies, whose continuations ask the next thing), so they now share
 * one write. Unlike ioredis's own auto-pipelining, a batch never waits for the previous one to be
 * answered: a stalled Redis delays nothing beyond each command's own timeout (API.md §6), and
 * each command keeps its own reply or error (a pipeline is not a transaction).
 *
 * A transaction (`multi()` without options, then `exec()`) joins the turn's batch too, as MULTI,
 * its commands and EXEC inside the pipeline (alone, too, so it always answers the same way): Redis
 * still runs it all or nothing, and a start (one transaction each) no longer costs a write of its
 * own when others are under way.
 *
 * Wraps a client in a Proxy: the listed commands are queued and flushed on `setImmediate` (after
 * the I/O callbacks of this turn); everything else (`pipeline`, events, pub/sub, admin commands)
 * goes straight to the client.
 */
export function batchedCommands<T extends RedisConnection>(client: T): T {
  let queue: Queued[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 1 && !batch[0].transaction) return sendAlone(client, batch[0]);
    const pipeline = client.pipeline() as unknown as Commands<unknown> & ReturnType<T['pipeline']>;
    const sizes = batch.map((queued) => {
      if (!queued.transaction) {
        pipeline[queued.command](...queued.args);
        return 1;
      }
      pipeline.multi();
      for (const [command, args] of queued.transaction) pipeline[command](...args);
      // Inside a pipeline, the first exec() only queues EXEC (ioredis counts the open MULTIs).
      void pipeline.exec();
      return queued.transaction.length + 2;
    });
    pipeline.exec().then(
      (results) => {
        let offset = 0;
        batch.forEach((queued, index) => {
          const replies = (results ?? []).slice(offset, offset + sizes[index]);
          offset += sizes[index];
          settle(queued, replies);
        });
      },
      (error: unknown) => {
        for (const queued of batch) queued.reject(error);
      },
    );
  };

  const push = (queued: Queued) => {
    queue.push(queued);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const enqueue =
    (command: string) =>
    (...args: unknown[]) =>
      new Promise((resolve, reject) => push({ command, args, resolve, reject }));

  const multi = (...options: unknown[]) => {
    // With options (e.g. `{ pipeline: false }`) the caller wants the client's own behaviour.
    if (options.length > 0) return (client as unknown as Commands<unknown>).multi(...options);
    return recordedTransaction(
      (transaction) =>
        new Promise<TransactionReplies>((resolve, reject) =>
          push({ command: 'multi', args: [], transaction, resolve: resolve as never, reject }),
        ),
    );
  };

  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy(client, {
    get(target, property) {
      if (property === 'multi') return multi;
      if (typeof property === 'string' && BATCHED.has(property)) {
        let method = methods.get(property);
        if (!method) {
          method = enqueue(property);
          methods.set(property, method);
        }
        return method;
      }
      const value: unknown = Reflect.get(target, property, target);
      // Methods run on the client itself, so ioredis's private fields and `this` stay its own.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A batch of one plain command goes as it is. */
function sendAlone(client: RedisConnection, only: Queued): void {
  const commands = client as unknown as Commands<Promise<unknown>>;
  commands[only.command](...only.args).then(only.resolve, only.reject);
}

/**
 * A transaction's replies inside a pipeline: MULTI's OK, a QUEUED per command, then EXEC's array.
 * A command refused while queueing (out of memory, a wrong argument count) makes Redis abort the
 * whole transaction (EXECABORT): rejected as `multi().exec()` rejects, the refusals in
 * `previousErrors` (where `storeFailureKind` reads "out of memory"); otherwise each command has
 * its reply. Replies are Redis's own: no ioredis reply transformer runs (an HGETALL in a
 * transaction answers its flat array), so transactions here are for writes.
 */
function settle(queued: Queued, replies: [Error | null, unknown][]): void {
  if (!queued.transaction) {
    const [error, value] = replies[0] ?? [new Error('Redis answered no reply for a pipelined command'), null];
    if (error) queued.reject(error);
    else queued.resolve(value);
    return;
  }
  const [execError, execReply] = replies[replies.length - 1] ?? [new Error('Redis answered no reply for a transaction'), null];
  const refusals = replies.slice(0, -1).flatMap(([error]) => (error ? [error] : []));
  if (execError) return queued.reject(Object.assign(execError, { previousErrors: refusals }));
  if (refusals.length > 0 || !Array.isArray(execReply)) return queued.reject(refusals[0] ?? new Error('Redis aborted the transaction'));
  queued.resolve(execReply.map((reply): [Error | null, unknown] => (reply instanceof Error ? [reply, null] : [null, reply])));
}

/**
 * Records a transaction's chained commands (`multi().hset(...).zadd(...)`) until `exec()`,
 * which hands them to the batch. Every other member is a command name: recorded, and chained.
 */
function recordedTransaction(send: (transaction: Recorded[]) => Promise<TransactionReplies>): unknown {
  const recorded: Recorded[] = [];
  const chain: unknown = new Proxy(
    {},
    {
      get(_target, property) {
        if (property === 'exec') return () => send(recorded);
        // Not a thenable: awaiting the chain itself must not look like a promise.
        if (typeof property !== 'string' || property === 'then') return undefined;
        return (...args: unknown[]) => {
          recorded.push([property, args]);
          return chain;
        };
      },
    },
  );
  return chain;
}
