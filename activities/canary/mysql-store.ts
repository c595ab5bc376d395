/**
 * Canary store on MySQL / MariaDB (mysql2/promise): one connection per store, short connect and
 * statement timeouts, table created if absent, idempotent writes (`INSERT IGNORE`).
 */
import { createConnection, type RowDataPacket, type ResultSetHeader } from 'mysql2/promise';
import type { CanaryAck } from '../../lib/measurement-types';
import type { CanaryStore } from './canary-store';
import { sqlStoreSettings, type SqlStoreOptions } from './sql-common';

/** Connection settings of a MySQL canary store; `port` defaults to 3306. */
export type MysqlStoreOptions = SqlStoreOptions;

/** Opens a connected MySQL canary store; rejects if the server cannot be reached. */
export async function openMysqlStore(opts: MysqlStoreOptions): Promise<CanaryStore> {
  const { table, port, connectTimeoutMs, statementTimeoutMs: timeout } = sqlStoreSettings(opts, 3306);
  const conn = await createConnection({
    host: opts.host,
    port,
    database: opts.database,
    user: opts.user,
    password: opts.password,
    connectTimeout: connectTimeoutMs,
    supportBigNumbers: true,
  });
  conn.on('error', (err: Error) => opts.onError?.(err));
  return {
    async ensureTable() {
      await conn.query({
        sql: `CREATE TABLE IF NOT EXISTS ${table} (run_id varchar(128) NOT NULL, seq bigint NOT NULL, at bigint NOT NULL, PRIMARY KEY (run_id, seq))`,
        timeout,
      });
    },
    async write(runId, seq, at): Promise<CanaryAck> {
      await conn.query({ sql: `INSERT IGNORE INTO ${table} (run_id, seq, at) VALUES (?, ?, ?)`, timeout }, [runId, seq, at]);
      return { seq, at };
    },
    async presentSeqs(runId, fromSeq, toSeq) {
      const [rows] = await conn.query<RowDataPacket[]>(
        { sql: `SELECT seq FROM ${table} WHERE run_id = ? AND seq BETWEEN ? AND ? ORDER BY seq`, timeout },
        [runId, fromSeq, toSeq],
      );
      return rows.map((r) => Number(r.seq));
    },
    async rows(runId, fromSeq, toSeq) {
      const [rows] = await conn.query<RowDataPacket[]>(
        { sql: `SELECT seq, at FROM ${table} WHERE run_id = ? AND seq BETWEEN ? AND ? ORDER BY seq`, timeout },
        [runId, fromSeq, toSeq],
      );
      return rows.map((r) => ({ seq: Number(r.seq), at: Number(r.at) }));
    },
    async newest(runId) {
      const [rows] = await conn.query<RowDataPacket[]>(
        { sql: `SELECT seq, at FROM ${table} WHERE run_id = ? ORDER BY seq DESC LIMIT 1`, timeout },
        [runId],
      );
      const row = rows[0];
      return row ? { seq: Number(row.seq), at: Number(row.at) } : undefined;
    },
    async deleteRun(runId) {
      const [r] = await conn.query<ResultSetHeader>({ sql: `DELETE FROM ${table} WHERE run_id = ?`, timeout }, [runId]);
      return r.affectedRows;
    },
    async close() {
      await conn.end();
    },
  };
}
