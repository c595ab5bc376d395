/**
 * The canary read on the new writer after a promotion.
 */
import { Context } from '@temporalio/activity';
import type { CanaryReadResult } from '../../lib/measurement-types';
import { readCanaryRows } from '../canary/canary-reader';
import type { ActivityDeps } from '../deps';
import { loadRunbookOrFail } from './load-runbook-or-fail';
import { canaryTargetFromRunbook } from './canary-target';
import type { ReadCanaryInput } from './inputs';

/** Reads which canary rows of the run are present on `endpoint` (the new writer). */
export async function readCanary(deps: ActivityDeps, input: ReadCanaryInput): Promise<CanaryReadResult> {
  const rb = loadRunbookOrFail(deps, input.runbook);
  const { target, reason } = canaryTargetFromRunbook(rb, input.endpoint);
  if (!target) return { presentSeqs: [], readAt: deps.clock.now(), unavailableReason: reason! };
  const ctx = Context.current();
  return readCanaryRows({
    connector: deps.canary,
    target,
    runId: input.runId,
    ...(input.fromSeq !== undefined ? { fromSeq: input.fromSeq } : {}),
    ...(input.toSeq !== undefined ? { toSeq: input.toSeq } : {}),
    clock: deps.clock,
    signal: ctx.cancellationSignal,
    onError: (err) => deps.logger.warn({ err, runId: input.runId, endpoint: input.endpoint }, 'canary read failed'),
  });
}
