/**
 * The steps of a promotion after the new writer is up: move traffic, reconfigure the application,
 * verify the service. Each is one `run.step` (non-cancellable: they follow the point of no
 * return) and records its timeline event. Deterministic.
 */
import type { RetriedAttempt } from '../../contracts/promotion';
import type { Run } from '../kit';
import type { PromotionRun } from './promotion-run';
import type { PromotionProxies } from './proxies';
import { DEADLINES } from './promote-steps';
import { serviceHealthyAt } from '../../lib/service-healthy';

/** The `retried` mark an activity result carries after a retried attempt (activities/promotion/retried-attempt.ts). */
function retriedOf(result: object): RetriedAttempt | undefined {
  return (result as { retried?: RetriedAttempt }).retried;
}

/** Route 53 records or ARC routing controls to the promoted region, awaited INSYNC. */
export async function moveTraffic(run: Run, s: PromotionRun, acts: PromotionProxies): Promise<void> {
  const p = s.plan!;
  const r53 = p.runbook.route53;
  if (!r53) {
    run.skip('traffic', 'the runbook has no route53 section');
    return run.skip('await-insync', 'no traffic shift');
  }
  const comment = `gameday ${run.workflowId}: ${p.mode} to ${p.target.region}`;
  const shifted = await run.step(
    'traffic',
    () => acts.mutate.shiftTraffic({ runbook: p.runbook, target: { kind: 'activate', region: p.target.region }, comment }),
    {
      at: (r) => r.at,
      summary: (r) => r.detail,
    },
  );
  const shiftSource = shifted.atSource === 'aws' ? 'route53 SubmittedAt' : 'shiftTraffic';
  s.record({ name: 'traffic-shift-started', at: shifted.at, source: shiftSource, detail: `${shifted.effect}: ${shifted.detail ?? ''}` });
  const changeId = shifted.changeId;
  const stamped = shifted.atSource !== 'aws';
  if (!changeId) {
    s.record({ name: 'traffic-converged', at: shifted.at, source: 'shiftTraffic', detail: shifted.detail ?? 'applied' });
    s.noteRetry('traffic', shifted, [
      { name: 'traffic-shift-started', restsOnIt: stamped },
      { name: 'traffic-converged', restsOnIt: stamped },
    ]);
    return run.skip('await-insync', r53.routing.policy === 'arc' ? 'ARC routing controls apply at once' : 'no record change was needed');
  }
  s.noteRetry('traffic', shifted, [{ name: 'traffic-shift-started', restsOnIt: stamped }]);
  const insync = await run.step(
    'await-insync',
    () => acts.observe.awaitChangeInsync({ changeId, account: p.account, poll: p.poll, timeoutMs: DEADLINES.insync }),
    { at: (w) => w.observedAt },
  );
  const notBefore = insync.previousReadAt ?? shifted.at;
  s.record({
    name: 'traffic-converged',
    at: insync.observedAt,
    source: 'awaitChangeInsync',
    detail: `change ${changeId} INSYNC`,
    notBefore,
  });
  s.noteRetry('await-insync', insync, [{ name: 'traffic-converged', restsOnIt: true }]);
  s.observations['traffic-converged'] = { ...insync, previousReadAt: notBefore };
}

/** Points the application at the promoted region (SSM parameter or automation, awaited). */
export async function reconfigureApp(run: Run, s: PromotionRun, acts: PromotionProxies): Promise<void> {
  const p = s.plan!;
  if (!p.runbook.appReconfiguration) return run.skip('app', 'the runbook has no appReconfiguration');
  const at = await run.step(
    'app',
    async () => {
      const r = await acts.mutate.reconfigureApplication({
        runbook: p.runbook,
        workflowId: run.workflowId,
        region: p.target.region,
        clusterId: p.target.clusterId,
      });
      if (!('automationExecutionId' in r) || !r.automationExecutionId)
        return { at: r.at, detail: r.detail, retried: retriedOf(r), aws: r.atSource === 'aws' };
      const done = await acts.observe.awaitAutomation({
        automationExecutionId: r.automationExecutionId,
        region: r.region,
        account: p.account,
        poll: p.poll,
        timeoutMs: DEADLINES.automation,
      });
      // SSM's ExecutionEndTime when answered, else when the wait saw the end.
      return { at: done.aws?.at ?? done.observedAt, detail: r.detail, retried: done.retried ?? retriedOf(r), aws: done.aws !== undefined };
    },
    { at: (r) => r.at, summary: (r) => r.detail },
  );
  s.record({ name: 'app-reconfigured', at: at.at, source: at.aws ? 'ssm' : 'reconfigureApplication', detail: at.detail });
  s.noteRetry('app', at, [{ name: 'app-reconfigured', restsOnIt: !at.aws }]);
}

/** A write through the service endpoint and the health alarms of the promoted region. */
export async function verifyService(run: Run, s: PromotionRun, acts: PromotionProxies): Promise<void> {
  const p = s.plan!;
  // After a detach the global writer endpoint still names the old primary: the application was
  // pointed at the promoted cluster, so the write goes to its endpoint.
  const endpoint = p.mode === 'detach' ? s.writable?.endpoint : undefined;
  const v = await run.step(
    'verify',
    async () => {
      const write = await acts.observe.verifyServiceWrite({
        runbook: p.runbook,
        runId: s.canaryRunId,
        poll: p.poll,
        timeoutMs: DEADLINES.verify,
        ...(endpoint ? { endpoint } : {}),
      });
      const alarms = await acts.observe.checkHealthAlarms({
        runbook: p.runbook,
        region: p.target.region,
        poll: p.poll,
        timeoutMs: DEADLINES.alarms,
      });
      const retried = retriedOf(write) ?? retriedOf(alarms);
      // Healthy when the write went through and the alarms were OK: CloudWatch says since when they
      // were (okSince), so the read that confirmed it does not delay the figure (issue 15 item 4).
      return { write, alarms, at: Math.max(write.at, alarms.okSince ?? alarms.checkedAt), retried };
    },
    { at: (r) => r.at },
  );
  s.details.verification = { write: v.write, alarms: v.alarms };
  if (v.write.ok && v.alarms.ok) {
    // Healthy since the world's own time of the last condition the write confirmed (lib/service-healthy.ts).
    const { write, alarms } = v;
    const healthy = serviceHealthyAt({ timeline: s.timeline, write, alarms: { ...alarms, count: alarms.alarms.length } });
    s.record({
      name: 'app-healthy',
      at: healthy.at,
      source: 'verifyServiceWrite',
      detail: healthy.detail,
      ...(healthy.notBefore !== undefined ? { notBefore: healthy.notBefore } : {}),
    });
    s.noteRetry('verify', v, [{ name: 'app-healthy', restsOnIt: healthy.byCheck }]);
    return;
  }
  const firing = v.alarms.alarms.filter((a) => a.stateValue !== 'OK').map((a) => `${a.alarmName}=${a.stateValue}`);
  const why = [!v.write.ok ? `service write: ${v.write.detail}` : '', !v.alarms.ok ? `alarms not OK: ${firing.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  s.notes.push(`verification failed: ${why}; the service was not observed healthy, so RTO is not measured`);
  run.tracker.end('verify', 'failed', v.at, why);
}
