/**
 * Runs the runbook's restore SQL checks (`runbook.restore.checks`) against a real database: a
 * small port of its own (`SqlCheckRunner`) next to the canary store, because a check is arbitrary
 * read-only SQL rather than canary rows. Each check runs in a READ ONLY transaction that is rolled
 * back, with a statement timeout; credentials come from Secrets Manager and are never logged.
 * The query must return one row whose first column is a number (or a timestamp, as epoch ms).
 */
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { Client } from 'pg';
import type { AwsClients } from '../aws/ports';
import type { CanaryTarget } from '../canary/canary-store';

/** Runs one scalar SQL check on the database behind `target`. */
export interface SqlCheckRunner {
  run(target: CanaryTarget, sql: string): Promise<number>;
}

/** Options of {@link createSqlCheckRunner}. */
export interface SqlCheckRunnerOptions {
  /** Maps an endpoint to the host/port to connect to (tests: a local server). @default the endpoint itself */
  readonly resolveHost?: (endpoint: string) => { host: string; port?: number };
  /** @default 10000 */
  readonly statementTimeoutMs?: number;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
}

/** Thrown when a check's query does not return one numeric value. */
export class SqlCheckResultError extends Error {
  override readonly name = 'SqlCheckResultError';
}

/** The first column of the first row as a number (Date → epoch ms, numeric text → number). */
export function scalarOf(row: Record<string, unknown> | undefined, sql: string): number {
  if (!row) throw new SqlCheckResultError(`the query returned no row: ${sql}`);
  const v = Object.values(row)[0];
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new SqlCheckResultError(`the query's first column is not a number (got ${v === null ? 'NULL' : typeof v}): ${sql}`);
}

/** A runner over pg (Aurora PostgreSQL) and mysql2 (Aurora MySQL). */
export function createSqlCheckRunner(aws: Pick<AwsClients, 'secrets'>, opts: SqlCheckRunnerOptions = {}): SqlCheckRunner {
  const timeout = opts.statementTimeoutMs ?? 10_000;
  const connectTimeout = opts.connectTimeoutMs ?? 5_000;
  return {
    async run(target, sql) {
      const creds = await aws.secrets({ region: target.region }).getDbCredentials(target.secretArn);
      const { host, port } = opts.resolveHost?.(target.endpoint) ?? {
        host: target.endpoint,
        ...(target.port !== undefined ? { port: target.port } : {}),
      };
      if (target.engine === 'postgres') {
        const client = new Client({
          host,
          port: port ?? 5432,
          database: target.database,
          user: creds.username,
          password: creds.password,
          connectionTimeoutMillis: connectTimeout,
          statement_timeout: timeout,
          application_name: 'gameday-restore-check',
        });
        client.on('error', () => undefined); // a dropped idle connection surfaces on the next query
        await client.connect();
        try {
          await client.query('BEGIN TRANSACTION READ ONLY');
          const r = await client.query(sql);
          await client.query('ROLLBACK');
          return scalarOf(r.rows[0] as Record<string, unknown> | undefined, sql);
        } finally {
          await client.end();
        }
      }
      const conn = await createConnection({
        host,
        port: port ?? 3306,
        database: target.database,
        user: creds.username,
        password: creds.password,
        connectTimeout,
      });
      try {
        await conn.query('START TRANSACTION READ ONLY');
        const [rows] = await conn.query<RowDataPacket[]>({ sql, timeout });
        await conn.query('ROLLBACK');
        return scalarOf(rows[0], sql);
      } finally {
        await conn.end();
      }
    },
  };
}
