/**
 * azLossGameDayWorkflow end to end on the simulated AWS (real Temporal dev server, in-process
 * worker): the measured per-component RTO agrees with the sim's ground truth within the
 * measurement's resolution; the service verdict is RTO and RPO only; an abort or a cancellation at
 * each step leaves nothing behind (no experiment running, canary stopped and its rows deleted,
 * no watch polling); a stop-condition alarm halts the run and the report names it; bad input fails
 * in the first activity naming the field.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WatchCheckpoint } from '../activities/az-loss/watch-loop';
import { createActivities, type Activities } from '../activities';
import { loadTemporalConnection } from '../lib/temporal-connection';
import type { ActivityDeps } from '../activities/deps';
import type { ComponentWatchResult } from '../contracts/az-loss';
import { abortSignal, statusQuery, type RunStatus } from '../contracts/run';
import { createLogger } from '../lib/logger';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { createSimFromRunbookDir, type SimAws } from '../sim';
import { azLossGameDayWorkflow, fisTemplatesWorkflow } from '../workflows';
import type { RunReport } from '../lib/measurement-types';
import { renderHtml, renderMarkdown } from '../lib/report';

const temporal = loadTemporalConnection();
const SCALE = 60;
let bundle: WorkflowBundleWithSourceMap;
let connection: Connection;
let client: Client;

interface Run {
  readonly sim: SimAws;
  readonly taskQueue: string;
  stop(): Promise<void>;
}

/** A gate an activity waits at (heartbeating, so a cancellation reaches it) until the test opens it. */
class Gate {
  entered = false;
  open!: () => void;
  readonly opened = new Promise<void>((ok) => (this.open = ok));
}

/** `fn`, held at `gate` before it runs. */
function held<F extends (input: never) => Promise<unknown>>(fn: F, gate: Gate): F {
  return (async (input: never) => {
    gate.entered = true;
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 50);
    try {
      await Promise.race([gate.opened, ctx.cancelled]);
    } finally {
      clearInterval(beat);
    }
    return fn(input);
  }) as F;
}

/** A fresh sim (seeded from the runbooks) and a worker on a private task queue; `holds` gates some activities. */
async function startWorker(holds: Partial<Record<keyof Activities, Gate>> = {}): Promise<Run> {
  const sim = createSimFromRunbookDir(DEFAULT_RUNBOOK_DIR, { scale: SCALE });
  const deps: ActivityDeps = {
    aws: sim,
    clock: sim.world.clock,
    logger: createLogger({ level: 'warn', name: 'test-az-loss' }),
    runbookDir: DEFAULT_RUNBOOK_DIR,
    canary: sim.canary,
  };
  const taskQueue = `test-az-loss-${randomUUID().slice(0, 8)}`;
  const nativeConnection = await NativeConnection.connect(temporal.options);
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: Object.fromEntries(
      Object.entries(createActivities(deps)).map(([name, fn]) => {
        const gate = holds[name as keyof Activities];
        return [name, gate ? held(fn as (input: never) => Promise<unknown>, gate) : fn];
      }),
    ),
    shutdownGraceTime: '1s',
  });
  const running = worker.run();
  return {
    sim,
    taskQueue,
    stop: async () => {
      for (const g of Object.values(holds)) g.open();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      sim.close();
    },
  };
}

/** Waits (wall time, bounded) until `ok()`; for test choreography only, never a timing assertion. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 3000 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error('condition not reached');
}

/** Waits until the run's status shows `step` running. */
async function untilStep(handle: WorkflowHandle, step: string): Promise<RunStatus> {
  for (let i = 0; i < 1500; i++) {
    const s = await handle.query(statusQuery);
    if (s.step === step && s.steps.find((x) => x.step === step)?.state === 'running') return s;
    if (s.phase !== 'running') throw new Error(`run ended before ${step}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`step ${step} not reached`);
}

const CANARY_TABLE = 'payments.gameday_canary';

/** Canary rows of `runId` on the payments cluster (ground truth). */
async function canaryRows(sim: SimAws, runId: string): Promise<number> {
  const arn = (await sim.rds({ region: 'us-east-1' }).describeDbCluster('payments-use1')).dbClusterArn;
  return sim.canary.countRows(arn, CANARY_TABLE, runId);
}

/** Every experiment the sim started, with its status now (ground truth). */
async function experiments(sim: SimAws): Promise<{ id: string; status: string }[]> {
  const ids = sim.world.log.find({ service: 'fis', event: 'experiment-pending' }).map((e) => e.resource);
  return Promise.all(ids.map(async (id) => ({ id, status: (await sim.fis({ region: 'us-east-1' }).getExperiment(id)).state.status })));
}

/** Powers off the ElastiCache replica's AZ so the group cannot fail over: the run stays in awaiting-recovery. */
function blockCacheRecovery(sim: SimAws): void {
  sim.elasticacheSim.interruptAzPower('us-east-1', 'us-east-1b', ['payments-sessions']);
}

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
  });
  connection = await Connection.connect(temporal.options);
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
      expect({ outcome: report.outcome, reason: report.outcomeReason }).toEqual({ outcome: 'completed', reason: undefined });
      expect(report.scenario).toBe('az-loss');
      expect(report.awsMode).toBe('sim');
      const experimentId = report.details.experimentId as string;
      expect(experimentId).toMatch(/^EXP/);
      expect(report.details.experimentState).toBe('stopped');
      expect(log.find({ service: 'fis', resource: experimentId, event: 'experiment-stopped' })).toHaveLength(1);
      expect(report.details.componentsInAz).toEqual(['aurora:payments-use1', 'elasticache:payments-sessions', 'ec2:payments-api']);

      // Per component: measured, impaired = FIS action start, recovered within the poll window of the truth.
      const windows = report.details.components as {
        component: string;
        recoveredWindow?: { previousReadAt?: number; observedAt: number };
      }[];
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
          recovered: Math.max(
            ...log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-in-service' }).map((e) => e.at),
          ),
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
      expect(report.notes.join('\n')).toMatch(
        /resolution: every recovery lies in \(previous read, observed read\]; widest window \d+ ms at a poll interval of 1000 ms/,
      );

      // Every watch made its baseline read before the fault (armed), so each has a read before its recovery.
      const fault = report.timeline.find((e) => e.name === 'fault-injected')!;
      // The fault starts when the first FIS action started (its own startTime), not the experiment.
      expect(fault.at).toBe(Math.min(...Object.values(truth).map((t) => t.start)));
      expect(fault.detail).toMatch(/first action .* started \d+ ms after the experiment/);
      const armed = report.details.watchesArmed as Record<string, { at: number; baseline: string }>;
      expect(Object.keys(armed).sort()).toEqual(['aurora:payments-use1', 'ec2:payments-api', 'elasticache:payments-sessions', 'service']);
      for (const a of Object.values(armed)) expect(a.at).toBeLessThan(fault.at);
      expect(armed['aurora:payments-use1']!.baseline).toMatch(/writer payments-use1-a in us-east-1a/);

      // Overall RTO = service downtime: fault → data path (writer, primary) serving outside the AZ
      // with the health alarms OK; it lies within the app-healthy watch's window of the ground truth.
      const appHealthy = report.timeline.find((e) => e.name === 'app-healthy')!;
      expect(appHealthy.source).toBe('watchServiceHealth');
      const okAgain = log
        .find({ service: 'cloudwatch', resource: 'payments-use1-5xx', event: 'alarm-state-changed' })
        .filter((e) => e.detail!['to'] === 'OK')
        .map((e) => e.at);
      const serviceTruth = Math.max(
        truth['aurora:payments-use1']!.recovered,
        truth['elasticache:payments-sessions']!.recovered,
        ...okAgain,
      );
      const hw = (report.details.appHealthy as { recoveredWindow: { previousReadAt: number; observedAt: number } }).recoveredWindow;
      expect(hw.observedAt).toBe(appHealthy.at);
      expect(hw.observedAt).toBeGreaterThanOrEqual(serviceTruth);
      expect(hw.previousReadAt).toBeLessThan(serviceTruth + 100);
      expect(report.measurement.rto).toMatchObject({ status: 'measured', valueMs: appHealthy.at - fault.at, targetMs: 60_000 });
      // Slow instance replacement is a component finding (fail, with its margin), not service downtime.
      const ec2 = report.measurement.components.find((c) => c.component === 'ec2:payments-api')!;
      const ec2Truth = truth['ec2:payments-api']!;
      expect(ec2Truth.recovered - ec2Truth.start).toBeGreaterThan(60_000);
      expect(ec2).toMatchObject({ label: 'capacity restored, not service downtime', rto: { status: 'measured', verdict: 'fail' } });
      if (ec2.rto.status === 'measured' && report.measurement.rto.status === 'measured') {
        expect(ec2.rto.marginMs).toBe(60_000 - ec2.rto.valueMs);
        expect(report.measurement.rto.valueMs).toBeLessThan(ec2.rto.valueMs);
      }
      // The service verdict is the service's figures (RTO, RPO), both passing; the group's slow
      // capacity restore fails its own figure only.
      expect(report.measurement.rto).toMatchObject({ verdict: 'pass' });
      expect(report.measurement.verdict).toBe('pass');
      expect(report.measurement.components.find((c) => c.component === 'aurora:payments-use1')!.label).toBe(
        'writer moved out of us-east-1a',
      );
      const md = renderMarkdown(report);
      expect(md).toMatch(/\| RTO ec2:payments-api \(capacity restored, not service downtime\) \| .* \| 1 min 00 s \| −.* \| FAIL \|/);
      expect(md).toContain('| RTO aurora:payments-use1 (writer moved out of us-east-1a) |');
      expect(md).toContain('RTO (service downtime) = fault-injected → app-healthy');
      expect(renderHtml(report)).toContain('RTO ec2:payments-api (capacity restored, not service downtime)');
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
      // Nothing left behind: the canary's rows are deleted and no experiment runs.
      expect(await canaryRows(run.sim, report.workflowId)).toBe(0);
      expect(report.notes).toEqual(
        expect.arrayContaining([expect.stringMatching(/^canary: [1-9]\d* row\(s\) of az-loss-e2e-\S+ deleted$/)]),
      );
      expect((await experiments(run.sim)).map((e) => e.status)).toEqual(['stopped']);
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
      expect(report.notes).toContain(
        'ec2:payments-api: instance replacement not measured: template aurora-failover stops no instances (no aws:ec2:stop-instances action)',
      );
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
      expect(report.notes).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^aurora:payments-use1: not impaired, template az-instances-stop has no action on it/),
          expect.stringMatching(/^elasticache:payments-sessions: not impaired, template az-instances-stop has no action on it/),
        ]),
      );
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
      // No data-path component impaired: the service was not seen down; app-healthy = first alarms-OK read after the fault.
      expect(report.timeline.find((e) => e.name === 'app-healthy')?.source).toBe('awaitHealthAlarmsOk');
      expect(report.notes).toContain(
        'template az-instances-stop impairs no data-path component (Aurora writer, ElastiCache primary) in us-east-1a: app-healthy = first read after the fault with every health alarm OK (the service was not seen down)',
      );
      expect(report.measurement.components[0]!.label).toBe('capacity restored, not service downtime');
    } finally {
      await run.stop();
    }
  });

  it('a retried instance watch resumes from its heartbeat checkpoint and still sees the lost instance replaced', async () => {
    // az-instances-stop keeps the AZ up: the group may relaunch into it, so only the instances seen
    // lost tell recovery apart. A fresh attempt after the loss would not know them; a resumed one does.
    const sim = createSimFromRunbookDir(DEFAULT_RUNBOOK_DIR, { scale: SCALE });
    const deps: ActivityDeps = {
      aws: sim,
      clock: sim.world.clock,
      logger: createLogger({ level: 'warn', name: 'test-az-loss-resume' }),
      runbookDir: DEFAULT_RUNBOOK_DIR,
      canary: sim.canary,
    };
    const acts = createActivities(deps);
    try {
      const plan = await acts.prepareAzLoss({ runbook: 'payments-prod', az: 'us-east-1a', template: 'az-instances-stop' });
      const ref = { region: plan.region, account: plan.account };
      const component = plan.components.find((c) => c.kind === 'ec2')!;
      const templateActions = Object.fromEntries(Object.entries(plan.template.input.actions).map(([n, a]) => [n, a.actionId]));
      // The baseline read before the fault: the watch continues from it.
      const baseline = await acts.armRecoveryWatch({ ...ref, az: plan.az, spec: { kind: 'component', component, templateActions } });
      expect(baseline).toMatchObject({ watch: 'ec2:payments-api', ok: false });
      expect(baseline.firstInAz).toHaveLength(1);
      const input = { ...ref, az: plan.az, component, templateActions, timeoutMs: 15 * 60_000, pollIntervalMs: 1000, baseline };

      // Attempt 1: continues from the baseline, sees the instance lost, then dies (cancelled).
      const first = new MockActivityEnvironment({ attempt: 1 });
      let checkpoint: WatchCheckpoint | undefined;
      first.on('heartbeat', (d: WatchCheckpoint) => (checkpoint = d));
      const attempt1 = first.run(acts.watchComponentRecovery, input).catch((e: unknown) => e);
      const tpl = { name: plan.template.name, region: plan.region, account: plan.account, input: plan.template.input };
      const created = await acts.createFisTemplate({ template: tpl, clientToken: 'resume-test-template' });
      const exp = await acts.startFisExperiment({ ...ref, templateId: created.id, clientToken: 'resume-test-experiment' });
      await until(() => (checkpoint?.lost ?? []).length > 0);
      first.cancel('WORKER_SHUTDOWN');
      await attempt1;
      const seen = checkpoint!;
      expect(seen.lost).toHaveLength(1);

      // The lost instance is gone from the group before the retry starts: only the checkpoint remembers it.
      const group = sim.autoscaling({ region: plan.region });
      for (
        let i = 0;
        i < 3000 && (await group.describeAutoScalingGroup('payments-api')).instances.some((x) => seen.lost!.includes(x.instanceId));
        i++
      ) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect((await group.describeAutoScalingGroup('payments-api')).instances.map((x) => x.instanceId)).not.toContain(seen.lost![0]);
      // Attempt 2: resumes (keeps the lost instance and the last read) and sees the replacement in service.
      const second = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: seen });
      const res: ComponentWatchResult = await second.run(acts.watchComponentRecovery, input);
      const stopped = sim.world.log.find({ service: 'ec2', event: 'instance-stopped' });
      expect(stopped.map((e) => e.resource)).toEqual(seen.lost);
      const inService = sim.world.log.find({ service: 'autoscaling', resource: 'payments-api', event: 'asg-instance-in-service' });
      expect(inService).toHaveLength(1);
      expect(inService[0]!.detail!['replaces']).toBe(stopped[0]!.resource);
      expect(res.note).toBeUndefined();
      expect(res.attempts).toBe(2);
      expect(res.firstReadAt).toBe(seen.firstReadAt);
      expect(res.firstReadAt).toBeLessThan(exp.startedAt);
      expect(res.recoveredWindow!.observedAt).toBeGreaterThanOrEqual(inService[0]!.at);
      expect(res.recoveredWindow!.previousReadAt).toBeLessThan(inService[0]!.at + 100);
      expect(res.recoveredWindow!.previousReadAt).toBeGreaterThanOrEqual(seen.lastReadAt);

      expect(res.firstReadAt).toBe(baseline.at);

      // Without the checkpoint, a fresh attempt still continues from the baseline: it knows the AZ's
      // instances, so it sees the lost one replaced; its window opens at the baseline read (wider, never blind).
      const fresh: ComponentWatchResult = await new MockActivityEnvironment({ attempt: 2 }).run(acts.watchComponentRecovery, input);
      expect(fresh.recoveredWindow!.previousReadAt).toBe(baseline.at);
      expect(fresh.recoveredWindow!.observedAt).toBeGreaterThanOrEqual(inService[0]!.at);
      expect(fresh.attempts).toBe(2);
      await acts.stopFisExperiment({ ...ref, experimentId: exp.experimentId });
    } finally {
      sim.close();
    }
  });

  it('abort while awaiting recovery stops the experiment and reports aborted', async () => {
    const run = await startWorker();
    try {
      blockCacheRecovery(run.sim);
      const handle = await client.workflow.start(azLossGameDayWorkflow, {
        taskQueue: run.taskQueue,
        workflowId: `az-loss-abort-${randomUUID().slice(0, 8)}`,
        args: [{ runbook: 'payments-prod', az: 'us-east-1a' }],
      });
      const { experimentId } = (await untilStep(handle, 'await recovery')).data as { experimentId: string };
      await handle.signal(abortSignal, { reason: 'test abort', by: 'jest' });
      const report: RunReport = await handle.result();
      expect(report.outcome).toBe('aborted');
      expect(report.outcomeReason).toBe('aborted by jest: test abort');
      expect(report.details.experimentId).toBe(experimentId);
      expect(report.details.experimentState).toBe('stopped');
      expect(report.details.experimentStoppedByGameday).toBe(true);
      expect(run.sim.world.log.find({ service: 'fis', resource: experimentId, event: 'experiment-stopped' })).toHaveLength(1);
      expect(run.sim.fisSim.isAzImpaired('us-east-1', 'us-east-1a')).toBe(false);
    } finally {
      await run.stop();
    }
  });

  /** Each step, and the activity held there so the abort or cancellation lands in it. */
  const STEP_HOLDS: readonly (readonly [string, keyof Activities | undefined])[] = [
    ['steady state', 'checkAzSteadyState'],
    ['template', 'findFisTemplate'],
    ['canary', 'awaitCanaryWrites'],
    ['arm watches', 'armRecoveryWatch'],
    ['start experiment', 'startFisExperiment'],
    ['await recovery', undefined],
  ];
  const FAULTED = ['start experiment', 'await recovery'];

  describe.each(STEP_HOLDS)('at step "%s"', (step, activity) => {
    it.each(['abort', 'cancel'] as const)('%s leaves nothing behind (sim ground truth)', async (how) => {
      const gate = new Gate();
      const run = await startWorker(activity ? { [activity]: gate } : {});
      try {
        if (step === 'await recovery') blockCacheRecovery(run.sim);
        const handle = await client.workflow.start(azLossGameDayWorkflow, {
          taskQueue: run.taskQueue,
          workflowId: `az-loss-${how}-${step.replace(/ /g, '-')}-${randomUUID().slice(0, 8)}`,
          args: [{ runbook: 'payments-prod', az: 'us-east-1a' }],
        });
        await untilStep(handle, step);
        if (activity) await until(() => gate.entered);
        if (step === 'canary') {
          for (let i = 0; i < 500 && (await canaryRows(run.sim, handle.workflowId)) === 0; i++) await new Promise((r) => setTimeout(r, 10));
          expect(await canaryRows(run.sim, handle.workflowId)).toBeGreaterThan(0); // the writer is writing
        }
        if (how === 'abort') await handle.signal(abortSignal, { reason: 'test: stop', by: 'jest' });
        else await handle.cancel();
        if (step === 'start experiment') {
          // The start is never cut off mid-call: the run waits for it, then undoes it.
          await new Promise((r) => setTimeout(r, 300));
          expect((await handle.query(statusQuery)).steps.find((x) => x.step === step)?.state).toBe('running');
          gate.open();
        }
        if (how === 'abort') {
          const report: RunReport = await handle.result();
          expect(report.outcome).toBe('aborted');
          expect(report.outcomeReason).toBe('aborted by jest: test: stop');
        } else {
          await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
        }
        const s = await handle.query(statusQuery);
        expect(s.phase).toBe(how === 'abort' ? 'aborted' : 'cancelled');
        expect(s.steps.find((x) => x.step === step)?.state).toBe(step === 'start experiment' ? 'done' : 'cancelled');
        expect(s.undo.filter((u) => u.state !== 'done')).toEqual([]);
        const undone = s.undo.map((u) => u.step);
        if (FAULTED.includes(step)) expect(undone).toContain('stop experiment');

        // Ground truth: no experiment left running, the AZ is whole, no canary row left.
        expect((await experiments(run.sim)).map((e) => e.status)).toEqual(FAULTED.includes(step) ? ['stopped'] : []);
        expect(run.sim.fisSim.isAzImpaired('us-east-1', 'us-east-1a')).toBe(false);
        expect(await canaryRows(run.sim, handle.workflowId)).toBe(0);
        // Nothing keeps running: no watch, experiment wait or canary writer touches the world any more.
        const calls = run.sim.world.apiCalls.length;
        await new Promise((r) => setTimeout(r, 500));
        expect(run.sim.world.apiCalls.slice(calls)).toEqual([]);
        expect(await canaryRows(run.sim, handle.workflowId)).toBe(0);
      } finally {
        await run.stop();
      }
    });
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
      await untilStep(handle, 'await recovery');
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
      const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
      expect(cause.type).toBe('InvalidAzLossInput');
      expect(cause.message).toMatch(/az: expected an AZ name such as "us-east-1a"/);
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
        client.workflow.execute(fisTemplatesWorkflow, {
          taskQueue: run.taskQueue,
          workflowId: `fis-${mode}-${randomUUID().slice(0, 8)}`,
          args: [{ ...input, mode }],
        });
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
