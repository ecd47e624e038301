export * from './errors/index.js';
export * from './authentication/index.js';
export * from './polling/index.js';
export * from './binding-message.js';
