/**
 * The steps of a promotion at the point of no return: fence the old primary, promote, await the
 * new writer. Each is one `run.step` (non-cancellable once the point of no return is passed) and
 * records its timeline event. Deterministic.
 */
import type { PromoteInput } from '../../activities/promotion/promote-secondary-cluster';
import type { WaitResult } from '../../contracts/promotion';
import { failureMessage, type Run } from '../kit';
import type { PromotionRun } from './promotion-run';
import type { PromotionProxies } from './proxies';

const MIN = 60_000;
/** Clock-ms deadlines of the waits. */
export const DEADLINES = {
  writable: 30 * MIN,
  insync: 10 * MIN,
  automation: 30 * MIN,
  verify: 10 * MIN,
  alarms: 5 * MIN,
  reProtected: 120 * MIN,
} as const;

/** Write fencing of the old primary (failover/detach with `writeFencing`); a failed automation is noted, not fatal. */
export async function fenceOldPrimary(run: Run, s: PromotionRun, acts: PromotionProxies, source: PromoteInput['source']): Promise<void> {
  const p = s.plan!;
  const fence = async (): Promise<{ at: number; detail?: string }> => {
    const f = await acts.mutate.fenceOldPrimary({
      runbook: p.runbook,
      workflowId: run.workflowId,
      source,
      reachableRegion: p.target.region,
    });
    run.abort.stamp(f.at);
    if (!('automationExecutionId' in f) || !f.automationExecutionId) return { at: f.at, ...(f.detail ? { detail: f.detail } : {}) };
    const input = {
      automationExecutionId: f.automationExecutionId,
      region: f.region,
      account: p.account,
      poll: p.poll,
      timeoutMs: DEADLINES.automation,
    };
    try {
      return { at: (await acts.observe.awaitAutomation(input)).observedAt, detail: `${p.runbook.writeFencing!.documentName} succeeded` };
    } catch (err) {
      const why = failureMessage(err);
      s.notes.push(
        `write fencing of ${source.clusterId} failed (${why}); promotion continued (the old region may be unreachable); check for split-brain writes`,
      );
      return { at: f.at, detail: `failed: ${why}` };
    }
  };
  await run.step('fence', fence, { at: (r) => r.at, summary: (r) => r.detail });
}

/**
 * The promote call, then the wait until the promoted cluster is the writer. The promotion's end is
 * AWS's own time of the writer change (RDS event) when found, else the observation window; a time
 * found only by a retried attempt is named as a worker gap in the report.
 */
export async function promoteAndAwaitWriter(run: Run, s: PromotionRun, acts: PromotionProxies, input: PromoteInput): Promise<WaitResult> {
  const p = s.plan!;
  const before = run.tracker.asOf;
  const promoted = await run.step('promote', () => acts.mutate.promoteSecondaryCluster({ ...input, requestedAt: p.requestedAt }), {
    at: (r) => r.at,
    summary: (r) => r.detail,
  });
  run.abort.stamp(promoted.at);
  s.details.promoteEffect = promoted.effect;
  const foundLater = promoted.atSource === 'found-later';
  s.record({
    name: 'promotion-started',
    at: promoted.at,
    source: promoted.atSource === 'aws' ? 'rds-event' : 'promoteSecondaryCluster',
    detail: `${promoted.effect}: ${promoted.detail ?? ''}`,
    ...(foundLater && before !== undefined ? { notBefore: before } : {}),
    ...(promoted.returnedAt !== undefined ? { until: promoted.returnedAt } : {}),
  });
  s.noteRetry('promote', promoted, [{ name: 'promotion-started', restsOnIt: foundLater || promoted.atSource === undefined }]);
  // The promotion cannot have ended before its call: the call's time bounds the window, unless
  // the retry only found it (then the request does).
  const since = foundLater ? p.requestedAt : promoted.at;
  const writable = await run.step(
    'await-writable',
    () => acts.observe.awaitClusterWritable({ ...input, poll: p.poll, timeoutMs: DEADLINES.writable, since }),
    {
      at: (w) => w.observedAt,
      summary: (w) => w.detail,
    },
  );
  const notBefore = writable.previousReadAt ?? since;
  s.record({
    name: 'promotion-finished',
    at: writable.aws?.at ?? writable.observedAt,
    source: writable.aws ? 'rds-event' : 'awaitClusterWritable',
    ...(writable.aws
      ? { detail: `${writable.aws.detail} (AWS's time; first seen writable ${writable.observedAt - writable.aws.at} ms later)` }
      : { ...(writable.detail ? { detail: writable.detail } : {}), notBefore }),
  });
  if (writable.awsNote) s.notes.push(`promotion-finished: ${writable.awsNote}`);
  if (writable.writesBlocked)
    s.record({ name: 'writes-blocked', at: writable.writesBlocked.at, source: 'rds-event', detail: writable.writesBlocked.detail });
  s.noteRetry('await-writable', writable, [{ name: 'promotion-finished', restsOnIt: writable.aws === undefined }]);
  // A wait whose first read already saw the change (a retried attempt) only knows it happened
  // after the request: the window then starts at the promote call.
  s.observations['promotion-finished'] = { ...writable, previousReadAt: notBefore };
  s.details.newWriterEndpoint = writable.endpoint;
  s.writable = writable;
  return writable;
}
