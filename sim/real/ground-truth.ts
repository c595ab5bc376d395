/**
 * Ground truth of a promotion from the databases themselves: what the old primary committed (read
 * from its own data, restarted in isolation) against what the new writer holds, row by row, with
 * the same definitions as the report (`lib/timeline.ts`):
 * - lost = rows the old primary holds, written before the promotion began, missing on the new writer;
 * - RPO = at(last lost) − at(newest new-writer row older than it) (total loss: − first row + 1 interval);
 * - split brain = rows the old primary holds, written at or after the promotion began, missing on
 *   the new writer (window first/last).
 * Rows whose write the canary saw fail without an answer (in doubt: committed, but the ack never
 * came back) are counted apart, so the comparison with the acked writes is exact.
 */
import type { SplitBrainFigure } from '../../lib/measurement-types';
import type { CanaryRows } from './region-pair';

/** Database ground truth of one promotion (times on the canary's clock, the rows' `at`). */
export interface GroundTruth {
  /** Rows on the old primary / on the new writer. */
  readonly oldPrimaryRows: number;
  readonly newWriterRows: number;
  /** Lost rows the canary had acked (in-doubt rows excluded): compare with the report's lost writes. */
  readonly lostWrites: number;
  /** RPO over those rows, ms. */
  readonly rpoMs: number;
  /** Split-brain rows the canary had acked, if any. */
  readonly splitBrain?: SplitBrainFigure;
  /** Rows the old primary committed, missing on the new writer, whose ack the canary never got. */
  readonly inDoubtLost: readonly number[];
  /** Rows on the new writer the old primary does not hold, written before the promotion began (must be none). */
  readonly phantom: readonly number[];
}

/** Computes the ground truth (see the module doc); `ratePerSecond` only serves a total loss. */
export function groundTruth(
  oldRows: CanaryRows,
  newRows: CanaryRows,
  promotionBeganAt: number,
  ratePerSecond: number,
  inDoubtSeqs: readonly number[] = [],
): GroundTruth {
  const doubt = new Set(inDoubtSeqs);
  const missing = [...oldRows.entries()]
    .filter(([seq]) => !newRows.has(seq))
    .map(([seq, at]) => ({ seq, at }))
    .sort((a, b) => a.at - b.at || a.seq - b.seq);
  const inDoubtLost = missing.filter((r) => doubt.has(r.seq)).map((r) => r.seq);
  const acked = missing.filter((r) => !doubt.has(r.seq));
  const lost = acked.filter((r) => r.at < promotionBeganAt);
  const split = acked.filter((r) => r.at >= promotionBeganAt);
  const phantom = [...newRows.entries()].filter(([seq, at]) => at < promotionBeganAt && !oldRows.has(seq)).map(([seq]) => seq);
  return {
    oldPrimaryRows: oldRows.size,
    newWriterRows: newRows.size,
    lostWrites: lost.length,
    rpoMs: rpoOf(lost, oldRows, newRows, ratePerSecond),
    ...(split.length > 0 ? { splitBrain: { writes: split.length, firstAt: split[0]!.at, lastAt: split[split.length - 1]!.at } } : {}),
    inDoubtLost,
    phantom,
  };
}

function rpoOf(lost: readonly { seq: number; at: number }[], oldRows: CanaryRows, newRows: CanaryRows, ratePerSecond: number): number {
  const last = lost[lost.length - 1];
  if (!last) return 0;
  let newest = -Infinity;
  for (const at of newRows.values()) if (at < last.at && at > newest) newest = at;
  if (newest > -Infinity) return last.at - newest;
  const first = Math.min(...oldRows.values());
  return Math.round(last.at - first + 1000 / ratePerSecond);
}
