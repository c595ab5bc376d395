/**
 * The demo's measured runs on the simulated AWS: a region promotion (approved by the demo itself,
 * visibly, through the same Update a person sends), an AZ-loss game day and a restore
 * verification. Each prints its measured report and writes its HTML report to `reports/out/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { reportOfFailure } from '../cli/failure-reason';
import { approvePromotionUpdate } from '../contracts/promotion';
import { statusQuery } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import { runMetadata } from '../lib/run-metadata';
import { renderReport } from '../lib/report';
import { azLossGameDayWorkflow, regionPromotionWorkflow, restoreVerificationWorkflow } from '../workflows';
import type { DemoContext, DemoStep } from './demo';

/** Folder of the HTML reports the demo writes. */
export const REPORT_DIR = join(__dirname, '..', 'reports', 'out');

/** Prints a run's report and writes its HTML; true when the run passed. */
async function show(ctx: DemoContext, handle: WorkflowHandle, result: Promise<RunReport>): Promise<boolean> {
  let report: RunReport | undefined;
  try {
    report = await result;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const carried = reportOfFailure(err);
    ctx.print(`run failed: ${carried.message}`);
    report = carried.report;
  }
  if (!report) return false;
  ctx.print(renderReport(report, 'md'));
  mkdirSync(REPORT_DIR, { recursive: true });
  const file = join(REPORT_DIR, `${handle.workflowId}.html`);
  writeFileSync(file, renderReport(report, 'html'));
  ctx.print(`HTML report: ${file}\n`);
  return report.measurement.verdict !== 'fail' && report.outcome === 'completed';
}

const PROMOTION_INPUT = { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover', requestedBy: 'demo' } as const;
const AZ_LOSS_INPUT = { runbook: 'payments-prod', az: 'us-east-1a' };
const RESTORE_INPUT = { runbook: 'analytics-prod' };

/** A switchover of payments-prod to us-west-2, approved by the demo as sre-oncall. */
export const promotionStep: DemoStep = {
  title: 'Region promotion: switchover of payments-global to us-west-2 (regionPromotionWorkflow)',
  async run(ctx) {
    const handle = await ctx.client.workflow.start(regionPromotionWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: 'promote-payments-global',
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [PROMOTION_INPUT],
      ...runMetadata('regionPromotionWorkflow', PROMOTION_INPUT, 'npm run demo'),
    });
    const result = handle.result();
    for (;;) {
      const s = await handle.query(statusQuery);
      if (s.awaiting) {
        ctx.print(`waiting for ${s.awaiting.what} by ${s.awaiting.who.join(', ')}`);
        ctx.print(
          `demo: approving as sre-oncall after 3 s (More Actions → Send an Update → ${s.awaiting.updates[0]} ${JSON.stringify(s.awaiting.example)})`,
        );
        await new Promise((r) => setTimeout(r, 3000));
        await handle.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'demo' }] });
        break;
      }
      if (s.phase !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return show(ctx, handle, result);
  },
};

/** An AZ-loss game day in us-east-1a of payments-prod. */
export const azLossStep: DemoStep = {
  title: 'AZ-loss game day: us-east-1a of payments-prod through AWS FIS (azLossGameDayWorkflow)',
  async run(ctx) {
    const handle = await ctx.client.workflow.start(azLossGameDayWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: `demo-az-loss-payments-${ctx.stamp}`,
      args: [AZ_LOSS_INPUT],
      ...runMetadata('azLossGameDayWorkflow', AZ_LOSS_INPUT, 'npm run demo'),
    });
    return show(ctx, handle, handle.result());
  },
};

/** A restore verification of analytics-prod to the latest restorable time. */
export const restoreStep: DemoStep = {
  title: 'Restore verification: analytics-prod to the latest restorable time (restoreVerificationWorkflow)',
  async run(ctx) {
    const handle = await ctx.client.workflow.start(restoreVerificationWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: `demo-restore-analytics-${ctx.stamp}`,
      args: [RESTORE_INPUT],
      ...runMetadata('restoreVerificationWorkflow', RESTORE_INPUT, 'npm run demo'),
    });
    return show(ctx, handle, handle.result());
  },
};
