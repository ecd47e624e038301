export * from './profile-adapter.js';
export * from './hint.js';
export * from './provider-registry.js';
export * from './generic/generic.adapter.js';
export * from './id-token/id-token.verifier.js';
export * from './id-token/token-hash.js';
export * from './openid/provider-failure.js';
