/** jest globalSetup: services every suite may use (a real PostgreSQL server for the store tests). */
import { setupPostgres } from './postgres';

export default async function globalSetup(): Promise<void> {
  await setupPostgres();
}
