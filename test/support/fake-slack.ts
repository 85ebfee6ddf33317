/** Moved to src/testing/fake-slack.ts (shared with `npm run bench`); re-exported for the tests. */
export * from '../../src/testing/fake-slack';
