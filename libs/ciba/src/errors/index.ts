export * from './error-code.js';
export * from './ciba.error.js';
export * from './errors.js';
export * from './never-sent.error.js';
