import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on one pooled connection inside BEGIN … COMMIT, rolling back on any error. A connection
 * that failed is released as broken (the pool drops it), and its 'error' events are swallowed meanwhile:
 * a server gone mid-transaction surfaces as the rejected query, not as an unhandled 'error'.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const onError = (): void => {};
  client.on('error', onError);
  let failed = false;
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    if (!failed) client.removeListener('error', onError);
    client.release(failed);
  }
}
