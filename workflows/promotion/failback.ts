/**
 * Failback of a game-day promotion: once verified, switch back to the original region and measure
 * the time to re-protected (from the failback start until the promoted region's cluster is a
 * replicating secondary again with lag within RPO). Not possible after a detach (the cluster left
 * the global database); the report says so. Deterministic.
 */
import type { PromoteInput } from '../../activities/promotion/promote-secondary-cluster';
import type { TimelineEvent } from '../../lib/measurement-types';
import type { Run } from '../kit';
import type { PromotionRun } from './promotion-run';
import type { PromotionProxies } from './proxies';
import { DEADLINES } from './promote-steps';

/** Runs the failback when the plan asks for it and records its figures in the report details. */
export async function failback(run: Run, s: PromotionRun, acts: PromotionProxies): Promise<void> {
  const p = s.plan!;
  const pre = s.pre!;
  if (!p.failback) return run.skip('failback', 'not requested');
  if (p.mode === 'detach') {
    run.skip('failback', 'not possible after a detach: rebuild the global database first');
    s.notes.push('failback: not possible after a detach (the promoted cluster is standalone); rebuild the global database and switch over');
    s.details.failback = { status: 'not-possible', reason: 'detach leaves a standalone cluster' };
    return;
  }
  const fb = await run.step('failback', () => switchBack(run, s, acts), {
    detail: `switching back to ${pre.source.region}`,
    at: (r) => r.again.observedAt,
  });
  const event: TimelineEvent = {
    name: 're-protected',
    at: fb.again.observedAt,
    source: 'awaitReProtected',
    detail: `${pre.target.clusterId} replicating again (${fb.again.detail ?? ''})`,
  };
  s.record(event);
  const timeToReProtectedMs = fb.again.observedAt - fb.started;
  s.notes.push(
    `failback: back on ${pre.source.region}; time to re-protected ${Math.round(timeToReProtectedMs / 1000)} s (from failback start to ${pre.target.clusterId} replicating within RPO)`,
  );
  s.details.failback = {
    status: 'completed',
    startedAt: fb.started,
    switchbackRequestedAt: fb.promotedAt,
    writableAt: fb.writableAt,
    reProtectedAt: fb.again.observedAt,
    timeToReProtectedMs,
    reProtectedEvent: event,
    promotedWriterEndpointBefore: s.writable?.endpoint,
  };
}

/** The failback's AWS steps: re-protected, switch back, traffic and app back, re-protected again. */
async function switchBack(run: Run, s: PromotionRun, acts: PromotionProxies) {
  const p = s.plan!;
  const pre = s.pre!;
  const re = {
    account: p.account,
    globalClusterId: p.globalClusterId,
    rpoMs: p.targets.rpoMs,
    poll: p.poll,
    timeoutMs: DEADLINES.reProtected,
  };
  const back: PromoteInput = {
    mode: 'switchover',
    account: p.account,
    globalClusterId: p.globalClusterId,
    source: pre.target,
    target: pre.source,
  };
  const started = await acts.observe.stampEvent({
    name: 'traffic-shift-started',
    source: 'failback',
    detail: `failback to ${pre.source.region} started`,
  });
  // The old primary must be a replicating secondary before a switchover back.
  await acts.observe.awaitReProtected({ ...re, secondary: pre.source });
  const promoted = await acts.mutate.promoteSecondaryCluster(back);
  const done = await acts.observe.awaitClusterWritable({ ...back, poll: p.poll, timeoutMs: DEADLINES.writable });
  if (p.runbook.route53) {
    const target = { kind: 'activate' as const, region: pre.source.region };
    const shifted = await acts.mutate.shiftTraffic({ runbook: p.runbook, target, comment: `gameday failback to ${pre.source.region}` });
    if (shifted.changeId)
      await acts.observe.awaitChangeInsync({ changeId: shifted.changeId, account: p.account, poll: p.poll, timeoutMs: DEADLINES.insync });
  }
  if (p.runbook.appReconfiguration) {
    const r = await acts.mutate.reconfigureApplication({
      runbook: p.runbook,
      workflowId: run.workflowId,
      region: pre.source.region,
      clusterId: pre.source.clusterId,
      step: 'failback',
    });
    if ('automationExecutionId' in r && r.automationExecutionId) {
      await acts.observe.awaitAutomation({
        automationExecutionId: r.automationExecutionId,
        region: r.region,
        account: p.account,
        poll: p.poll,
        timeoutMs: DEADLINES.automation,
      });
    }
  }
  const again = await acts.observe.awaitReProtected({ ...re, secondary: pre.target });
  return { started: started.at, promotedAt: promoted.at, writableAt: done.observedAt, again };
}
