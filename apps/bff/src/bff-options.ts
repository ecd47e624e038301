import type { CibaConfig, Role } from '@ciba/config';
import type { Keyring } from '@ciba/store';
import type { Logger } from 'pino';

/** Everything the BFF module is built from, resolved once at start-up. */
export interface BffOptions {
  config: CibaConfig;
  keyring: Keyring;
  logger: Logger;
  redisUrl: string;
  role: Role;
}
