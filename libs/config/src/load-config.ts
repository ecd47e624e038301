import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from './config.error.js';
import {
  ConsumerSchema,
  ID_PATTERN,
  LimitsSchema,
  NotificationsSchema,
  ProviderSchema,
  RedisSchema,
  StorageSchema,
} from './config.schema.js';
import type { CibaConfig, ConsumerConfig, ProviderConfig } from './config.types.js';
import { interpolate } from './interpolate.js';
import { checkConsumer, checkProvider, checkRedis } from './cross-checks.js';
import { AgentsSchema } from './agents.schema.js';
import { checkAgents } from './agents-checks.js';
import { validateSection } from './validate-section.js';

const TOP_LEVEL_KEYS = ['providers', 'consumers', 'limits', 'notifications', 'storage', 'redis', 'agents'];

/** Reads, interpolates and validates a YAML (or JSON) configuration file. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): CibaConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read the file: ${(error as Error).message}`], path);
  }
  let tree: unknown;
  try {
    tree = parse(text);
  } catch (error) {
    throw new ConfigError([`not valid YAML or JSON: ${(error as Error).message}`], path);
  }
  try {
    return parseConfig(interpolate(tree, env), path);
  } catch (error) {
    if (error instanceof ConfigError && !error.message.includes(` in ${path}`)) throw new ConfigError(error.problems, path);
    throw error;
  }
}

/** Validates an already parsed configuration tree. */
export function parseConfig(tree: unknown, source = '(inline)'): CibaConfig {
  const problems: string[] = [];
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) throw new ConfigError(['the document must be a mapping'], source);
  const root = tree as Record<string, unknown>;
  for (const key of Object.keys(root)) if (!TOP_LEVEL_KEYS.includes(key)) problems.push(`${key}: unknown key`);

  const providers = new Map<string, ProviderConfig>();
  for (const [id, value] of entries(root.providers, 'providers', problems)) {
    const provider = validateSection(ProviderSchema, value, `providers.${id}`, problems);
    providers.set(id, Object.freeze({ ...provider, id }));
  }
  if (providers.size === 0) problems.push('providers: at least one provider is required');

  const consumers = new Map<string, ConsumerConfig>();
  for (const [id, value] of entries(root.consumers, 'consumers', problems)) {
    const consumer = validateSection(ConsumerSchema, value, `consumers.${id}`, problems);
    consumers.set(id, Object.freeze({ ...consumer, id, keyHashes: keyHashesOf(consumer) }));
  }

  const limits = validateSection(LimitsSchema, root.limits, 'limits', problems);
  const notifications = validateSection(NotificationsSchema, root.notifications, 'notifications', problems);
  const storage = validateSection(StorageSchema, root.storage, 'storage', problems);
  const redis = validateSection(RedisSchema, root.redis, 'redis', problems);
  checkRedis(redis, problems);
  const agents = root.agents === undefined ? undefined : validateSection(AgentsSchema, root.agents, 'agents', problems);
  if (agents) checkAgents(agents, consumers, problems);

  for (const provider of providers.values()) checkProvider(provider, notifications, problems);
  for (const consumer of consumers.values()) checkConsumer(consumer, providers, consumers, problems, consumer.id === agents?.consumer);

  if (problems.length > 0) throw new ConfigError(problems, source);
  return { providers, consumers, limits, notifications, storage, redis, source, ...(agents ? { agents } : {}) };
}

/** Every key hash of a consumer, the singular and the list together, lower case, once each. */
function keyHashesOf(consumer: { apiKeySha256?: string; apiKeysSha256?: string[] }): readonly string[] {
  const hashes = [consumer.apiKeySha256, ...(consumer.apiKeysSha256 ?? [])].filter((hash): hash is string => typeof hash === 'string');
  return Object.freeze([...new Set(hashes.map((hash) => hash.toLowerCase()))]);
}

function entries(value: unknown, path: string, problems: string[]): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: must be a mapping of id to settings`);
    return [];
  }
  return Object.entries(value).filter(([id]) => {
    if (ID_PATTERN.test(id)) return true;
    problems.push(`${path}.${id}: ids must be lower-case letters, digits, "-" or "_" (at most 63)`);
    return false;
  });
}
