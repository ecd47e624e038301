export * from './webhook-state.js';
export * from './authentication.js';
export * from './authentication-status.js';
export * from './outcome-error.js';
export * from './authentication-result.js';
export * from './initiator.js';
export * from './visibility.js';
