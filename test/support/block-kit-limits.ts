/** Moved to src/testing/block-kit-limits.ts (shared with `npm run bench`); re-exported for the tests. */
export * from '../../src/testing/block-kit-limits';
