/**
 * Helpers shared by the SQL canary stores: identifier checks, inclusive-range compaction and the
 * timeouts every connection uses (short, so a dead writer is noticed within a few write intervals).
 */

/** Connect timeout of a canary connection, wall ms. */
export const CANARY_CONNECT_TIMEOUT_MS = 2000;
/** Timeout of one canary statement, wall ms. */
export const CANARY_STATEMENT_TIMEOUT_MS = 2000;

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
