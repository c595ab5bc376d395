/**
 * Records one representative execution of every workflow type exported by workflows/index.ts
 * (plus aborted / cancelled / rejected variants where they are cheap) and writes each history as
 * JSON to test/histories/<workflowType>[-variant].json, for the replay test (test/replay.test.ts).
 *
 * It starts what it needs: the project's Temporal dev server (scripts/temporal-dev.ts, reused when
 * one listens on TEMPORAL_ADDRESS), and per recording a fresh in-process sim seeded from runbooks/
 * with a worker built by the composition root over the workflow bundle (built once).
 *
 *   npx tsx scripts/record-histories.ts                  # every recording
 *   npx tsx scripts/record-histories.ts trafficShiftWorkflow regionPromotionWorkflow-rejected
 *   npx tsx scripts/record-histories.ts --list
 *
 * A workflow type exported by workflows/index.ts that has no entry in {@link RECORDINGS} (or an
 * entry for a type no longer exported) fails the script before anything runs, naming it.
 * Re-record only per the rule in CONTRIBUTING.md ("Changing a workflow"): a replay test that
 * fails after a change to workflow code means patch the change, not re-record.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, type History, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { ownershipTags } from '../activities/restore/identifiers';
import { answerCheckpointUpdate } from '../contracts/gameday';
import { approvePromotionUpdate, rejectPromotionUpdate } from '../contracts/promotion';
import { abortSignal, statusQuery } from '../contracts/run';
import { composeWorker, simDeps } from '../lib/composition-root';
import { loadWorkerConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { exportedWorkflowTypes, HISTORIES_DIR } from '../test/helpers/histories';
import * as wf from '../workflows';
import { ensureDevServer } from './temporal-dev';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../lib/workflow-interceptor-modules';

/** What a recording gets: a client and a worker's task queue over a fresh sim. */
export interface RecordingContext {
  readonly client: Client;
  readonly taskQueue: string;
  readonly sim: SimAws;
  /** The fixed workflow id of this recording (`history-<file name>`). */
  readonly workflowId: string;
}

/** How a recorded execution must end; anything else fails the script. */
export type RecordingEnd = 'completed' | 'failed' | 'cancelled';

/** One recorded execution of a workflow type. */
export interface Recording {
  /** Appended to the file name: `<workflowType>-<variant>.json`. @default none */
  readonly variant?: string;
  /** Simulated ms per wall ms of the sim (the tests' scale for this playbook). */
  readonly scale: number;
  /** How the execution ends. */
  readonly ends: RecordingEnd;
  /** The `outcome` field of the result, for results that carry one (RunReport and the like). @default not checked */
  readonly outcome?: string;
  /** Throws when the result does not show the path this recording is for (e.g. nothing was deleted). @default none */
  check?(result: unknown): void;
  /** Starts the execution and drives it (approvals, aborts, cancels); the script then awaits its end. */
  start(ctx: RecordingContext): Promise<WorkflowHandle>;
}

const PAYMENTS_SWITCHOVER = { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover' } as const;
const ORDERS_SHIFT = { runbook: 'orders-prod', targetRegion: 'eu-central-1' } as const;
const PAYMENTS_AZ = { runbook: 'payments-prod', az: 'us-east-1a' } as const;
/** A game day of two scenarios (children) and a checkpoint answered between them. */
const GAMEDAY_PLAN = `title: recorded day
runbooks: [payments-prod, analytics-prod]
participants: [{ name: bob, role: on-call }]
scenarios:
  - { kind: preflight, hypothesis: { text: ready, ready: true } }
  - { kind: backtrack-drill, runbook: analytics-prod, hypothesis: { text: 'rewinds within 10 min', rto: 10m } }
checkpoints:
  - { name: runbook-found, prompt: 'Runbook found?', after: preflight, answeredBy: [on-call] }
`;
/** A promotion must run under the id of its global cluster (one promotion at a time). */
const PROMOTION_ID = { workflowId: 'promote-payments-global' } as const;

/** The recordings, by workflow type: every type exported by workflows/index.ts must have at least one. */
export const RECORDINGS: Readonly<Record<string, readonly Recording[]>> = {
  preflightWorkflow: [
    { scale: 600, ends: 'completed', start: (c) => begin(c, wf.preflightWorkflow, { runbook: 'payments-prod' }) },
    {
      variant: 'invalid-runbook',
      scale: 600,
      ends: 'failed',
      start: (c) => begin(c, wf.preflightWorkflow, { runbook: 'payments-staging' }),
    },
  ],
  regionPromotionWorkflow: [
    {
      scale: 120,
      ends: 'completed',
      outcome: 'completed',
      start: async (c) => {
        const h = await begin(c, wf.regionPromotionWorkflow, PAYMENTS_SWITCHOVER, PROMOTION_ID);
        await awaitingApproval(h);
        await h.executeUpdate(approvePromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'recorded for the replay test' }] });
        return h;
      },
    },
    {
      variant: 'rejected',
      scale: 120,
      ends: 'completed',
      outcome: 'rejected',
      start: async (c) => {
        const h = await begin(c, wf.regionPromotionWorkflow, PAYMENTS_SWITCHOVER, PROMOTION_ID);
        await awaitingApproval(h);
        await h.executeUpdate(rejectPromotionUpdate, { args: [{ by: 'sre-oncall', reason: 'not during the sale' }] });
        return h;
      },
    },
    {
      variant: 'aborted-at-approval',
      scale: 120,
      ends: 'completed',
      outcome: 'aborted',
      start: async (c) => {
        const h = await begin(c, wf.regionPromotionWorkflow, PAYMENTS_SWITCHOVER, PROMOTION_ID);
        await awaitingApproval(h);
        await h.signal(abortSignal, { reason: 'drill called off', by: 'sre-oncall' });
        return h;
      },
    },
    {
      variant: 'cancelled-at-approval',
      scale: 120,
      ends: 'cancelled',
      start: async (c) => {
        const h = await begin(c, wf.regionPromotionWorkflow, PAYMENTS_SWITCHOVER, PROMOTION_ID);
        await awaitingApproval(h);
        await h.cancel();
        return h;
      },
    },
  ],
  trafficShiftWorkflow: [
    {
      scale: 120,
      ends: 'completed',
      outcome: 'completed',
      start: (c) => begin(c, wf.trafficShiftWorkflow, { ...ORDERS_SHIFT, holdMs: 30_000 }),
    },
    {
      variant: 'aborted',
      scale: 120,
      ends: 'completed',
      outcome: 'aborted',
      start: async (c) => {
        const h = await begin(c, wf.trafficShiftWorkflow, { ...ORDERS_SHIFT, holdMs: 600_000 });
        await halfShifted(c);
        await h.signal(abortSignal, { reason: 'stop the shift', by: 'sre-oncall' });
        return h;
      },
    },
    {
      variant: 'cancelled',
      scale: 120,
      ends: 'cancelled',
      start: async (c) => {
        const h = await begin(c, wf.trafficShiftWorkflow, { ...ORDERS_SHIFT, holdMs: 600_000 });
        await halfShifted(c);
        await h.cancel();
        return h;
      },
    },
  ],
  azLossGameDayWorkflow: [
    { scale: 60, ends: 'completed', outcome: 'completed', start: (c) => begin(c, wf.azLossGameDayWorkflow, PAYMENTS_AZ) },
    {
      variant: 'aborted',
      scale: 60,
      ends: 'completed',
      outcome: 'aborted',
      start: async (c) => {
        const h = await begin(c, wf.azLossGameDayWorkflow, PAYMENTS_AZ, { before: () => blockCacheRecovery(c.sim) });
        await azImpaired(c);
        await h.signal(abortSignal, { reason: 'game day called off', by: 'sre-oncall' });
        return h;
      },
    },
    {
      variant: 'cancelled',
      scale: 60,
      ends: 'cancelled',
      start: async (c) => {
        const h = await begin(c, wf.azLossGameDayWorkflow, PAYMENTS_AZ, { before: () => blockCacheRecovery(c.sim) });
        await azImpaired(c);
        await h.cancel();
        return h;
      },
    },
  ],
  regionCutWorkflow: [
    { scale: 60, ends: 'completed', outcome: 'completed', start: (c) => begin(c, wf.regionCutWorkflow, { runbook: 'payments-prod' }) },
    {
      variant: 'aborted',
      scale: 60,
      ends: 'completed',
      outcome: 'aborted',
      start: async (c) => {
        const h = await begin(c, wf.regionCutWorkflow, { runbook: 'payments-prod' });
        await until(c, 'the entry points were cut', () => c.sim.world.log.find({ service: 'fis', event: 'subnet-traffic-cut' }).length > 0);
        await h.signal(abortSignal, { reason: 'game day called off', by: 'sre-oncall' });
        return h;
      },
    },
    {
      variant: 'cancelled',
      scale: 60,
      ends: 'cancelled',
      start: async (c) => {
        const h = await begin(c, wf.regionCutWorkflow, { runbook: 'payments-prod' });
        await until(c, 'the entry points were cut', () => c.sim.world.log.find({ service: 'fis', event: 'subnet-traffic-cut' }).length > 0);
        await h.cancel();
        return h;
      },
    },
  ],
  instanceTerminationWorkflow: [
    {
      scale: 60,
      ends: 'completed',
      outcome: 'completed',
      start: (c) => begin(c, wf.instanceTerminationWorkflow, { runbook: 'payments-prod', percent: 34 }),
    },
    {
      variant: 'cancelled',
      scale: 60,
      ends: 'cancelled',
      start: async (c) => {
        const h = await begin(c, wf.instanceTerminationWorkflow, { runbook: 'payments-prod', count: 1 });
        await until(
          c,
          'an instance was terminated',
          () => c.sim.world.log.find({ service: 'ec2', event: 'instance-terminate-requested' }).length > 0,
        );
        await h.cancel();
        return h;
      },
    },
  ],
  restoreVerificationWorkflow: [
    {
      scale: 300,
      ends: 'completed',
      outcome: 'completed',
      start: (c) => begin(c, wf.restoreVerificationWorkflow, { runbook: 'analytics-prod' }),
    },
    {
      variant: 'cancelled',
      scale: 300,
      ends: 'cancelled',
      start: async (c) => {
        const h = await begin(c, wf.restoreVerificationWorkflow, { runbook: 'analytics-prod' });
        await until(
          c,
          'the restore was requested',
          () => c.sim.world.log.find({ service: 'rds', event: 'cluster-restore-requested' }).length > 0,
        );
        await h.cancel();
        return h;
      },
    },
  ],
  backtrackDrillWorkflow: [
    {
      scale: 120,
      ends: 'completed',
      outcome: 'completed',
      start: (c) => begin(c, wf.backtrackDrillWorkflow, { runbook: 'analytics-prod' }),
    },
  ],
  orphanSweeperWorkflow: [
    {
      scale: 600,
      ends: 'completed',
      start: async (c) => {
        await seedOrphan(c.sim);
        return begin(c, wf.orphanSweeperWorkflow, { runbooks: ['analytics-prod'], olderThan: '12h' });
      },
      check: (result) => {
        const removed = (result as { removed?: unknown[] }).removed;
        if (removed?.length !== 1) throw new Error(`expected the seeded orphan to be removed, removed: ${JSON.stringify(removed)}`);
      },
    },
  ],
  fisTemplatesWorkflow: [
    {
      scale: 60,
      ends: 'completed',
      start: (c) =>
        begin(c, wf.fisTemplatesWorkflow, { ...PAYMENTS_AZ, templates: ['aurora-failover', 'elasticache-az-power'], mode: 'apply' }),
    },
    {
      variant: 'diff',
      scale: 60,
      ends: 'completed',
      start: (c) =>
        begin(c, wf.fisTemplatesWorkflow, { ...PAYMENTS_AZ, templates: ['aurora-failover', 'elasticache-az-power'], mode: 'diff' }),
    },
  ],
  gameDayWorkflow: [
    {
      scale: 600,
      ends: 'completed',
      outcome: 'completed',
      start: async (c) => {
        const h = await begin(c, wf.gameDayWorkflow, { plan: 'recording', planYaml: GAMEDAY_PLAN });
        await awaitingApproval(h); // the checkpoint after the preflight
        await h.executeUpdate(answerCheckpointUpdate, { args: [{ checkpoint: 'runbook-found', by: 'bob', ok: true }] });
        return h;
      },
    },
  ],
};

/** A workflow function of workflows/index.ts taking one input. */
type WorkflowFn<I> = (input: I) => Promise<unknown>;

/**
 * Starts `workflow` under `workflowId` (default: the recording's fixed id); `before` runs first (e.g. a
 * fault that must precede the run). A run left running under that id by an interrupted recording (on
 * this script's task queue) is terminated first; any other running owner of the id fails the script.
 */
async function begin<I>(
  c: RecordingContext,
  workflow: WorkflowFn<I>,
  input: I,
  opts: { before?: () => void; workflowId?: string } = {},
): Promise<WorkflowHandle> {
  opts.before?.();
  const workflowId = opts.workflowId ?? c.workflowId;
  const start = (): Promise<WorkflowHandle> =>
    c.client.workflow.start(workflow, {
      taskQueue: c.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  try {
    return await start();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const running = c.client.workflow.getHandle(workflowId);
    const owner = (await running.describe()).taskQueue;
    if (owner !== c.taskQueue)
      throw new Error(`workflow id ${workflowId} is held by a running execution on task queue ${owner}: not ours, not touched`);
    await running.terminate('left over by an interrupted record-histories');
    return start();
  }
}

/** Polls (wall time, bounded) until `ok()`. */
async function until(c: RecordingContext, what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  // 3 minutes: the worker bundles the workflows first, which takes tens of seconds on a loaded machine.
  for (let i = 0; i < 9000; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${c.workflowId}: ${what} never happened`);
}

/** Waits until the promotion waits at its approval gate (status query of the run kit). */
async function awaitingApproval(h: WorkflowHandle): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const s = await h.query(statusQuery);
    if (s.awaiting !== undefined) return;
    if (s.phase !== 'running') throw new Error(`${h.workflowId} ended (${s.phase}) before its approval gate`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${h.workflowId} never reached its approval gate`);
}

/** Waits until the sim's orders record holds 50 % in each region (ground truth, not the run's status). */
function halfShifted(c: RecordingContext): Promise<void> {
  const route53 = c.sim.route53({ accountId: '111122223333' });
  return until(c, 'the 50 % step', async () => {
    const records = await route53.listResourceRecordSets({ hostedZoneId: 'Z0ORDERS00001', name: 'api.orders.example.com' });
    const weights = records.filter((r) => r.setIdentifier === 'orders-euc1' || r.setIdentifier === 'orders-euw1').map((r) => r.weight);
    return weights.length === 2 && weights.every((w) => w === 50);
  });
}

/** Powers off the ElastiCache replica's AZ so the AZ-loss run waits for a recovery that does not come. */
function blockCacheRecovery(sim: SimAws): void {
  sim.elasticacheSim.interruptAzPower('us-east-1', 'us-east-1b', ['payments-sessions']);
}

/** Waits until FIS has impaired the AZ (ground truth). */
function azImpaired(c: RecordingContext): Promise<void> {
  return until(c, 'the AZ impairment', () => c.sim.world.log.find({ service: 'fis', event: 'az-impaired' }).length > 0);
}

/** A gameday-tagged temporary cluster (with an instance) two days old, for the sweeper to delete. */
async function seedOrphan(sim: SimAws): Promise<void> {
  const rds = sim.rdsSim.api({ region: 'us-east-2', accountId: '444455556666' });
  const id = 'gameday-rv-old000000001';
  await rds.restoreDbClusterToPointInTime({
    sourceDbClusterIdentifier: 'analytics-use2',
    dbClusterIdentifier: id,
    useLatestRestorableTime: true,
    tags: ownershipTags(`lost-${id}`, sim.world.now() - 2 * 86_400_000),
  });
  for (let i = 0; (await rds.describeDbCluster(id)).status !== 'available'; i++) {
    if (i > 3000) throw new Error(`seeded orphan ${id} never became available`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await rds.createDbInstance({
    dbInstanceIdentifier: `${id}-1`,
    dbClusterIdentifier: id,
    engine: 'aurora-mysql',
    dbInstanceClass: 'db.r6g.large',
    tags: {},
  });
}

/** File name (without `.json`) of a recording. */
export function recordingName(workflowType: string, r: Recording): string {
  return r.variant ? `${workflowType}-${r.variant}` : workflowType;
}

/** Throws naming every exported workflow type without a recording and every recording of a type not exported. */
export function checkCoverage(exported: readonly string[], recorded: readonly string[]): void {
  const missing = exported.filter((t) => !recorded.includes(t));
  const stale = recorded.filter((t) => !exported.includes(t));
  const problems = [
    ...missing.map((t) => `workflow ${t} is exported by workflows/index.ts but has no entry in RECORDINGS of scripts/record-histories.ts`),
    ...stale.map((t) => `RECORDINGS of scripts/record-histories.ts has an entry for ${t}, which workflows/index.ts does not export`),
  ];
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

function log(msg: string): void {
  process.stderr.write(`[record-histories] ${msg}\n`);
}

/** The run's end as the last event of its history says. */
function endOf(last: NonNullable<History['events']>[number] | undefined): RecordingEnd | string {
  if (last?.workflowExecutionCompletedEventAttributes) return 'completed';
  if (last?.workflowExecutionFailedEventAttributes) return 'failed';
  if (last?.workflowExecutionCanceledEventAttributes) return 'cancelled';
  return last ? `event type ${String(last.eventType)}` : 'without events';
}

/** Wall-time budget of one recorded execution. */
const RUN_DEADLINE_MS = 180_000;

/** The run's result (undefined when it failed or was cancelled); a run still going after `ms` is terminated and fails the script. */
async function endWithin(h: WorkflowHandle, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((ok) => (timer = setTimeout(() => ok('deadline'), ms)));
  try {
    const ended = await Promise.race([
      h.result().then(
        (r: unknown) => ({ r }),
        () => ({ r: undefined }),
      ),
      deadline,
    ]);
    if (ended !== 'deadline') return ended.r;
  } finally {
    clearTimeout(timer);
  }
  await h.terminate('record-histories: the run did not end in time');
  throw new Error(`${h.workflowId} did not end within ${ms / 1000} s (terminated)`);
}

/** Runs one recording on a fresh sim and worker; returns the history as pretty JSON. */
async function record(name: string, r: Recording, address: string, bundle: WorkflowBundle, client: Client): Promise<string> {
  const sim = createSimFromRunbookDir(DEFAULT_RUNBOOK_DIR, { scale: r.scale });
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error', name: `record-${name}` });
  const config = loadWorkerConfig({ ...process.env, TEMPORAL_ADDRESS: address, GAMEDAY_TASK_QUEUE: 'gameday-record-histories' });
  const composed = await composeWorker(config, {
    logger,
    deps: simDeps(sim, logger),
    workflows: { workflowBundle: bundle },
    shutdownGraceTime: '2s',
  });
  const running = composed.run();
  try {
    const h = await r.start({ client, taskQueue: config.GAMEDAY_TASK_QUEUE, sim, workflowId: `history-${name}` });
    const result = await endWithin(h, RUN_DEADLINE_MS);
    const history = await h.fetchHistory();
    const end = endOf(history.events?.[history.events.length - 1]);
    if (end !== r.ends) throw new Error(`${name}: expected the run to end ${r.ends}, it ended ${end}`);
    const outcome = (result as { outcome?: unknown } | undefined)?.outcome;
    if (r.outcome !== undefined && outcome !== r.outcome) throw new Error(`${name}: expected outcome ${r.outcome}, got ${String(outcome)}`);
    r.check?.(result);
    return `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`;
  } finally {
    composed.worker.shutdown();
    await running;
    sim.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  checkCoverage(exportedWorkflowTypes(), Object.keys(RECORDINGS));
  const all = Object.entries(RECORDINGS).flatMap(([type, rs]) => rs.map((r) => ({ name: recordingName(type, r), type, r })));
  if (args.includes('--list')) {
    process.stdout.write(all.map((x) => `${x.name}\n`).join(''));
    return;
  }
  const unknown = args.filter((a) => !all.some((x) => x.name === a || x.type === a));
  if (unknown.length > 0) throw new Error(`no recording named ${unknown.join(', ')} (see --list)`);
  const chosen = args.length === 0 ? all : all.filter((x) => args.includes(x.name) || args.includes(x.type));

  if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await ensureDevServer();
  const silent = {
    log: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    logger: silent,
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const t0 = Date.now();
  try {
    for (const x of chosen) {
      const t = Date.now();
      const json = await record(x.name, x.r, server.address, bundle, client).catch((err: unknown) => {
        throw new Error(`recording ${x.name} (${x.type}) failed: ${err instanceof Error ? err.message : String(err)}`);
      });
      const file = join(HISTORIES_DIR, `${x.name}.json`);
      writeFileSync(file, json);
      log(
        `${x.name}: ${JSON.parse(json).events.length} events, ${Math.round(json.length / 1024)} KiB, ${((Date.now() - t) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await connection.close();
    await server.stop();
  }
  log(`recorded ${chosen.length} histories in ${((Date.now() - t0) / 1000).toFixed(1)} s into ${HISTORIES_DIR}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[record-histories] FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
