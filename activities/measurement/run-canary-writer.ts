/**
 * The canary writer activity (domain.md §3).
 */
import { Context } from '@temporalio/activity';
import type { CanaryWriterResult } from '../../lib/measurement-types';
import { runCanaryWriterLoop, type CanaryWriterCheckpoint } from '../canary/canary-writer';
import type { ActivityDeps } from '../deps';
import { loadRunbookOrFail } from './load-runbook-or-fail';
import { canaryTargetFromRunbook } from './canary-target';
import type { RunCanaryWriterInput } from './inputs';

/**
 * Writes the canary at the runbook's rate until the workflow cancels this activity (or
 * `maxDurationMs`), then *returns* its result normally (with `WAIT_CANCELLATION_COMPLETED`
 * the workflow receives it as the activity's value). Heartbeats a checkpoint that a retried
 * attempt resumes from. Use through `startCanary` in `workflows/canary.ts`.
 */
export async function runCanaryWriter(deps: ActivityDeps, input: RunCanaryWriterInput): Promise<CanaryWriterResult> {
  const ctx = Context.current();
  const rb = loadRunbookOrFail(deps, input.runbook);
  const rate = input.ratePerSecond ?? rb.canary?.ratePerSecond ?? 10;
  const { target, reason } = canaryTargetFromRunbook(rb, input.endpointOverride);
  if (!target) return { runId: input.runId, ratePerSecond: rate, acked: [], failedAttempts: 0, unavailableReason: reason! };
  const log = deps.logger.child({ runId: input.runId, runbook: input.runbook, activity: 'runCanaryWriter' });
  let errorsLogged = 0;
  const resume = ctx.info.heartbeatDetails as CanaryWriterCheckpoint | undefined;
  const result = await runCanaryWriterLoop({
    connector: deps.canary,
    target,
    runId: input.runId,
    ratePerSecond: rate,
    clock: deps.clock,
    maxDurationMs: input.maxDurationMs,
    signal: ctx.cancellationSignal,
    heartbeat: (cp) => ctx.heartbeat(cp),
    ...(resume?.result ? { resume } : {}),
    onError: (err, seq) => {
      // One line per outage start and then every 50th failure, not one per attempt.
      if (errorsLogged++ % 50 === 0) log.warn({ err, seq, endpoint: target.endpoint }, 'canary write failed');
    },
  });
  log.info(
    { acked: result.acked.length, spans: result.ackSpans?.length ?? 0, failedAttempts: result.failedAttempts },
    'canary writer stopped',
  );
  return result;
}
