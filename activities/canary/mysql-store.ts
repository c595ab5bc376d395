/**
 * Canary store on MySQL / MariaDB (mysql2/promise): one connection per store, short connect and
 * statement timeouts, table created if absent, idempotent writes (`INSERT IGNORE`).
 */
import { createConnection, type RowDataPacket, type ResultSetHeader } from 'mysql2/promise';
import type { CanaryAck } from '../../lib/measurement-types';
import type { CanaryStore } from './canary-store';
import { CANARY_CONNECT_TIMEOUT_MS, CANARY_STATEMENT_TIMEOUT_MS, checkTableName } from './sql-common';

/** Connection settings of a MySQL canary store (credentials resolved by the connector). */
export interface MysqlStoreOptions {
  readonly host: string;
  /** @default 3306 */
  readonly port?: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly table: string;
  /** @default CANARY_CONNECT_TIMEOUT_MS */
  readonly connectTimeoutMs?: number;
  /** @default CANARY_STATEMENT_TIMEOUT_MS */
  readonly statementTimeoutMs?: number;
  /** Called when the connection fails in the background (server gone); never throws. */
  readonly onError?: (err: Error) => void;
}

/** Opens a connected MySQL canary store; rejects if the server cannot be reached. */
export async function openMysqlStore(opts: MysqlStoreOptions): Promise<CanaryStore> {
  const table = checkTableName(opts.table);
  const timeout = opts.statementTimeoutMs ?? CANARY_STATEMENT_TIMEOUT_MS;
  const conn = await createConnection({
    host: opts.host,
    port: opts.port ?? 3306,
    database: opts.database,
    user: opts.user,
    password: opts.password,
    connectTimeout: opts.connectTimeoutMs ?? CANARY_CONNECT_TIMEOUT_MS,
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
      const [rows] = await conn.query<RowDataPacket[]>({ sql: `SELECT seq FROM ${table} WHERE run_id = ? AND seq BETWEEN ? AND ? ORDER BY seq`, timeout }, [runId, fromSeq, toSeq]);
      return rows.map((r) => Number(r.seq));
    },
    async newest(runId) {
      const [rows] = await conn.query<RowDataPacket[]>({ sql: `SELECT seq, at FROM ${table} WHERE run_id = ? ORDER BY seq DESC LIMIT 1`, timeout }, [runId]);
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
