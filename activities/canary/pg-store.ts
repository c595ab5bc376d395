/**
 * Canary store on PostgreSQL (node-postgres): one connection per store, short connect and
 * statement timeouts, table created if absent, idempotent writes (`ON CONFLICT DO NOTHING`).
 */
import { Client } from 'pg';
import type { CanaryAck } from '../../lib/measurement-types';
import type { CanaryStore } from './canary-store';
import { sqlStoreSettings, type SqlStoreOptions } from './sql-common';

/** Connection settings of a PostgreSQL canary store; `port` defaults to 5432. */
export type PgStoreOptions = SqlStoreOptions;

/** Opens a connected PostgreSQL canary store; rejects if the server cannot be reached. */
export async function openPgStore(opts: PgStoreOptions): Promise<CanaryStore> {
  const { table, port, connectTimeoutMs, statementTimeoutMs: statementTimeout } = sqlStoreSettings(opts, 5432);
  const client = new Client({
    host: opts.host,
    port,
    database: opts.database,
    user: opts.user,
    password: opts.password,
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 500,
    application_name: 'gameday-canary',
  });
  // A server that goes away emits 'error' on an idle client; without a listener node would crash.
  client.on('error', (err) => opts.onError?.(err));
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined); // the connect error is the one that matters
    throw err;
  }
  return {
    async ensureTable() {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${table} (run_id text NOT NULL, seq bigint NOT NULL, at bigint NOT NULL, PRIMARY KEY (run_id, seq))`,
      );
    },
    async write(runId, seq, at): Promise<CanaryAck> {
      await client.query(`INSERT INTO ${table} (run_id, seq, at) VALUES ($1, $2, $3) ON CONFLICT (run_id, seq) DO NOTHING`, [
        runId,
        seq,
        at,
      ]);
      return { seq, at };
    },
    async presentSeqs(runId, fromSeq, toSeq) {
      const r = await client.query<{ seq: string }>(`SELECT seq FROM ${table} WHERE run_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`, [
        runId,
        fromSeq,
        toSeq,
      ]);
      return r.rows.map((row) => Number(row.seq));
    },
    async rows(runId, fromSeq, toSeq) {
      const r = await client.query<{ seq: string; at: string }>(
        `SELECT seq, at FROM ${table} WHERE run_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`,
        [runId, fromSeq, toSeq],
      );
      return r.rows.map((row) => ({ seq: Number(row.seq), at: Number(row.at) }));
    },
    async newest(runId) {
      const r = await client.query<{ seq: string; at: string }>(
        `SELECT seq, at FROM ${table} WHERE run_id = $1 ORDER BY seq DESC LIMIT 1`,
        [runId],
      );
      const row = r.rows[0];
      return row ? { seq: Number(row.seq), at: Number(row.at) } : undefined;
    },
    async deleteRun(runId) {
      const r = await client.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
      return r.rowCount ?? 0;
    },
    async close() {
      await client.end();
    },
  };
}
