import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startStack, sha256, type Stack } from '../support/bff-stack.js';
import { ConsumerClient } from '../support/consumer-client.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { discover, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { startRestartableRedis, type RestartableRedis } from '../support/restartable-redis.js';
import { startLedgerProxy, type LedgerProxy } from '../scale/ledger-proxy.js';

/** The interval the recording proxy adds to every acknowledgement (oidc-provider sends none). */
export const FAULT_INTERVAL_SECONDS = 2;

export interface FaultStack {
  stack: Stack;
  /** The Redis the BFF uses: killable and restartable, with AOF. */
  redis: RestartableRedis;
  /** Between the BFF and that Redis. */
  proxy: FaultProxy;
  ledger: LedgerProxy;
  /** Consumers `c0`… (each may use provider `proxied`): with the four demo customers, 4 × n pending at once. */
  consumers: ConsumerClient[];
  /** Every JSON line the BFF logged. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The BFF in this process on a Redis that tests can kill, restart, reset, blackhole and fill,
 * in front of the real sandbox provider reached through the ledger proxy (provider `proxied`),
 * so what reached the provider's door can be checked: no poll sooner than the interval, no
 * approval redeemed twice.
 */
export async function startFaultStack(options: { consumers?: number } = {}): Promise<FaultStack> {
  const redis = await startRestartableRedis();
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: redis.port });
  let ledger!: LedgerProxy;
  let recording!: RecordingProxy;
  const logs: Record<string, unknown>[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const keys = Array.from({ length: options.consumers ?? 1 }, () => randomBytes(12).toString('hex'));
  const stack = await startStack({
    redisUrl: async () => proxy.url,
    logSink,
    providers: async (sandbox) => {
      const endpoints = await discover(sandbox.issuer);
      recording = await startRecordingProxy(endpoints, { ackInterval: FAULT_INTERVAL_SECONDS });
      ledger = await startLedgerProxy({
        backchannel: `${recording.url}/backchannel`,
        token: `${recording.url}/token`,
        jwks: endpoints.jwks,
      });
      return {
        proxied: {
          issuer: sandbox.issuer,
          ...ledger.endpointsFor('bff'),
          clientId: 'bff',
          clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
          scope: 'openid profile',
          allowInsecureHttp: true,
        },
      };
    },
    configure: (tree) => {
      keys.forEach((key, index) => {
        tree.consumers[`c${index}`] = { apiKeySha256: sha256(key), providers: ['proxied'], rateLimit: { perMinute: 100_000 } };
      });
    },
  });
  return {
    stack,
    redis,
    proxy,
    ledger,
    consumers: keys.map((key) => new ConsumerClient(stack.bff!.url, key)),
    logs,
    close: async () => {
      await stack.close();
      await ledger?.close();
      await recording?.close();
      await proxy.close();
      await redis.stop();
    },
  };
}

/** The four demo customers of the sandbox, by personal number. */
const CUSTOMERS = ['01001011111', '01001022222', '01001033333', '01001044444'];

export interface Started {
  consumer: ConsumerClient;
  id: string;
}

/** Every consumer asks for every demo customer: 4 × consumers pending authentications. */
export async function startForEveryCustomer(faults: FaultStack): Promise<Started[]> {
  return Promise.all(
    faults.consumers.flatMap((consumer) =>
      CUSTOMERS.map(async (loginHint) => {
        const response = await consumer.start({ provider: 'proxied', loginHint });
        expect(response.status).toBe(201);
        return { consumer, id: response.body!.id as string };
      }),
    ),
  );
}

/** The customers approve every request on the sandbox's phone; every authentication must end `approved`. */
export async function approveAllAndExpectApproved(faults: FaultStack, started: Started[]): Promise<void> {
  for (const request of faults.stack.sandbox.pending()) await faults.stack.sandbox.approve(request.id);
  const finals = await Promise.all(started.map(({ consumer, id }) => consumer.waitForStatusChange(id, 'pending', 60)));
  expect(finals.map((final) => String(final.body?.status ?? final.status))).toEqual(started.map(() => 'approved'));
  expect(faults.logs.filter((line) => line.msg === 'unhandled error')).toEqual([]);
}

/** Readiness, polled until it says `status` (it has no event to await). */
export async function waitForReadiness(url: string, status: 200 | 503, timeoutMs = 15_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/health/ready`);
    const body = (await response.json()) as Record<string, any>;
    if (response.status === status) return body;
    if (Date.now() > deadline) throw new Error(`readiness stayed ${response.status} (${JSON.stringify(body)}), expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
