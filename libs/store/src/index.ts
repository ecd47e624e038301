export * from './keyring.js';
export * from './field-cipher.js';
export * from './redis-keys.js';
export * from './authentication.repository.js';
export * from './idempotency.repository.js';
export * from './status-events.js';
export * from './redis-clients.js';
export * from './redis-guard.js';
