export { findFreePort } from './free-port.js';
export { RedisServerUnavailableError } from './redis-server-unavailable.error.js';
export { startRedisServer, type RedisServerOptions, type RunningRedisServer } from './redis-server.process.js';
