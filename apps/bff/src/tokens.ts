/** Injection tokens for what the BFF builds once at start-up and shares. */
export const CIBA_CONFIG = Symbol('CIBA_CONFIG');
export const ENVIRONMENT = Symbol('ENVIRONMENT');
export const KEYRING = Symbol('KEYRING');
export const REDIS_COMMAND = Symbol('REDIS_COMMAND');
export const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');
/** What BullMQ connects with: options, or (for a Cluster) a client instance it shares. */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');
export const LOGGER = Symbol('LOGGER');
