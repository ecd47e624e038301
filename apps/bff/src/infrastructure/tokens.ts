/** Injection tokens for what the BFF builds once at start-up and shares. */
export const CIBA_CONFIG = Symbol('CIBA_CONFIG');
export const ENVIRONMENT = Symbol('ENVIRONMENT');
export const KEYRING = Symbol('KEYRING');
export const REDIS_COMMAND = Symbol('REDIS_COMMAND');
export const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');
export const LOGGER = Symbol('LOGGER');
