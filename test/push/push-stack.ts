import { randomBytes } from 'node:crypto';
import { parseConfig, type CibaConfig } from '@ciba/config';
import { findFreePort } from '@ciba/embedded-redis';
import { Keyring } from '@ciba/store';
import { startBff, type RunningBff } from '../../apps/bff/src/bff.app.js';
import { createLogger } from '../../apps/bff/src/logging/logger.js';
import { sha256 } from '../support/bff-stack.js';
import { ConsumerClient } from '../support/consumer-client.js';
import { startTestRedis, type TestRedis } from '../support/test-redis.js';
import { PushOpServer } from './push-op-server.js';

export const PUSH_PROVIDER = 'pushop';
export const PUSH_CLIENT = { clientId: 'ciba-bff-push', secret: 'push-secret-9Kd' };
const PORT_ATTEMPTS = 3;

export interface PushStack {
  redis: TestRedis;
  op: PushOpServer;
  bff: RunningBff;
  config: CibaConfig;
  configTree: Record<string, unknown>;
  keyring: Keyring;
  /** `{publicBaseUrl}/ciba/notify/pushop`, where the provider pushes. */
  notificationEndpoint: string;
  /** Consumer `portal`: may use `pushop` and receives tokens. */
  portal: ConsumerClient;
  close(): Promise<void>;
}

/**
 * Real Redis and the real BFF with one provider, `pushop`, in CIBA push mode. Unlike `startStack`
 * it sets `notifications.publicBaseUrl`, which must name the BFF's own address before the BFF
 * listens: so a free port is chosen first (and another one if it was taken in between).
 */
export async function startPushStack(options: { expiresIn?: number; logSink?: NodeJS.WritableStream } = {}): Promise<PushStack> {
  const redis = await startTestRedis();
  let baseUrl = 'http://127.0.0.1:1';
  const op = await PushOpServer.start({
    clientId: PUSH_CLIENT.clientId,
    clientSecret: PUSH_CLIENT.secret,
    notificationEndpoint: () => `${baseUrl}/ciba/notify/${PUSH_PROVIDER}`,
    expiresIn: options.expiresIn,
  });
  const apiKey = `portal-${randomBytes(12).toString('hex')}`;
  const keyring = Keyring.generate();
  const logger = options.logSink ? createLogger('trace', options.logSink) : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  try {
    for (let attempt = 1; ; attempt += 1) {
      const port = await findFreePort();
      baseUrl = `http://127.0.0.1:${port}`;
      const configTree = buildConfigTree(op, baseUrl, apiKey, redis.prefix);
      const config = parseConfig(configTree, 'test');
      try {
        const bff = await startBff({ config, keyring, logger, redisUrl: redis.url, role: 'both', port, host: '127.0.0.1', sandbox: false });
        return {
          redis,
          op,
          bff,
          config,
          configTree,
          keyring,
          notificationEndpoint: op.notificationEndpoint,
          portal: new ConsumerClient(bff.url, apiKey),
          close: async () => {
            await bff.close();
            await op.close();
            await redis.stop();
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= PORT_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    await op.close();
    await redis.stop();
    throw error;
  }
}

/** The configuration file (API.md §3) for one push-mode provider found by discovery. */
function buildConfigTree(op: PushOpServer, publicBaseUrl: string, apiKey: string, keyPrefix: string): Record<string, unknown> {
  return {
    providers: {
      [PUSH_PROVIDER]: {
        profile: 'generic',
        issuer: op.issuer,
        clientId: PUSH_CLIENT.clientId,
        clientAuth: { method: 'client_secret_basic', secret: PUSH_CLIENT.secret },
        deliveryMode: 'push',
        scope: 'openid profile',
        allowInsecureHttp: true,
      },
    },
    consumers: {
      portal: { apiKeySha256: sha256(apiKey), providers: [PUSH_PROVIDER], receiveTokens: true },
    },
    notifications: { publicBaseUrl },
    storage: { keyPrefix },
  };
}
