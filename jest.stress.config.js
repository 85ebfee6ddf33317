/**
 * `npm run test:stress`: the long-running load, fault and hostile-input suites under test/stress
 * (kept out of `npm test`, which stays fast). Same transform and PostgreSQL set-up as jest.config.js.
 * Suites run one at a time: they measure behaviour under load, and two at once on a 2-core machine
 * would only add noise (and time-outs).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/stress/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  maxWorkers: 1,
};
