// ESM project: run through `node --experimental-vm-modules` (see README, "Why ES modules").
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^@ciba/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 60000,
  maxWorkers: 3,
  // A worker's own work is over within ~20 ms of Jest's "end" (its event loop empties and
  // 'exit' fires: measured with a throwaway test environment), but on this 2-core VM the process
  // then takes 340-520 ms more to go (V8 and libuv teardown of a large heap). Jest's default
  // 500 ms grace force-killed it and warned "a worker process has failed to exit gracefully".
  workerGracefulExitTimeout: 2000,
  // The run gets a temporary directory of its own and fails if our code left anything in it.
  globalSetup: '<rootDir>/test/support/temp-dir-guard.js',
  globalTeardown: '<rootDir>/test/support/temp-dir-guard.teardown.js',
};
