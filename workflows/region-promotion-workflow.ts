/**
 * `regionPromotionWorkflow`: promotes the secondary region of an Aurora Global Database
 * (switchover, managed failover, or detach-and-promote), moves traffic and the application,
 * verifies the service and measures RTO / RPO (domain.md §2 "Region failure").
 *
 * Safety
 * - Run it with workflow id `promote-<globalClusterId>` (checked in the first activity): with
 *   Temporal's default conflict policy a second concurrent promotion of the same database is
 *   refused with WorkflowExecutionAlreadyStarted naming the running one.
 * - Every mutation reads state first, so a retry or a restarted worker never promotes twice.
 * - Point of no return: the first mutation of the database (write fencing when configured, else
 *   the promote call). Before it, an abort or a cancellation stops cleanly (the canary stopped and
 *   its rows deleted, no AWS mutation made); after it, aborts are refused with the reason and a
 *   cancellation is ignored: no step after it is ever interrupted (the run kit's policy).
 *
 * Start from the Temporal UI with workflow id `promote-payments-global`, type
 * `regionPromotionWorkflow`, input `{"runbook":"payments-prod","targetRegion":"us-west-2","mode":"switchover"}`.
 */
import { workflowInfo } from '@temporalio/workflow';
import { approvePromotionUpdate, rejectPromotionUpdate, type RegionPromotionInput } from '../contracts/promotion';
import type { RunReport } from '../lib/measurement-types';
import { requestedDetail, requestedEvent } from '../lib/promotion-report';
import { ApprovalGate, finishRun, Run, type RunEnd, type UndoResult } from './kit';
import { approvalStep } from './promotion/approval-step';
import { CANARY_UNDO, startPromotionCanary, stopPromotionCanary } from './promotion/canary-step';
import { failback } from './promotion/failback';
import { PromotionRun } from './promotion/promotion-run';
import { prepare, promotionActivities } from './promotion/proxies';
import { fenceOldPrimary, promoteAndAwaitWriter } from './promotion/promote-steps';
import { moveTraffic, reconfigureApp, verifyService } from './promotion/service-steps';

/** Steps of a promotion, in order. */
const STEPS = [
  'validate',
  'preflight',
  'approval',
  'canary',
  'fence',
  'promote',
  'await-writable',
  'traffic',
  'await-insync',
  'app',
  'verify',
  'measure',
  'failback',
];

/** Promotes the secondary region (see the module doc). */
export async function regionPromotionWorkflow(input: RegionPromotionInput): Promise<RunReport> {
  const run = new Run('regionPromotionWorkflow', STEPS, typeof input?.runbook === 'string' ? input.runbook : undefined);
  const gate = new ApprovalGate(run, approvePromotionUpdate, rejectPromotionUpdate);
  const s = new PromotionRun(run);
  const report = await run.execute({
    steps: () => promote(run, gate, s, input),
    finish: (end, undo) => finish(s, end, undo),
    failureType: 'PromotionFailed',
  });
  return report!; // a run that returns has a plan, so a report (only a failed validation has neither)
}

/** The steps; returns `rejected` when an approver said no (nothing was changed). */
async function promote(run: Run, gate: ApprovalGate, s: PromotionRun, input: RegionPromotionInput): Promise<'completed' | 'rejected'> {
  const startedAtWall = workflowInfo().startTime.getTime(); // the request, as the server recorded it (item 4)
  const p = await run.step('validate', () => prepare.preparePromotion({ input, workflowId: run.workflowId, startedAtWall }), {
    at: (plan) => plan.requestedAt,
    summary: (plan) => `${plan.mode} of ${plan.globalClusterId} to ${plan.target.region}`,
  });
  s.plan = p;
  s.details.mode = p.mode;
  s.details.globalClusterId = p.globalClusterId;
  s.details.targetRegion = p.target.region;
  if (p.incidentId) s.details.incidentId = p.incidentId;
  if (p.requestedBy) s.details.requestedBy = p.requestedBy;
  s.record({ name: requestedEvent(p), at: p.requestedAt, source: 'preparePromotion', detail: requestedDetail(p) });
  const fences = p.mode !== 'switchover' && p.runbook.writeFencing !== undefined;
  run.pointOfNoReturn(fences ? 'write fencing of the old primary' : 'the promote call');
  const acts = promotionActivities(p);

  const pre = await run.step('preflight', () => acts.observe.preflightPromotion(p), {
    at: (r) => r.checkedAt,
    summary: (r) =>
      `writer ${r.source.clusterId} in ${r.source.region}${r.replicationLagMs !== undefined ? `, lag ${Math.round(r.replicationLagMs)} ms` : ''}`,
  });
  s.pre = pre;
  s.details.sourceRegion = pre.source.region;
  s.details.preflight = pre.checks;
  s.show();
  if ((await approvalStep(run, gate, s, acts)) === 'rejected') return 'rejected';
  const canary = await startPromotionCanary(run, s, acts);

  const promoteInput = { mode: p.mode, account: p.account, globalClusterId: p.globalClusterId, source: pre.source, target: pre.target };
  run.abort.check();
  run.abort.pass();
  if (fences) await fenceOldPrimary(run, s, acts, pre.source);
  else run.skip('fence', p.mode === 'switchover' ? 'switchover: Aurora demotes the old primary itself' : 'the runbook has no writeFencing');
  const writable = await promoteAndAwaitWriter(run, s, acts, promoteInput);
  await moveTraffic(run, s, acts);
  await reconfigureApp(run, s, acts);
  await verifyService(run, s, acts);
  if (canary) {
    await run.step('measure', () => stopPromotionCanary(s, acts, canary, writable.endpoint), {
      summary: () => 'canary stopped and read on the new writer',
    });
    run.undos.drop(CANARY_UNDO);
  } else run.skip('measure', 'no canary: RPO not measured');
  await failback(run, s, acts);
  return 'completed';
}

/** The report of any ending, filed through the one evidence path. */
async function finish(s: PromotionRun, end: RunEnd<'completed' | 'rejected'>, undo: UndoResult): Promise<RunReport | undefined> {
  if (!s.plan) return undefined; // validation failed: nothing ran, nothing to report
  const stoppedEarly = end.kind !== 'completed' || end.value === 'rejected';
  if (stoppedEarly && !s.run.abort.passed) s.notes.push('stopped before the point of no return: no AWS mutation was made');
  if (undo.failures.length > 0) s.notes.push(...undo.failures.map((f) => `undo failed: ${f}`));
  const d = s.approval;
  const report =
    end.kind === 'completed'
      ? end.value === 'rejected'
        ? s.report('rejected', `rejected by ${d?.by}${d?.reason ? `: ${d.reason}` : ''}`)
        : s.report('completed')
      : s.report(end.kind === 'failed' ? 'failed' : 'aborted', end.reason);
  // Metrics go to the promoted region: the old one may be the region that was lost.
  return finishRun(report, { runbook: s.plan.runbookName, region: s.plan.target.region });
}
