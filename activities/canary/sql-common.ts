/**
 * Helpers shared by the SQL canary stores: identifier checks, inclusive-range compaction and the
 * timeouts every connection uses (short, so a dead writer is noticed within a few write intervals).
 */

/** Connect timeout of a canary connection, wall ms. */
export const CANARY_CONNECT_TIMEOUT_MS = 2000;
/** Timeout of one canary statement, wall ms. */
export const CANARY_STATEMENT_TIMEOUT_MS = 2000;

/**
 * Connection settings of a SQL canary store (credentials resolved by the connector); each
 * store has its own default port.
 */
export interface SqlStoreOptions {
  readonly host: string;
  /** @default the engine's port (5432 PostgreSQL, 3306 MySQL) */
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

/** The settings of {@link SqlStoreOptions} with the defaults applied and the table name checked. */
export interface SqlStoreSettings {
  readonly table: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
}

/**
 * Checks the table name (throws {@link CanaryTableNameError}) and applies the defaults: `defaultPort`
 * and the canary connect and statement timeouts.
 */
export function sqlStoreSettings(opts: SqlStoreOptions, defaultPort: number): SqlStoreSettings {
  return {
    table: checkTableName(opts.table),
    port: opts.port ?? defaultPort,
    connectTimeoutMs: opts.connectTimeoutMs ?? CANARY_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: opts.statementTimeoutMs ?? CANARY_STATEMENT_TIMEOUT_MS,
  };
}

/** Thrown when a canary table name is not a plain SQL identifier. */
export class CanaryTableNameError extends Error {
  override readonly name = 'CanaryTableNameError';
}

/** Returns `table` if it is a plain lowercase identifier, else throws naming the field. */
export function checkTableName(table: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) {
    throw new CanaryTableNameError(`canary.table "${table}" is not a plain identifier: use lowercase letters, digits and _`);
  }
  return table;
}

/** Compacts ascending seqs into inclusive `[from, to]` ranges. */
export function toRanges(seqs: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const s of seqs) {
    const last = out[out.length - 1];
    if (last && s === last[1] + 1) last[1] = s;
    else out.push([s, s]);
  }
  return out;
}
