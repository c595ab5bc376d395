/**
 * azLossGameDayWorkflow end to end on the simulated AWS (real Temporal dev server, in-process
 * worker): the measured per-component RTO agrees with the sim's ground truth within the
 * measurement's resolution; an abort mid-experiment stops the experiment; a stop-condition alarm
 * halts the run and the report names it; bad input fails in the first activity naming the field.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { createLogger } from '../lib/logger';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { abortSignal, statusQuery } from '../workflows/messages';
import { azLossGameDayWorkflow, fisTemplatesWorkflow } from '../workflows';
import type { RunReport } from '../lib/measurement-types';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const SCALE = 60;
let bundle: WorkflowBundleWithSourceMap;
let connection: Connection;
let client: Client;

interface Run {
  readonly sim: SimAws;
  readonly taskQueue: string;
  stop(): Promise<void>;
}

/** A fresh sim (seeded from the runbooks) and a worker on a private task queue. */
async function startWorker(): Promise<Run> {
  const sim = createSimFromRunbookDir(DEFAULT_RUNBOOK_DIR, { scale: SCALE });
  const deps: ActivityDeps = { aws: sim, clock: sim.world.clock, logger: createLogger({ level: 'warn', name: 'test-az-loss' }), runbookDir: DEFAULT_RUNBOOK_DIR, canary: sim.canary };
  const taskQueue = `test-az-loss-${randomUUID().slice(0, 8)}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: bundle, activities: createActivities(deps), shutdownGraceTime: '1s' });
  const running = worker.run();
  return {
    sim,
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      sim.close();
    },
  };
}

async function waitForPhase(handle: WorkflowHandle, phase: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const s = await handle.query(statusQuery);
    if (s.phase === phase) return;
    if (s.phase === 'done') throw new Error(`run finished before reaching ${phase}: ${s.detail}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`phase ${phase} not reached`);
}

/** Powers off the ElastiCache replica's AZ so the group cannot fail over: the run stays in awaiting-recovery. */
function blockCacheRecovery(sim: SimAws): void {
  sim.elasticacheSim.interruptAzPower('us-east-1', 'us-east-1b', ['payments-sessions']);
}

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never });
  connection = await Connection.connect({ address });
  client = new Client({ connection });
}, 120_000);

afterAll(async () => {
  await connection?.close();
});

describe('azLossGameDayWorkflow on the sim', () => {
  it('measures per-component recovery that agrees with the ground truth, then stops the experiment', async () => {
    const run = await startWorker();
    try {
      const report: RunReport = await client.workflow.execute(azLossGameDayWorkflow, {
        taskQueue: run.taskQueue,
        workflowId: `az-loss-e2e-${randomUUID().slice(0, 8)}`,
        args: [{ runbook: 'payments-prod', az: 'us-east-1a' }],
      });
      const log = run.sim.world.log;
      expect(report.outcome).toBe('completed');
      expect(report.scenario).toBe('az-loss');
      expect(report.awsMode).toBe('sim');
      const experimentId = report.details.experimentId as string;
      expect(experimentId).toMatch(/^EXP/);
      expect(report.details.experimentState).toBe('stopped');
      expect(log.find({ service: 'fis', resource: experimentId, event: 'experiment-stopped' })).toHaveLength(1);
      expect(report.details.componentsInAz).toEqual(['aurora:payments-use1', 'elasticache:payments-sessions', 'ec2:payments-api']);

      // Per component: measured, impaired = FIS action start, recovered within the poll window of the truth.
      const windows = report.details.components as { component: string; recoveredWindow?: { previousReadAt?: number; observedAt: number } }[];
      const truth: Record<string, { start: number; recovered: number }> = {
        'aurora:payments-use1': {
          start: log.find({ service: 'fis', resource: `${experimentId}/Failover-RDS`, event: 'action-running' })[0]!.at,
          recovered: log.find({ service: 'rds', resource: 'payments-use1', event: 'cluster-writer-changed' })[0]!.at,
        },
        'elasticache:payments-sessions': {
          start: log.find({ service: 'fis', resource: `${experimentId}/Pause-ElastiCache`, event: 'action-running' })[0]!.at,
          recovered: log.find({ service: 'elasticache', resource: 'payments-sessions', event: 'elasticache-available' })[0]!.at,
        },
        // Instances replaced: the last replacement of the group put in service (Pending → InService).
        'ec2:payments-api': {
          start: log.find({ service: 'fis', resource: `${experimentId}/Stop-Instances`, event: 'action-running' })[0]!.at,
          recovered: Math.max(...log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-in-service' }).map((e) => e.at)),
        },
      };
      for (const [component, t] of Object.entries(truth)) {
        expect(Number.isFinite(t.recovered)).toBe(true);
        const c = report.measurement.components.find((x) => x.component === component);
        expect(c?.rto.status).toBe('measured');
        if (c?.rto.status !== 'measured') continue;
        const w = windows.find((x) => x.component === component)!.recoveredWindow!;
        const impaired = report.timeline.find((e) => e.name === 'component-impaired' && e.component === component)!;
        expect(impaired.at).toBe(t.start);
        // The true recovery lies in (previous read, observed read]; the measured value is the observed read.
        expect(w.observedAt).toBeGreaterThanOrEqual(t.recovered);
        expect(w.previousReadAt).toBeDefined();
        expect(w.previousReadAt!).toBeLessThan(t.recovered + 100);
        expect(c.rto.valueMs).toBe(w.observedAt - t.start);
        expect(Math.abs(c.rto.valueMs - (t.recovered - t.start))).toBeLessThanOrEqual(w.observedAt - w.previousReadAt! + 100);
        expect(c.rto.targetMs).toBe(60_000);
      }
      expect(report.measurement.resolution.pollIntervalMs).toBe(1000);
      expect(report.measurement.rto.status).toBe('measured');
      expect(report.measurement.rpo).toMatchObject({ status: 'measured', valueMs: 0 });
      // The stopped instance in us-east-1a was replaced outside the AZ, and the group is back to desired capacity.
      const launched = log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-launched' });
      expect(launched.length).toBeGreaterThanOrEqual(1);
      for (const l of launched) expect(l.detail!['az']).not.toBe('us-east-1a');
      const group = await run.sim.autoscaling({ region: 'us-east-1' }).describeAutoScalingGroup('payments-api');
      const serving = group.instances.filter((i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy');
      expect(serving.length).toBe(group.desiredCapacity);
      expect(serving.some((i) => i.availabilityZone === 'us-east-1a')).toBe(false);
      expect(report.notes.join('\n')).not.toMatch(/instance replacement not measured/);
    } finally {
      await run.stop();
    }
  });

  it('a template that stops no instances leaves the ASG unwatched, with the reason in the notes', async () => {
    const run = await startWorker();
    try {
      const report: RunReport = await client.workflow.execute(azLossGameDayWorkflow, {
        taskQueue: run.taskQueue,
        workflowId: `az-loss-aurora-${randomUUID().slice(0, 8)}`,
        args: [{ runbook: 'payments-prod', az: 'us-east-1a', template: 'aurora-failover' }],
      });
      expect(report.outcome).toBe('completed');
      expect(report.details.componentsInAz).toContain('ec2:payments-api');
      expect(report.notes).toContain('ec2:payments-api: instance replacement not measured: template aurora-failover stops no instances (no aws:ec2:stop-instances action)');
      expect(report.measurement.components.map((c) => c.component)).not.toContain('ec2:payments-api');
      expect(report.measurement.components.find((c) => c.component === 'aurora:payments-use1')?.rto.status).toBe('measured');
      expect(run.sim.world.log.find({ service: 'autoscaling', event: 'asg-instance-launched' })).toHaveLength(0);
    } finally {
      await run.stop();
    }
  });

  it('az-instances-stop measures only instance replacement (the AZ stays up, so the group may relaunch there)', async () => {
    const run = await startWorker();
    try {
      const report: RunReport = await client.workflow.execute(azLossGameDayWorkflow, {
        taskQueue: run.taskQueue,
        workflowId: `az-loss-stop-${randomUUID().slice(0, 8)}`,
        args: [{ runbook: 'payments-prod', az: 'us-east-1a', template: 'az-instances-stop' }],
      });
      const log = run.sim.world.log;
      const experimentId = report.details.experimentId as string;
      expect(report.outcome).toBe('completed');
      expect(report.notes).toEqual(expect.arrayContaining([
        expect.stringMatching(/^aurora:payments-use1: not impaired, template az-instances-stop has no action on it/),
        expect.stringMatching(/^elasticache:payments-sessions: not impaired, template az-instances-stop has no action on it/),
      ]));
      expect(report.measurement.components.map((c) => c.component)).toEqual(['ec2:payments-api']);
      const stopped = log.find({ service: 'ec2', event: 'instance-stopped' });
      expect(stopped).toHaveLength(1);
      const inService = log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-in-service' });
      expect(inService).toHaveLength(1);
      expect(inService[0]!.detail!['replaces']).toBe(stopped[0]!.resource);
      const start = log.find({ service: 'fis', resource: `${experimentId}/Stop-Instances`, event: 'action-running' })[0]!.at;
      const c = report.measurement.components[0]!;
      expect(c.rto.status).toBe('measured');
      if (c.rto.status !== 'measured') return;
      const w = (report.details.components as { recoveredWindow?: { previousReadAt?: number; observedAt: number } }[])[0]!.recoveredWindow!;
      expect(w.observedAt).toBeGreaterThanOrEqual(inService[0]!.at);
      expect(w.previousReadAt!).toBeLessThan(inService[0]!.at + 100);
      expect(c.rto.valueMs).toBe(w.observedAt - start);
    } finally {
      await run.stop();
    }
  });

  it('abort mid-experiment stops the experiment and reports aborted', async () => {
    const run = await startWorker();
    try {
      blockCacheRecovery(run.sim);
      const handle = await client.workflow.start(azLossGameDayWorkflow, {
        taskQueue: run.taskQueue,
        workflowId: `az-loss-abort-${randomUUID().slice(0, 8)}`,
        args: [{ runbook: 'payments-prod', az: 'us-east-1a' }],
      });
      await waitForPhase(handle, 'awaiting-recovery');
      await handle.signal(abortSignal, { reason: 'test abort', by: 'jest' });
      const report: RunReport = await handle.result();
      expect(report.outcome).toBe('aborted');
      expect(report.outcomeReason).toMatch(/test abort/);
      const experimentId = report.details.experimentId as string;
      expect(report.details.experimentState).toBe('stopped');
      expect(report.details.experimentStoppedByGameday).toBe(true);
      expect(run.sim.world.log.find({ service: 'fis', resource: experimentId, event: 'experiment-stopped' })).toHaveLength(1);
      expect(run.sim.fisSim.isAzImpaired('us-east-1', 'us-east-1a')).toBe(false);
    } finally {
      await run.stop();
    }
  });

  it('cancelling the workflow also stops the experiment', async () => {
    const run = await startWorker();
    try {
      blockCacheRecovery(run.sim);
      const handle = await client.workflow.start(azLossGameDayWorkflow, {
        taskQueue: run.taskQueue,
        workflowId: `az-loss-cancel-${randomUUID().slice(0, 8)}`,
        args: [{ runbook: 'payments-prod', az: 'us-east-1a' }],
      });
      await waitForPhase(handle, 'awaiting-recovery');
      const { experimentId } = (await handle.query(statusQuery)).data as { experimentId: string };
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
      expect(run.sim.world.log.find({ service: 'fis', resource: experimentId, event: 'experiment-stopped' })).toHaveLength(1);
    } finally {
      await run.stop();
    }
  });

  it('a stop-condition alarm halts the run and the report names the alarm', async () => {
    const run = await startWorker();
    try {
      blockCacheRecovery(run.sim);
      const handle = await client.workflow.start(azLossGameDayWorkflow, {
        taskQueue: run.taskQueue,
        workflowId: `az-loss-halt-${randomUUID().slice(0, 8)}`,
        args: [{ runbook: 'payments-prod', az: 'us-east-1a' }],
      });
      await waitForPhase(handle, 'awaiting-recovery');
      run.sim.cloudwatchSim.setAlarmState('payments-error-rate-critical', 'ALARM', 'error rate above 5 %');
      const report: RunReport = await handle.result();
      expect(report.outcome).toBe('halted');
      expect(report.outcomeReason).toMatch(/stop condition fired: payments-error-rate-critical/);
      expect(report.details.haltedBy).toEqual(['payments-error-rate-critical']);
      const experimentId = report.details.experimentId as string;
      expect(report.details.experimentState).toBe('stopped');
      expect(report.details.experimentStoppedByGameday).toBe(false);
      expect(run.sim.world.log.find({ service: 'fis', resource: experimentId, event: 'experiment-stopped-by-condition' })).toHaveLength(1);
    } finally {
      await run.stop();
    }
  });

  it('bad input fails in the first activity, naming the field', async () => {
    const run = await startWorker();
    try {
      const err = await client.workflow
        .execute(azLossGameDayWorkflow, {
          taskQueue: run.taskQueue,
          workflowId: `az-loss-bad-${randomUUID().slice(0, 8)}`,
          args: [{ runbook: 'payments-prod', az: 'us-east-1' } as never],
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause as { cause?: { message: string; type?: string } };
      expect(cause.cause?.type).toBe('InvalidAzLossInput');
      expect(cause.cause?.message).toMatch(/az: expected an AZ name such as "us-east-1a"/);
      expect(run.sim.world.apiCalls.filter((c) => c.service === 'fis' || c.service === 'rds')).toHaveLength(0);
    } finally {
      await run.stop();
    }
  });

  it('fisTemplatesWorkflow diffs, then applies idempotently (created, then unchanged)', async () => {
    const run = await startWorker();
    try {
      const input = { runbook: 'payments-prod', az: 'us-east-1a', templates: ['aurora-failover', 'elasticache-az-power'] };
      const exec = (mode: 'diff' | 'apply') =>
        client.workflow.execute(fisTemplatesWorkflow, { taskQueue: run.taskQueue, workflowId: `fis-${mode}-${randomUUID().slice(0, 8)}`, args: [{ ...input, mode }] });
      expect((await exec('diff')).templates.map((t) => t.action)).toEqual(['would-create', 'would-create']);
      const applied = await exec('apply');
      expect(applied.templates.map((t) => t.action)).toEqual(['created', 'created']);
      expect(run.sim.world.log.find({ service: 'fis', event: 'experiment-template-created' })).toHaveLength(2);
      expect((await exec('apply')).templates.map((t) => [t.action, t.id])).toEqual(applied.templates.map((t) => ['unchanged', t.id]));
      expect((await exec('diff')).templates.every((t) => t.action === 'unchanged' && t.differences.length === 0)).toBe(true);
    } finally {
      await run.stop();
    }
  });
});
