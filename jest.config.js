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
  // The run gets a temporary directory of its own and fails if our code left anything in it.
  globalSetup: '<rootDir>/test/support/temp-dir-guard.js',
  globalTeardown: '<rootDir>/test/support/temp-dir-guard.teardown.js',
};
