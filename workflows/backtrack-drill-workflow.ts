/**
 * `backtrackDrillWorkflow`: rehearses recovery from logical corruption with Aurora Backtrack.
 * Writes a marker row, takes T, writes a "corruption" sentinel, backtracks the cluster to T, waits
 * until the backtrack completes, and checks the sentinel is gone and the marker is present; the
 * time to recover (backtrack requested → completed) is measured against the tier RTO.
 *
 * Only for Aurora MySQL clusters with a backtrack window that are not global-database members:
 * anything else is refused with the reason before any mutation. Backtrack rewinds the WHOLE
 * cluster: every write after T (the few seconds of the drill) is undone, by design. The backtrack
 * request is the point of no return: before it an abort or a cancellation stops the drill (the
 * rows are removed, the cluster is untouched); from it on the drill runs to its end, so the
 * cluster is never left rewinding unwatched. The drill's rows are removed on every ending (undo).
 * The AWS steps (the cluster read, the backtrack, its wait) run on the account's budget queue
 * (`lib/aws-budget.ts`, patch `backtrack-aws-budget-queues`); the canary rows on the main queue.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { BacktrackDrillActivities } from '../activities';
import type { BacktrackDrillInput, BacktrackPlan } from '../contracts/backtrack-drill';
import { BACKTRACK_POLL_MS, backtrackReport, type BacktrackFacts } from '../lib/backtrack-findings';
import { failedChecks, type DrillEnd } from '../lib/drill-findings';
import type { RunReport } from '../lib/measurement-types';
import { AwsCallCount, budgetPrepareProxy, budgetProxies } from './budget-proxies';
import { drillProxies, prepareProxy } from './drill-proxies';
import { finishRun, Run } from './kit';

const STEPS = ['validate', 'write-marker', 'write-sentinel', 'backtrack', 'await-backtrack', 'verify'];
type Acts = BacktrackDrillActivities;
const prepare = prepareProxy<Acts>();

/** Runs one Backtrack drill (see the module doc). Returns the run's report. */
export async function backtrackDrillWorkflow(input: BacktrackDrillInput): Promise<RunReport> {
  const run = new Run('backtrackDrillWorkflow', STEPS, typeof input?.runbook === 'string' ? input.runbook : undefined);
  run.pointOfNoReturn('the backtrack request (the whole cluster rewinds to T)');
  const facts: { -readonly [K in keyof BacktrackFacts]: BacktrackFacts[K] } = { cleanupErrors: [] };
  // The AWS steps run on the account's budget queue; runs started before that did not.
  const budgeted = patched('backtrack-aws-budget-queues');
  const calls = new AwsCallCount();
  let plan: BacktrackPlan | undefined;
  const report = (end: DrillEnd): RunReport | undefined =>
    plan && backtrackReport(plan, budgeted ? { ...facts, awsCalls: calls.total } : facts, end);
  run.reportWhileRunning(() => report({ kind: 'running', step: run.tracker.current }));

  const steps = async (): Promise<void> => {
    const onBudget = async (): Promise<BacktrackPlan> =>
      budgetPrepareProxy<Acts>(await prepare.resolveBacktrackTarget(input), calls).prepareBacktrackDrill(input);
    const validate = () => (budgeted ? onBudget() : prepare.prepareBacktrackDrill(input));
    const p = (plan = await run.step('validate', validate, { summary: (r) => `cluster ${r.clusterId}` }));
    run.runbook = p.runbook;
    run.show({ cluster: p.clusterId, region: p.target.region, markerRunId: p.markerRunId });
    const sizing = { pollIntervalMs: BACKTRACK_POLL_MS, clockScale: p.clockScale, waitTimeoutMs: p.waitTimeoutMs };
    const act = drillProxies<Acts>(sizing);
    const aws = budgeted ? budgetProxies<Acts>({ ...sizing, target: p.target }, calls) : act;
    const point = await run.step('write-marker', () => act.mutate.writeBacktrackMarker(p), {
      detail: `marker row on ${p.clusterId}`,
      undo: { name: 'delete the drill rows', fn: () => act.undo.deleteBacktrackRows(p) },
    });
    run.show({ backtrackTo: point.backtrackTo });
    await run.step('write-sentinel', () => act.mutate.writeCorruptionSentinel(p, point), { detail: 'the "corruption" written after T' });

    run.passPointOfNoReturn();
    const started = (facts.started = await run.step('backtrack', () => aws.mutate.startBacktrack(p, point), {
      detail: `${p.clusterId} to ${point.backtrackTo}`,
      at: (s) => s.startedAt,
    }));
    run.abort.stamp(started.startedAt);
    run.show({ backtrackIdentifier: started.backtrackIdentifier });
    facts.completed = await run.step('await-backtrack', () => aws.observe.awaitBacktrackComplete(p, started), { at: (o) => o.observedAt });
    await run.step(
      'verify',
      async () => {
        const v = (facts.verification = await act.mutate.verifyBacktrack(p));
        const failed = failedChecks(v);
        if (failed === undefined) return v;
        throw ApplicationFailure.create({
          type: 'BacktrackVerificationFailed',
          nonRetryable: true,
          message: `Backtrack drill of ${p.runbook} FAILED: ${failed}`,
        });
      },
      { detail: 'sentinel gone, marker present', at: (v) => v.verifiedAt },
    );
  };

  const result = await run.execute({
    steps,
    finish: async (end, undo) => {
      facts.cleanupErrors = undo.failures;
      const r = report(end);
      return r && finishRun(r, { runbook: plan!.runbook, region: plan!.target.region });
    },
    failureType: 'BacktrackDrillFailed',
  });
  return result!; // a completed run always has a plan, hence a report
}
