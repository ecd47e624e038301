export * from './poll-outcome.js';
export * from './poll-policy.js';
