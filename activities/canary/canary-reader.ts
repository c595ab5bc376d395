/**
 * Reads the canary on the new writer after a promotion: which acked seqs are present (as ranges)
 * and the newest row. A reader that cannot connect after a few attempts returns
 * `unavailableReason` (RPO is then "not measured" with it), never a guess.
 */
import type { Clock } from '../../lib/clock';
import type { CanaryReadResult } from '../../lib/measurement-types';
import type { CanaryConnector, CanaryTarget } from './canary-store';
import { toRanges } from './sql-common';

/** Options of `readCanaryRows`. */
export interface ReadCanaryOptions {
  readonly connector: CanaryConnector;
  readonly target: CanaryTarget;
  readonly runId: string;
  /** Seq range to check, inclusive. @default all */
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly clock: Clock;
  /** @default 3 */
  readonly attempts?: number;
  /** Clock ms between attempts. @default 2000 */
  readonly retryDelayMs?: number;
  readonly signal?: AbortSignal;
  readonly onError?: (err: unknown) => void;
}

/** Reads the canary rows of `runId` from `target`. */
export async function readCanaryRows(opts: ReadCanaryOptions): Promise<CanaryReadResult> {
  const attempts = opts.attempts ?? 3;
  let lastError = '';
  for (let i = 1; i <= attempts; i++) {
    try {
      const store = await opts.connector.connect(opts.target);
      try {
        const seqs = await store.presentSeqs(opts.runId, opts.fromSeq ?? 0, opts.toSeq ?? Number.MAX_SAFE_INTEGER);
        const newest = await store.newest(opts.runId);
        return { presentSeqs: [], presentRanges: toRanges(seqs), ...(newest ? { newest } : {}), readAt: opts.clock.now() };
      } finally {
        await store.close().catch((err: unknown) => opts.onError?.(err));
      }
    } catch (err) {
      opts.onError?.(err);
      lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (i < attempts) await opts.clock.sleep(opts.retryDelayMs ?? 2000, opts.signal);
    }
  }
  return {
    presentSeqs: [],
    readAt: opts.clock.now(),
    unavailableReason: `could not read the canary on ${opts.target.endpoint} after ${attempts} attempts: ${lastError}`,
  };
}

/** Deletes the canary rows of `runId`; returns how many. */
export async function deleteCanaryRows(connector: CanaryConnector, target: CanaryTarget, runId: string): Promise<number> {
  const store = await connector.connect(target);
  try {
    return await store.deleteRun(runId);
  } finally {
    await store.close();
  }
}
