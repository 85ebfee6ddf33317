/** Moved to src/testing/fake-socket.ts (shared with `npm run bench`); re-exported for the tests. */
export * from '../../src/testing/fake-socket';
