/**
 * `restoreVerificationWorkflow`: proves a backup restores, and how fast. Writes marker rows to the
 * source, restores (to the latest restorable time, a chosen time, or a snapshot) into a temporary,
 * gameday-tagged cluster in the runbook's isolated subnet group, adds one instance, verifies the
 * data (the marker rows, the runbook's SQL checks) and measures the restore against the tier RTO.
 * Every step that creates something registers its undo as it begins (delete the marker rows, the
 * cluster, the instance): the undos run on every ending — completed, failed verification, aborted,
 * cancelled, and after a worker crash (the deterministic identifiers lead them to the same
 * resources). No point of no return: an abort or a cancellation at any step stops the run.
 *
 * Input (also from the Temporal UI): `{"runbook":"analytics-prod"}`, optionally `"to"` (ISO 8601
 * or epoch ms) or `"snapshotId"`; validated in the first activity with field-named errors.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { RestoreVerificationActivities } from '../activities';
import type { DeleteOutcome, TempResourceRef } from '../contracts/drill';
import type { MarkerWrite, RestorePlan, RestoreVerificationInput } from '../contracts/restore-verification';
import { failedChecks } from '../lib/drill-findings';
import type { RunReport } from '../lib/measurement-types';
import { awaitsRestorable, restorePointOf, restoreReport, type RestoreFacts } from '../lib/restore-findings';
import { AwsCallCount, budgetPrepareProxy, budgetProxies } from './budget-proxies';
import { drillProxies, prepareProxy } from './drill-proxies';
import { finishRun, Run, type RunEnd, type UndoResult } from './kit';
import { deleteCluster, deleteInstance } from './temp-resource-undo';

const STEPS = ['validate', 'write-markers', 'await-restorable', 'restore', 'await-cluster', 'create-instance', 'await-instance', 'verify'];
type Acts = RestoreVerificationActivities;
const prepare = prepareProxy<Acts>();

/** Runs one restore verification (see the module doc). Returns the run's report. */
export async function restoreVerificationWorkflow(input: RestoreVerificationInput): Promise<RunReport> {
  const run = new Run('restoreVerificationWorkflow', STEPS, typeof input?.runbook === 'string' ? input.runbook : undefined);
  const drill = new RestoreDrill(run);
  run.reportWhileRunning(() => drill.report({ kind: 'running', step: run.tracker.current }));
  const report = await run.execute({
    steps: () => drill.steps(input),
    finish: (end, undo) => drill.finish(end, undo),
    failureType: 'RestoreFailed',
  });
  return report!; // a completed run always has a plan, hence a report
}

/** The steps of one run and the facts they observed. */
class RestoreDrill {
  private plan?: RestorePlan;
  private facts: { -readonly [K in keyof RestoreFacts]: RestoreFacts[K] } = { deletes: [], cleanupErrors: [] };
  /** The AWS steps run on the account's budget queue (lib/aws-budget.ts); runs started before that did not. */
  private readonly budgeted = patched('aws-budget-queues');
  private readonly calls = new AwsCallCount();

  constructor(private readonly run: Run) {}

  /** The report of the run so far (`undefined` before the plan). */
  report(end: Parameters<typeof restoreReport>[2]): RunReport | undefined {
    return this.plan && restoreReport(this.plan, { ...this.facts, ...(this.budgeted ? { awsCalls: this.calls.total } : {}) }, end);
  }

  /** Files the report of any ending (a run refused before its plan has none: nothing was created). */
  async finish(end: RunEnd<void>, undo: UndoResult): Promise<RunReport | undefined> {
    this.facts.cleanupErrors = undo.failures;
    const report = this.report(end);
    return report && finishRun(report, { runbook: report.details.runbook as string, region: this.plan!.target.region });
  }

  /** The steps, in order. */
  async steps(input: RestoreVerificationInput): Promise<void> {
    const { run } = this;
    const onBudget = async (): Promise<RestorePlan> =>
      budgetPrepareProxy<Acts>(await prepare.resolveDrillTarget(input), this.calls).prepareRestoreVerification(input);
    const validate = () => (this.budgeted ? onBudget() : prepare.prepareRestoreVerification(input));
    const p = (this.plan = await run.step('validate', validate, {
      summary: (r) => `${r.mode} of ${r.clusterId} into ${r.tempClusterId}`,
    }));
    run.runbook = p.runbook;
    const { tempClusterId, tempInstanceId, markerRunId, mode } = p;
    run.show({ tempClusterId, tempInstanceId, markerRunId, mode, region: p.target.region });
    const act = drillProxies<Acts>(p);
    const aws = this.budgeted ? budgetProxies<Acts>(p, this.calls) : act;

    const markers = (this.facts.markers = await run.step('write-markers', () => act.mutate.writeRestoreMarkers(p), {
      detail: `marker rows on ${p.clusterId}`,
      undo: { name: 'delete marker rows', fn: () => act.undo.deleteRestoreMarkers(p) },
    }));
    if (awaitsRestorable(p, markers))
      await run.step('await-restorable', () => aws.observe.awaitSourceRestorable(p, markers.writtenAt), {
        detail: 'latest restorable time to pass the marker rows',
        at: (o) => o.observedAt,
      });
    else run.skip('await-restorable', markers.unavailableReason ?? `a ${p.mode} restore does not wait for the latest restorable time`);
    await this.restore(p, aws);
    await this.verify(p, aws, markers);
  }

  /** Restore into the temporary cluster, then its instance, each undone by a delete. */
  private async restore(p: RestorePlan, act: ReturnType<typeof drillProxies<RestoreVerificationActivities>>): Promise<void> {
    const { run } = this;
    const ref: TempResourceRef = {
      target: p.target,
      clusterId: p.tempClusterId,
      instanceIds: [p.tempInstanceId],
      ownerWorkflowId: p.workflowId,
    };
    const deleted = (o: DeleteOutcome): void => {
      if (!this.facts.deletes.some((d) => d.resource === o.resource)) this.facts.deletes = [...this.facts.deletes, o];
    };
    const wait = { pollIntervalMs: p.pollIntervalMs, timeoutMs: p.waitTimeoutMs };
    this.facts.started = await run.step(
      'restore',
      () => (p.mode === 'snapshot' ? act.mutate.startSnapshotRestore(p) : act.mutate.startPointInTimeRestore(p)),
      {
        detail: `${p.mode} of ${p.clusterId} into ${p.tempClusterId}`,
        at: (s) => s.startedAt,
        undo: {
          name: `delete cluster ${p.tempClusterId}`,
          fn: async () => void (this.facts.cleanupFinishedAt = (await deleteCluster(act, ref, wait, deleted)).observedAt),
        },
      },
    );
    if (this.facts.started.restorePoint !== undefined) run.show({ restorePoint: this.facts.started.restorePoint });
    const cluster = await run.step('await-cluster', () => act.observe.awaitRestoredClusterAvailable(p), { at: (o) => o.observedAt });
    run.show({ clusterAvailableAt: cluster.observedAt });
    await run.step('create-instance', () => act.mutate.createRestoredInstance(p), {
      detail: p.tempInstanceId,
      at: (c) => c.createdAt,
      undo: { name: `delete instance ${p.tempInstanceId}`, fn: async () => deleted(await deleteInstance(act, ref, p.tempInstanceId)) },
    });
    this.facts.instanceAvailable = await run.step('await-instance', () => act.observe.awaitRestoredInstanceAvailable(p), {
      at: (o) => o.observedAt,
    });
  }

  /** Checks the restored data; a failed check fails the run (`RestoreVerificationFailed`) after the undos. */
  private async verify(p: RestorePlan, act: ReturnType<typeof drillProxies<RestoreVerificationActivities>>, markers: MarkerWrite) {
    const restorePoint = restorePointOf(p, this.facts.started!, markers);
    await this.run.step(
      'verify',
      async () => {
        const v = (this.facts.verification = await act.mutate.verifyRestoredData(p, markers, restorePoint));
        const failed = failedChecks(v);
        if (failed === undefined) return v;
        throw ApplicationFailure.create({
          type: 'RestoreVerificationFailed',
          nonRetryable: true,
          message: `restore verification of ${p.runbook} FAILED: ${failed}`,
        });
      },
      { detail: 'marker rows and SQL checks on the restored cluster', at: (v) => v.verifiedAt },
    );
  }
}
