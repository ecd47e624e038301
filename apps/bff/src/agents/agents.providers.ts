import type { Provider } from '@nestjs/common';
import type { CibaConfig } from '@ciba/config';
import { AgentSessionRepository, ConsoleLoginRepository, FieldCipher, RedisKeys, type RedisConnection } from '@ciba/store';
import { REDIS_COMMAND } from '../tokens.js';
import { AgentRequestAuthenticator } from './agent-request.authenticator.js';
import { AgentSessions } from './agent-sessions.service.js';
import { AgentSignIn } from './agent-sign-in.service.js';
import { AgentSignInController } from './agent-sign-in.controller.js';
import { WorkforceProvider } from './workforce-provider.js';

const MINUTE_MS = 60_000;

/** What the API serves for branch agents when the configuration has an `agents` section (API.md §7), else nothing. */
export function agentProviders(config: CibaConfig): Provider[] {
  const agents = config.agents;
  if (!agents) return [];
  return [
    { provide: WorkforceProvider, useValue: new WorkforceProvider(agents.idp) },
    {
      provide: AgentSessionRepository,
      useFactory: (redis: RedisConnection, keys: RedisKeys, cipher: FieldCipher) =>
        new AgentSessionRepository(redis, keys, cipher, {
          idleMs: agents.sessionIdleMinutes * MINUTE_MS,
          maxMs: agents.sessionMaxHours * 60 * MINUTE_MS,
        }),
      inject: [REDIS_COMMAND, RedisKeys, FieldCipher],
    },
    {
      provide: ConsoleLoginRepository,
      useFactory: (redis: RedisConnection, keys: RedisKeys, cipher: FieldCipher) => new ConsoleLoginRepository(redis, keys, cipher),
      inject: [REDIS_COMMAND, RedisKeys, FieldCipher],
    },
    AgentSessions,
    AgentSignIn,
    AgentRequestAuthenticator,
  ];
}

/** The sign-in routes, with the same condition. */
export function agentControllers(config: CibaConfig) {
  return config.agents ? [AgentSignInController] : [];
}
