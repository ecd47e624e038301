// Jest globalTeardown: see temp-dir-guard.js.
export { teardown as default } from './temp-dir-guard.js';
