/** jest globalTeardown: stops what global-setup.ts started. */
import { teardownPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  await teardownPostgres();
}
