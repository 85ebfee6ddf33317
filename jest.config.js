const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Long-running load, fault and hostile-input suites: `npm run test:stress` (jest.stress.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/stress/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  // At least two workers, also on a 2-core machine (jest's default there is one): the suites are mostly
  // CPU-bound and independent, and the slowest ones (regex-safety, its signals part, the model reading)
  // then run side by side. The HTTP suites' time limits hold with a CPU-bound suite beside them. More
  // cores: jest's own default (one per core but one).
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // A real PostgreSQL server for the store suites (skipped loudly when there is none; CI fails).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
