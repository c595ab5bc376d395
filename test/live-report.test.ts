/**
 * Every playbook answers the `report` query while it runs (the run kit's `reportWhileRunning`):
 * each one is held mid-step by a gated activity, queried, then cancelled; its answer says
 * `outcome: "running"` and what it has so far, and once the run ended the query answers its final
 * report instead. Real Temporal dev server, simulated AWS.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { ownershipTags } from '../activities/restore/identifiers';
import { reportQuery, type PlaybookReport } from '../contracts/run';
import { startGatedWorker, type GatedWorker } from './helpers/gated-worker';
import { startTestWorker, type TestWorker } from './helpers/worker';

let w: TestWorker;
let g: GatedWorker;

beforeAll(async () => {
  w = await startTestWorker('live-report', { scale: 600 });
  g = await startGatedWorker(w, 'live-report-gated');
});

afterAll(async () => {
  await g?.stop();
  await w?.shutdown();
});

/** A playbook, its input, the activity it is held in (after its plan is known), and what its live report must hold. */
interface Case {
  readonly workflow: string;
  readonly input: Record<string, unknown>;
  readonly holdIn: string;
  readonly workflowId?: string;
  readonly live: Record<string, unknown>;
  readonly setup?: () => Promise<void>;
}

/** A gameday-tagged restore cluster two days old, for the sweeper to find and delete. */
async function leaveAnOrphan(): Promise<void> {
  const rds = w.sim.rdsSim.api({ region: 'us-east-2', accountId: '444455556666' });
  const id = 'gameday-rv-live00000001';
  await rds.restoreDbClusterToPointInTime({
    sourceDbClusterIdentifier: 'analytics-use2',
    dbClusterIdentifier: id,
    useLatestRestorableTime: true,
    tags: ownershipTags(`lost-${id}`, w.sim.world.now() - 2 * 86_400_000),
  });
}

const CASES: Case[] = [
  {
    workflow: 'preflightWorkflow',
    input: { runbook: 'payments-prod' },
    holdIn: 'checkBlastRadius',
    live: { runbook: 'payments-prod', service: 'payments', ready: false, checks: [] },
  },
  {
    workflow: 'trafficShiftWorkflow',
    input: { runbook: 'orders-prod', targetRegion: 'eu-central-1' },
    holdIn: 'readTrafficWeights',
    live: { runbook: 'orders-prod', targetRegion: 'eu-central-1', steps: [] },
  },
  {
    workflow: 'fisTemplatesWorkflow',
    input: { runbook: 'payments-prod', az: 'us-east-1a', mode: 'diff' },
    holdIn: 'findFisTemplate',
    live: { mode: 'diff', templates: [] },
  },
  {
    workflow: 'azLossGameDayWorkflow',
    input: { runbook: 'payments-prod', az: 'us-east-1a' },
    holdIn: 'checkAzSteadyState',
    live: { scenario: 'az-loss', service: 'payments', outcomeReason: 'running (step steady state): the report so far' },
  },
  {
    workflow: 'regionPromotionWorkflow',
    workflowId: 'promote-payments-global',
    input: { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover' },
    holdIn: 'preflightPromotion',
    live: { scenario: 'region-promotion', service: 'payments' },
  },
  {
    workflow: 'restoreVerificationWorkflow',
    input: { runbook: 'analytics-prod' },
    holdIn: 'writeRestoreMarkers',
    live: { service: 'analytics' },
  },
  {
    workflow: 'backtrackDrillWorkflow',
    input: { runbook: 'analytics-prod' },
    holdIn: 'writeBacktrackMarker',
    live: { service: 'analytics' },
  },
  {
    workflow: 'orphanSweeperWorkflow',
    input: { runbooks: ['analytics-prod'], olderThan: '12h' },
    holdIn: 'listTempInstances',
    setup: leaveAnOrphan,
    live: { removed: [] },
  },
];

test.each(CASES.map((c) => [c.workflow, c] as const))('%s answers the report query mid-run', async (_name, c) => {
  await c.setup?.();
  const gate = g.arm(c.holdIn);
  const h: WorkflowHandle = await w.client.workflow.start(c.workflow, {
    taskQueue: g.taskQueue,
    workflowId: c.workflowId ?? w.id(`live-${c.workflow}`),
    args: [c.input],
    workflowIdConflictPolicy: 'FAIL',
  });
  try {
    await gate.reached;
    const live = await h.query(reportQuery);
    expect(live).toMatchObject({ outcome: 'running', ...c.live });
  } finally {
    await h.cancel();
    gate.release();
  }
  await h.result().catch(() => undefined); // cancelled (or, for a sweep past its point of no return, completed)
  const final: PlaybookReport | undefined = await h.query(reportQuery);
  expect(final?.outcome).not.toBe('running');
});
