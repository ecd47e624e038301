import { parseArgs } from 'node:util';
import type { FollowMode } from './driver/consumer-driver.js';

export interface BenchOptions {
  mode: 'full' | 'quick' | 'custom';
  sizes: number[];
  workers: number[];
  baseline: boolean;
  intervalSeconds: number;
  approvalDelaySeconds: number;
  expiresInSeconds: number;
  startConcurrency: number;
  startRate: 'interval' | 'max' | number;
  /** How the driver waits for each result (see ConsumerDriver). */
  follow: FollowMode;
  /** Authentications each implementation starts (and the BFF's consumer cancels) before the measured phase. */
  warmUp: number;
  pollConcurrency?: number;
  aof: boolean;
  /** CONFIG SET applied to each BFF's redis-server before the BFF starts. */
  redisConfig: Record<string, string>;
  profile: boolean;
  build: boolean;
  /** Seconds to wait, before each scenario, for other processes to calm down (0: do not wait). */
  quietWaitSeconds: number;
  out?: string;
}

const USAGE = `npm run bench [-- options]
  --quick                 smoke run: N=200, 1 and 2 workers, baseline (results in bench/results/quick/)
  --sizes 1000,5000       numbers of authentications per scenario
  --workers 1,2           BFF worker process counts
  --no-baseline           skip the openid-client baseline
  --interval 1            the provider's interval, s
  --approval-delay 10     approval after the acknowledgement, s
  --expires-in 120        the provider's expires_in, s
  --concurrency 50        start requests in flight
  --start-rate interval   the pace of the starts: interval (N spread evenly over one interval), max, or starts/s
  --follow sse            how the BFF's consumer waits for results: sse (the events stream) or long-poll
  --warm-up 1000          authentications started before each measured phase, outside every statistic (0: none)
  --poll-concurrency N    BFF pollConcurrency per worker (default: the product default, 50)
  --aof                   run Redis with AOF (appendfsync everysec), as production should
  --redis-config K=V,...  CONFIG SET on the BFF's redis-server before it starts (e.g. hash-max-listpack-value=256)
  --profile               write V8 CPU profiles of the BFF processes and the baseline (results dir/profiles)
  --build                 run "npm run build" first even when dist/ exists
  --quiet-wait 60         before each scenario, wait up to this many s while other processes use > 25 % of the CPUs (0: never)
  --out DIR               where results go (default bench/results, or bench/results/quick)`;

const list = (text: string): number[] => text.split(',').map((item) => positive(item, text));

function positive(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`not a positive number: ${what}\n\n${USAGE}`);
  return value;
}

export function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      workers: { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      interval: { type: 'string', default: '1' },
      'approval-delay': { type: 'string', default: '10' },
      'expires-in': { type: 'string', default: '120' },
      concurrency: { type: 'string', default: '50' },
      'start-rate': { type: 'string', default: 'interval' },
      'warm-up': { type: 'string', default: '1000' },
      follow: { type: 'string', default: 'sse' },
      'poll-concurrency': { type: 'string' },
      aof: { type: 'boolean', default: false },
      'redis-config': { type: 'string' },
      profile: { type: 'boolean', default: false },
      build: { type: 'boolean', default: false },
      'quiet-wait': { type: 'string', default: '60' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const custom = values.sizes !== undefined || values.workers !== undefined;
  return {
    mode: values.quick ? 'quick' : custom ? 'custom' : 'full',
    sizes: values.sizes ? list(values.sizes) : values.quick ? [200] : [1000, 5000],
    workers: values.workers ? list(values.workers) : [1, 2],
    baseline: !values['no-baseline'],
    intervalSeconds: positive(values.interval, '--interval'),
    approvalDelaySeconds: positive(values['approval-delay'], '--approval-delay'),
    expiresInSeconds: positive(values['expires-in'], '--expires-in'),
    startConcurrency: positive(values.concurrency, '--concurrency'),
    startRate:
      values['start-rate'] === 'interval' || values['start-rate'] === 'max'
        ? values['start-rate']
        : positive(values['start-rate'], '--start-rate'),
    follow: followMode(values.follow),
    warmUp: values['warm-up'] === '0' ? 0 : positive(values['warm-up'], '--warm-up'),
    pollConcurrency: values['poll-concurrency'] === undefined ? undefined : positive(values['poll-concurrency'], '--poll-concurrency'),
    aof: values.aof,
    redisConfig: redisConfig(values['redis-config']),
    profile: values.profile,
    build: values.build,
    quietWaitSeconds: values['quiet-wait'] === '0' ? 0 : positive(values['quiet-wait'], '--quiet-wait'),
    out: values.out,
  };
}

function followMode(text: string): FollowMode {
  if (text === 'sse' || text === 'long-poll') return text;
  throw new Error(`--follow: sse or long-poll, not ${text}\n\n${USAGE}`);
}

function redisConfig(text: string | undefined): Record<string, string> {
  if (!text) return {};
  const pairs = text.split(',').map((pair) => pair.split('='));
  if (pairs.some((pair) => pair.length !== 2 || !pair[0] || !pair[1]))
    throw new Error(`--redis-config: expected name=value,...\n\n${USAGE}`);
  return Object.fromEntries(pairs) as Record<string, string>;
}
