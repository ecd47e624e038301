export * from './config.error.js';
export * from './config.schema.js';
export * from './agents.schema.js';
export * from './config.types.js';
export * from './load-config.js';
export * from './environment.js';
export * from './package-root.js';
