import { ConfigError, loadConfigFile, type Environment } from '@ciba/config';
import { RedisKeys } from '@ciba/store';
import { rotationKeyrings, type RotationKeyrings } from './rotation-keyrings.js';

/** What `rotate-keys` needs, from the BFF's own environment (API.md §2). */
export interface RotateKeysSettings extends RotationKeyrings {
  redisUrl: string;
  keys: RedisKeys;
}

/**
 * Unlike the BFF, no embedded Redis and no generated key: rotating either would touch nothing.
 * Throws ConfigError (the environment or the configuration file) or KeyringError (a bad key).
 */
export function rotateKeysSettings(env: Environment): RotateKeysSettings {
  const problems: string[] = [];
  if (!env.redisUrl) problems.push('REDIS_URL: required (the Redis whose records are re-encrypted)');
  if (!env.encryptionKey)
    problems.push('CIBA_ENCRYPTION_KEY: required, the new key first and the old ones after (newkid:base64,oldkid:base64)');
  if (problems.length > 0) throw new ConfigError(problems, 'the environment');
  // The same file the BFF reads: the key prefix must be the one its records are under.
  const config = loadConfigFile(env.configPath, env.variables);
  return { redisUrl: env.redisUrl!, keys: new RedisKeys(config.storage.keyPrefix), ...rotationKeyrings(env.encryptionKey!) };
}
