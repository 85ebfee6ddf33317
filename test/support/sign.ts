/** Moved to src/testing/sign.ts (shared with `npm run bench`); re-exported for the tests. */
export * from '../../src/testing/sign';
