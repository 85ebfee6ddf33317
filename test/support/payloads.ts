/** Moved to src/testing/payloads.ts (shared with `npm run bench`); re-exported for the tests. */
export * from '../../src/testing/payloads';
