/**
 * The approval gate of a promotion: auto-approved when the runbook does not require approval;
 * otherwise the run waits (wall clock, `approval.timeout`) for `approvePromotion` /
 * `rejectPromotion` from an approver. Both the request and the decision are stamped on the
 * activities' clock so the `decide` phase sits on the same timeline as the AWS events. A timeout
 * fails the run (`ApprovalTimeout`) before any mutation. Deterministic.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { approvePromotionUpdate } from '../../contracts/promotion';
import { formatDuration } from '../../lib/report/format';
import type { ApprovalGate, Run } from '../kit';
import type { PromotionRun } from './promotion-run';
import type { PromotionProxies } from './proxies';

/** Failure type when nobody decided within the approval timeout (non-retryable). */
export const APPROVAL_TIMEOUT = 'ApprovalTimeout';

const SOURCE = 'regionPromotionWorkflow';

/** Runs the gate; returns the decision (`auto-approved` when not required). */
export async function approvalStep(
  run: Run,
  gate: ApprovalGate,
  s: PromotionRun,
  acts: PromotionProxies,
): Promise<'approved' | 'rejected' | 'auto-approved'> {
  const p = s.plan!;
  const policy = { required: p.approval.required, approvers: p.approval.approvers, timeoutMs: p.approval.timeoutMs };
  if (!p.approval.required) {
    const stamped = await acts.observe.stampEvent({
      name: 'decision-made',
      source: SOURCE,
      detail: 'auto-approved: the runbook does not require approval',
    });
    s.approval = { decision: 'auto-approved', at: stamped.at, ...policy };
    s.record(stamped);
    run.skip('approval', 'not required by the runbook');
    return 'auto-approved';
  }
  const who = p.approval.approvers.length > 0 ? p.approval.approvers.join(', ') : 'anyone';
  const requested = await acts.observe.stampEvent({
    name: 'approval-requested',
    source: SOURCE,
    detail: `approvers: ${who}; timeout ${formatDuration(p.approval.timeoutMs)}`,
  });
  s.record(requested);
  s.approval = { decision: 'pending', ...policy };
  s.show();
  const what = `approval of the ${p.mode} of ${p.globalClusterId} to ${p.target.region}`;
  const decided = await run.step(
    'approval',
    async () => {
      const d = await gate.wait({
        what,
        who: p.approval.approvers,
        updates: [approvePromotionUpdate.name, 'rejectPromotion'],
        example: { by: p.approval.approvers[0] ?? 'alice', reason: 'game day' },
        timeoutMs: p.approval.timeoutMs,
        cli: `gameday approve ${run.workflowId} --by NAME`,
      });
      const detail = d ? `${d.decision} by ${d.by}${d.reason ? `: ${d.reason}` : ''}` : 'approval timed out';
      const stamped = await acts.observe.stampEvent({ name: 'decision-made', source: SOURCE, detail });
      s.approval = d ? { ...policy, ...d, at: stamped.at } : { ...policy, decision: 'timed-out', at: stamped.at };
      s.show();
      if (!d) {
        throw ApplicationFailure.create({
          type: APPROVAL_TIMEOUT,
          message: `approval: no decision within ${formatDuration(p.approval.timeoutMs)} (runbook approval.timeout); nothing was changed`,
          nonRetryable: true,
        });
      }
      s.record(stamped);
      return d;
    },
    {
      detail: `waiting for ${what} by ${who} (update approvePromotion, or gameday approve ${run.workflowId}); timeout ${formatDuration(p.approval.timeoutMs)}`,
      at: () => s.approval?.at,
      summary: (d) => `${d.decision} by ${d.by}`,
    },
  );
  return decided.decision;
}
