import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';

/** One statement of a transaction, on its connection. */
export type TxQuery = <R extends QueryResultRow = QueryResultRow>(
  text: string,
  values?: unknown[],
) => Promise<QueryResult<R>>;

/**
 * How long each statement of an uninstall's or a team_access_revoked's deletes may run, lock waits
 * included, instead of the pool's query limit (15 s): a workspace's own uninstall can wait on its
 * advisory lock behind a revoke batch of 1,000 workspaces, and that batch's deletes take seconds when
 * the workspaces are busy (bench/revoke.ts: 6.5 s for 1,000 workspaces with 1,000 diagnoses and
 * 1,000 votes each). Cut by the query limit, the transaction would be rolled back and the workspaces'
 * data kept.
 */
export const LIFECYCLE_TIMEOUT_MS = 10 * 60_000;

/**
 * At most this many of those transactions run at once per store: each keeps a pooled connection while
 * it waits (up to LIFECYCLE_TIMEOUT_MS a statement), and the pool (10 connections) must still serve the
 * replies. More wait their turn without a connection.
 */
export const LIFECYCLE_CONCURRENCY = 2;

export interface TransactionOptions {
  /**
   * Each statement of `work` may run this long (lock waits included): the server stops it then (`SET
   * LOCAL statement_timeout`, so its locks go too), and the client waits a little longer than that
   * rather than the pool's query limit. BEGIN, the SET, COMMIT and ROLLBACK keep the pool's limit.
   * Default: the pool's query limit, and no server-side limit.
   */
  timeoutMs?: number;
}

/**
 * Runs `work` on one pooled connection inside BEGIN … COMMIT, rolling back on any error. A connection
 * that failed is released as broken (the pool drops it), and its 'error' events are swallowed meanwhile:
 * a server gone mid-transaction surfaces as the rejected query, not as an unhandled 'error'.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (query: TxQuery) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client: PoolClient = await pool.connect();
  const onError = (): void => {};
  client.on('error', onError);
  const limit = options.timeoutMs;
  // pg's per-query `query_timeout` replaces the pool's (a falsy one would not: `||`).
  const query: TxQuery = <R extends QueryResultRow>(text: string, values?: unknown[]) =>
    client.query<R>(
      // The per-query limit is read by pg's Client.query (client.js), though its types leave it out.
      limit === undefined
        ? { text, values }
        : ({ text, values, query_timeout: limit + 5_000 } as QueryConfig),
    );
  let failed = false;
  try {
    await client.query('BEGIN');
    if (limit !== undefined)
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(limit))}`);
    const value = await work(query);
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
