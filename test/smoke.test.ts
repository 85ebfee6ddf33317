import { x } from '../src/index';

test('smoke', () => {
  expect(x).toBe(1);
});
