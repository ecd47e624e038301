import { join } from 'node:path';
import { ConfigError } from './config.error.js';
import { packageRoot } from './package-root.js';

export type Role = 'api' | 'worker' | 'both';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The environment of API.md §2, read and checked once; nothing else reads `process.env`. */
export interface Environment {
  readonly configPath: string;
  /** True when CIBA_CONFIG is unset and the shipped sandbox configuration is used. */
  readonly sandbox: boolean;
  readonly redisUrl?: string;
  readonly port: number;
  readonly host: string;
  readonly role: Role;
  /** Raw `CIBA_ENCRYPTION_KEY` (secret: never print it). */
  readonly encryptionKey?: string;
  readonly logLevel: string;
  /** The whole environment, for `${NAME}` interpolation of the configuration file. */
  readonly variables: NodeJS.ProcessEnv;
}

export const defaultConfigPath = (): string => join(packageRoot(), 'config', 'sandbox.yaml');

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const problems: string[] = [];
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT: must be a port number (0-65535)');
  const role = env.ROLE === undefined || env.ROLE === '' ? 'both' : env.ROLE;
  if (!['api', 'worker', 'both'].includes(role)) problems.push('ROLE: must be "api", "worker", or unset for both');
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL: must start with redis:// or rediss://');
  if (problems.length > 0) throw new ConfigError(problems, 'the environment');
  return {
    configPath: env.CIBA_CONFIG || defaultConfigPath(),
    sandbox: !env.CIBA_CONFIG,
    redisUrl,
    port,
    host: env.HOST || '127.0.0.1',
    role: role as Role,
    encryptionKey: env.CIBA_ENCRYPTION_KEY || undefined,
    logLevel,
    variables: env,
  };
}
