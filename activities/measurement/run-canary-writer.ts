/**
 * The canary writer activity (domain.md §3).
 */
import { Context } from '@temporalio/activity';
import type { CanaryWriterResult } from '../../lib/measurement-types';
import { CANARY_EPOCH_STRIDE, epochOf, runCanaryWriterLoop, type CanaryWriterCheckpoint } from '../canary/canary-writer';
import type { CanaryTarget } from '../canary/canary-store';
import type { Runbook } from '../../runbooks/schema';
import { readDeadWriterRows, withRecoveredRows } from './recover-dead-writer-acks';
import type { ActivityDeps } from '../deps';
import { loadRunbookOrFail } from './load-runbook-or-fail';
import { canaryTargetFromRunbook } from './canary-target';
import type { RunCanaryWriterInput } from './inputs';

/**
 * Writes the canary at the runbook's rate until the workflow cancels this activity (or
 * `maxDurationMs`), then *returns* its result normally (with `WAIT_CANCELLATION_COMPLETED`
 * the workflow receives it as the activity's value). Heartbeats a checkpoint that a retried
 * attempt resumes from. Use through `startCanary` in `workflows/canary.ts`.
 *
 * A retried attempt (the previous one died, e.g. its worker was killed) first reads back, row by
 * row from every Aurora member, what the dead attempts committed after their last checkpoint
 * (`recover-dead-writer-acks.ts`), and reads that range again when it stops (a timed-out attempt
 * may have written a little longer than Temporal knew); what cannot be read is an `ackGap`.
 */
export async function runCanaryWriter(deps: ActivityDeps, input: RunCanaryWriterInput): Promise<CanaryWriterResult> {
  const ctx = Context.current();
  const rb = loadRunbookOrFail(deps, input.runbook);
  const rate = input.ratePerSecond ?? rb.canary?.ratePerSecond ?? 10;
  const { target, reason } = canaryTargetFromRunbook(rb, input.endpointOverride);
  if (!target) return { runId: input.runId, ratePerSecond: rate, acked: [], failedAttempts: 0, unavailableReason: reason! };
  const log = deps.logger.child({ runId: input.runId, runbook: input.runbook, activity: 'runCanaryWriter' });
  let errorsLogged = 0;
  const checkpoint = ctx.info.heartbeatDetails as CanaryWriterCheckpoint | undefined;
  const attempt = ctx.info.attempt;
  const dead = attempt > 1 ? deadRange(checkpoint, attempt, input.runId) : undefined;
  // Until the loop heartbeats its own, the checkpoint this attempt started from is the one kept.
  let last = checkpoint;
  const beat = (): void => ctx.heartbeat(last);
  const resume = dead
    ? await recoverDeadAttempts(deps, rb, target, dead, { cp: checkpoint, rate, attempt, beat, maxDurationMs: input.maxDurationMs })
    : checkpoint;
  const written = await runCanaryWriterLoop({
    connector: deps.canary,
    target,
    runId: input.runId,
    ratePerSecond: rate,
    clock: deps.clock,
    maxDurationMs: input.maxDurationMs,
    signal: ctx.cancellationSignal,
    heartbeat: (cp) => {
      last = cp;
      ctx.heartbeat(cp);
    },
    ...(resume?.result ? { resume } : {}),
    // The attempt number is durable in Temporal: a restarted writer never reuses a seq.
    epoch: ctx.info.attempt,
    onError: (err, seq) => {
      // One line per outage start and then every 50th failure, not one per attempt.
      if (errorsLogged++ % 50 === 0) log.warn({ err, seq, endpoint: target.endpoint }, 'canary write failed');
    },
  });
  const result = dead ? await rereadDeadAttempts(deps, rb, target, dead, written, beat) : written;
  log.info(
    { acked: result.acked.length, spans: result.ackSpans?.length ?? 0, failedAttempts: result.failedAttempts },
    'canary writer stopped',
  );
  return result;
}

/** Seqs the dead attempts may have written without a checkpoint: from the checkpoint's next seq to the end of the last dead epoch. */
interface DeadRange {
  readonly runId: string;
  readonly fromSeq: number;
  readonly toSeq: number;
}

function deadRange(cp: CanaryWriterCheckpoint | undefined, attempt: number, runId: string): DeadRange {
  const resumedEpoch = cp ? (cp.result.epoch ?? epochOf(cp.nextSeq - 1)) : 0;
  // This attempt writes from epoch max(attempt, resumed + 1) on, and nothing yet: every row at or
  // after the checkpoint and below that epoch was written by an attempt that is gone.
  const ownEpoch = Math.max(attempt, resumedEpoch + 1);
  return { runId, fromSeq: cp?.nextSeq ?? 1, toSeq: (ownEpoch - 1) * CANARY_EPOCH_STRIDE };
}

/** The checkpoint to resume from, with the dead attempts' committed rows added (or the gap named). */
async function recoverDeadAttempts(
  deps: ActivityDeps,
  rb: Runbook,
  target: CanaryTarget,
  range: DeadRange,
  at: { cp: CanaryWriterCheckpoint | undefined; rate: number; attempt: number; beat: () => void; maxDurationMs: number },
): Promise<CanaryWriterCheckpoint> {
  const { cp, rate, attempt } = at;
  const base: CanaryWriterCheckpoint = cp ?? {
    result: { runId: range.runId, ratePerSecond: rate, acked: [], failedAttempts: 0, epoch: 0 },
    nextSeq: 1,
  };
  const found = await readDeadWriterRows(deps, rb, target, range, 3, at.beat, firstWriteAt(cp) ?? deps.clock.now() - at.maxDurationMs);
  const recovered = {
    attempt,
    fromSeq: range.fromSeq,
    toSeq: range.toSeq,
    rows: found.rows.length,
    readAt: deps.clock.now(),
    readFrom: found.readFrom,
  };
  const merged = withRecoveredRows(base.result, found.rows);
  const gap = base.result.ackGap ?? found.gap;
  return {
    nextSeq: base.nextSeq,
    result: { ...merged, recoveredAcks: [...(base.result.recoveredAcks ?? []), recovered], ...(gap ? { ackGap: gap } : {}) },
  };
}

/** Clock ms of the checkpoint's first ack (the writer's first write), if it has one. */
function firstWriteAt(cp: CanaryWriterCheckpoint | undefined): number | undefined {
  const times = [...(cp?.result.acked ?? []).map((a) => a.at), ...(cp?.result.ackSpans ?? []).map((s) => s.fromAt)];
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The result with rows of the dead range written after the first read (an attempt that outlived its timeout) added. */
async function rereadDeadAttempts(
  deps: ActivityDeps,
  rb: Runbook,
  target: CanaryTarget,
  range: DeadRange,
  result: CanaryWriterResult,
  beat: () => void,
): Promise<CanaryWriterResult> {
  const again = await readDeadWriterRows(deps, rb, target, range, 1, beat);
  // A member unreadable now (the old primary resynchronized or gone) is not a gap: the first read had it.
  return withRecoveredRows(result, again.rows);
}
