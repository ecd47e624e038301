import { Writable } from 'node:stream';
import { Keyring } from '@ciba/store';
import { startBff, type RunningBff } from '../../../apps/bff/src/bff.app.js';
import { createLogger } from '../../../apps/bff/src/logging/logger.js';
import { startStack, type Stack } from '../../support/bff-stack.js';
import { ConsumerClient } from '../../support/consumer-client.js';
import { SimpleIdServerDialect, type SidUser } from './simpleidserver-server.js';

export const SID_CLIENT = { clientId: 'ciba-bff', secret: 'sid-secret-7Qe' };

export interface SidStack {
  stack: Stack;
  bff: RunningBff;
  server: SimpleIdServerDialect;
  /** Consumer `portal`, which may use provider `sid` and receives tokens. */
  portal: ConsumerClient;
  keyring: Keyring;
  /** Every line the BFF logged, at trace level. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The test stack (real Redis, real BFF) with provider `sid` = a SimpleIdServer dialect server,
 * found by discovery from its realm issuer. The BFF is started here rather than by `startStack`
 * so that its logger writes into `logs`, for the tests that prove a password is never logged.
 */
export async function startSidStack(users: SidUser[]): Promise<SidStack> {
  let server: SimpleIdServerDialect | undefined;
  const stack = await startStack({
    startBff: false,
    providers: async () => {
      server = await SimpleIdServerDialect.start({ clientId: SID_CLIENT.clientId, clientSecret: SID_CLIENT.secret, users, interval: 1 });
      return {
        sid: {
          profile: 'simpleidserver',
          issuer: server.issuer,
          clientId: SID_CLIENT.clientId,
          clientAuth: { method: 'client_secret_post', secret: SID_CLIENT.secret },
          scope: 'openid profile email',
          allowInsecureHttp: true,
        },
      };
    },
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const keyring = Keyring.parse(stack.encryptionKey);
  const bff = await startBff({
    config: stack.config,
    keyring,
    logger: createLogger('trace', sink),
    redisUrl: stack.redis.url,
    role: 'both',
    port: 0,
    host: '127.0.0.1',
    sandbox: false,
  }).catch(async (error: unknown) => {
    await stack.close();
    await server?.close();
    throw error;
  });
  return {
    stack,
    bff,
    server: server!,
    portal: new ConsumerClient(bff.url, stack.keys.portal),
    keyring,
    logs,
    close: async () => {
      await bff.close();
      await stack.close();
      await server?.close();
    },
  };
}
