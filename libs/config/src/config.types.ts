import type { AgentsSchema } from './agents.schema.js';
import type {
  ClientAuthSchema,
  ConsumerSchema,
  LimitsSchema,
  NotificationsSchema,
  ProviderSchema,
  RedisSchema,
  StorageSchema,
} from './config.schema.js';

export type ClientAuthConfig = Readonly<ClientAuthSchema>;
export type ProviderConfig = Readonly<ProviderSchema> & { readonly id: string };
export type ConsumerConfig = Readonly<ConsumerSchema> & {
  readonly id: string;
  /** `apiKeySha256` and `apiKeysSha256` together, lower case: every key this consumer may present. */
  readonly keyHashes: readonly string[];
};

/** Branch agents' sign-in and sessions (API.md §7). */
export type AgentsConfig = Readonly<AgentsSchema>;

/** The validated configuration file (API.md §3). */
export interface CibaConfig {
  readonly providers: ReadonlyMap<string, ProviderConfig>;
  readonly consumers: ReadonlyMap<string, ConsumerConfig>;
  readonly limits: Readonly<LimitsSchema>;
  readonly notifications: Readonly<NotificationsSchema>;
  readonly storage: Readonly<StorageSchema>;
  readonly redis: Readonly<RedisSchema>;
  /** Present when branch agents sign in at a workforce provider; else the console takes API keys. */
  readonly agents?: AgentsConfig;
  /** Where it was read from, for messages. */
  readonly source: string;
}
