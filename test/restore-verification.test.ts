/**
 * restoreVerificationWorkflow on the real dev server against the simulated AWS: the restore takes
 * the sim's realistic durations and the report's restore time matches the ground truth within the
 * measurement's resolution; the temporary cluster and instance are deleted on success, on a failed
 * verification, and on cancellation; bad input is refused naming the field.
 */
import { awsCallCountInterceptors } from '../lib/aws-call-count-interceptor';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../lib/workflow-interceptor-modules';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { createActivities } from '../activities';
import { createSimFromRunbooks } from '../lib/composition-root';
import { createLogger } from '../lib/logger';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { readFileSync } from 'node:fs';
import { startSimServer } from '../sim/server';
import { startMariadb, startPostgres, testSecrets, type TestDatabase } from './helpers/databases';
import { createRestoreActivities } from '../activities/restore';
import { createSqlCheckRunner } from '../activities/restore/sql-check-runner';
import { judgeSqlCheck } from '../activities/restore/restore-checks';
import type { CanaryTarget } from '../activities/canary/canary-store';
import { CallSpacer, withRdsBudget } from '../activities/restore/rate-budget';
import { scaledClock } from '../lib/clock';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { runBudgetWorkers, startTestWorker, type TestWorker } from './helpers/worker';
import { restoreVerificationWorkflow } from '../workflows/restore-verification-workflow';
import { statusQuery } from '../contracts/run';
import type { RunReport } from '../lib/measurement-types';
import type { GroundTruthEvent } from '../sim/world';

const SCALE = 300;
let w: TestWorker;

beforeAll(async () => {
  w = await startTestWorker('restore-verification', { scale: SCALE });
});
afterAll(async () => {
  await w?.shutdown();
});

function gt(resource: string, event: string): GroundTruthEvent[] {
  return w.sim.world.log.find({ service: 'rds', resource, event });
}

/** Resolves once the run's status shows one of `steps` running (polling the status query); returns its data. */
async function waitForStep(
  handle: WorkflowHandle,
  steps: string[],
  diagnostics: () => string = () => '',
): Promise<Record<string, unknown>> {
  const until = Date.now() + 90_000;
  let last: string | undefined;
  for (;;) {
    if (Date.now() > until) throw new Error(`workflow never reached ${steps.join('|')} (last step ${last ?? 'none'}) ${diagnostics()}`);
    const s = await handle.query(statusQuery).catch((err: unknown) => {
      // The first workflow task may not have run yet (no handler): query again.
      if (!(err instanceof Error)) throw err;
      return undefined;
    });
    last = s?.step ?? last;
    if (s && steps.includes(s.step) && s.steps.find((x) => x.step === s.step)?.state === 'running')
      return (s.data ?? {}) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function expectCleanedUp(clusterId: string, instanceId: string): Promise<void> {
  expect(gt(instanceId, 'instance-delete-requested')).toHaveLength(1);
  expect(gt(clusterId, 'cluster-delete-requested')).toHaveLength(1);
  expect(gt(clusterId, 'cluster-deleted')).toHaveLength(1);
  await expect(w.sim.rdsSim.api({ region: 'us-east-2', accountId: '444455556666' }).describeDbCluster(clusterId)).rejects.toMatchObject({
    name: 'DBClusterNotFoundFault',
  });
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = (err as WorkflowFailedError).cause;
  while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as Error).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

test('PITR to the latest restorable time: verified, measured against ground truth, then deleted', async () => {
  const workflowId = w.id('rv-analytics');
  const report: RunReport = await w.client.workflow.execute(restoreVerificationWorkflow, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ runbook: 'analytics-prod' }],
  });
  expect(report.scenario).toBe('restore-verification');
  expect(report.outcome).toBe('completed');
  const d = report.details as Record<string, unknown>;
  const clusterId = d.restoredCluster as string;
  const instanceId = d.restoredInstance as string;
  expect(clusterId).toMatch(/^gameday-rv-[0-9a-f]{12}$/);

  // Created with the ownership tags, in the isolated subnet group.
  const requested = gt(clusterId, 'cluster-restore-requested');
  expect(requested).toHaveLength(1);
  expect(requested[0]!.detail).toMatchObject({ source: 'analytics-use2' });

  // Verification: markers present, the runbook's SQL check run (the sim answers count(*)).
  const checks = d.checks as { name: string; status: string }[];
  expect(checks.find((c) => c.name === 'canary markers')?.status).toBe('pass');
  expect(checks.find((c) => c.name === 'events table not empty')).toMatchObject({ status: 'pass', detail: '3 ≥ 0' });

  // Restore time: the truth (request → instance available) lies in the window the report states,
  // (earliestMs, valueMs]: the end is seen by polling. How wide that window gets under load is a
  // benchmark's business (`npm run bench`), not a test's.
  const truth = gt(instanceId, 'instance-available')[0]!.at - requested[0]!.at;
  expect(report.measurement.rto.status).toBe('measured');
  const measured = report.measurement.rto.status === 'measured' ? report.measurement.rto.valueMs : NaN;
  const earliest = report.measurement.rto.status === 'measured' ? report.measurement.rto.earliestMs : undefined;
  expect(earliest).toBeDefined();
  expect(truth).toBeLessThanOrEqual(measured);
  expect(truth).toBeGreaterThan(earliest!);
  expect(report.measurement.resolution.awsCalls).toBeGreaterThanOrEqual(12);
  expect(truth).toBeGreaterThanOrEqual(10 * 60_000); // sim: restore ≥ 5 min + instance ≥ 5 min
  expect(report.measurement.rto.targetMs).toBe(24 * 3_600_000);
  expect(report.measurement.verdict).toBe('pass');
  expect(report.timeline.map((e) => e.name)).toEqual(['restore-started', 'restore-available', 'verification-finished', 'cleanup-finished']);

  expect(report.notes.filter((n) => n.startsWith('run metrics not published'))).toEqual([]);
  expect(report.notes).toContain(
    'check PASS: canary markers — 3 marker row(s) written before the restore point present, 0 written after it absent',
  );
  // The evidence is searchable: GamedayScenario / GamedayVerdict on the run.
  const desc = await w.client.workflow.getHandle(workflowId).describe();
  expect(desc.searchAttributes).toMatchObject({ GamedayScenario: ['restore-verification'], GamedayVerdict: ['pass'] });

  await expectCleanedUp(clusterId, instanceId);
});

test('a failed verification fails loudly and still deletes the temporary resources', async () => {
  const workflowId = w.id('rv-missing-rows');
  const handle = await w.client.workflow.start(restoreVerificationWorkflow, {
    taskQueue: w.taskQueue,
    workflowId,
    args: [{ runbook: 'analytics-prod' }],
  });
  // Once the restored cluster is available (its instance is being created), delete the marker
  // rows from it: the restored data is then missing rows it must have.
  const data = await waitForStep(handle, ['create-instance', 'await-instance']);
  const clusterId = data.tempClusterId as string;
  const restored = await w.sim.rdsSim.api({ region: 'us-east-2', accountId: '444455556666' }).describeDbCluster(clusterId);
  const arn = restored.dbClusterArn;
  // The temporary cluster is in the runbook's isolated subnet group and tagged as ours.
  expect(restored.dbSubnetGroup).toBe('gameday-isolated');
  expect(restored.tags).toMatchObject({
    'gameday:owner': 'gameday',
    'gameday:workflow-id': workflowId,
    'gameday:purpose': 'restore-verification',
  });
  expect(Date.parse(restored.tags['gameday:created-at']!)).toBeGreaterThan(0);
  const table = 'analytics.gameday_canary';
  expect(w.sim.canary.countRows(arn, table, data.markerRunId as string)).toBe(3);
  w.sim.canary
    .cluster(arn)
    .tables.get(table)!
    .delete(data.markerRunId as string);

  const failure = await failureOf(handle.result());
  expect(failure.type).toBe('RestoreVerificationFailed');
  expect(failure.message).toMatch(/canary markers: missing marker row\(s\) seq 1, 2, 3/);
  const report = failure.details?.[0] as RunReport;
  expect(report.outcome).toBe('failed');
  expect(report.measurement.verdict).toBe('fail');
  await expectCleanedUp(clusterId, data.tempInstanceId as string);
});

test('cancellation mid-restore still deletes the temporary cluster', async () => {
  const handle = await w.client.workflow.start(restoreVerificationWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: w.id('rv-cancel'),
    args: [{ runbook: 'payments-prod' }],
  });
  const data = await waitForStep(handle, ['restore', 'await-cluster']);
  // Mid-restore: once the restore request has reached AWS (a step on the budget queue can be
  // cancelled between its attempts, before its call).
  const until = Date.now() + 60_000;
  while (gt(data.tempClusterId as string, 'cluster-restore-requested').length === 0) {
    if (Date.now() > until) throw new Error('the restore was never requested');
    await new Promise((r) => setTimeout(r, 5));
  }
  await handle.cancel();
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const clusterId = data.tempClusterId as string;
  expect(w.sim.world.log.find({ service: 'rds', resource: clusterId, event: 'cluster-deleted' })).toHaveLength(1);
  await expect(w.sim.rdsSim.api({ region: 'us-east-1', accountId: '111122223333' }).describeDbCluster(clusterId)).rejects.toMatchObject({
    name: 'DBClusterNotFoundFault',
  });
});

test('snapshot restore: the rows written after the snapshot are absent; resources deleted', async () => {
  const snap = w.sim.rdsSim.listSnapshots('analytics-use2')[0]!;
  const report: RunReport = await w.client.workflow.execute(restoreVerificationWorkflow, {
    taskQueue: w.taskQueue,
    workflowId: w.id('rv-snapshot'),
    args: [{ runbook: 'analytics-prod', snapshotId: snap.id }],
  });
  const d = report.details as Record<string, unknown>;
  expect(d.mode).toBe('snapshot');
  const markers = (d.checks as { name: string; status: string; detail: string }[]).find((c) => c.name === 'canary markers')!;
  expect(markers.status).toBe('pass');
  expect(markers.detail).toMatch(/^0 marker row\(s\) written before the restore point present, 3 written after it absent/);
  expect(report.measurement.rto.status).toBe('measured');
  expect(report.measurement.rpo.status).toBe('not-measured');
  await expectCleanedUp(d.restoredCluster as string, d.restoredInstance as string);
});

test('bad input is refused before any AWS call, naming the field', async () => {
  const before = w.sim.world.apiCalls.length;
  const failure = await failureOf(
    w.client.workflow.execute(restoreVerificationWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: w.id('rv-bad'),
      args: [{ runbook: 'analytics-prod', to: 'yesterday', extra: 1 } as never],
    }),
  );
  expect(failure.message).toMatch(/input\.extra: unknown field/);
  expect(failure.type).toBe('InvalidInput');
  const failure2 = await failureOf(
    w.client.workflow.execute(restoreVerificationWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: w.id('rv-bad-to'),
      args: [{ runbook: 'analytics-prod', to: 'yesterday' }],
    }),
  );
  expect(failure2.message).toMatch(/input\.to: "yesterday" is not a time/);
  expect(w.sim.world.apiCalls.slice(before).filter((c) => c.operation.startsWith('restore'))).toHaveLength(0);
});

test('a worker killed mid-restore: the run resumes on another worker and still deletes everything', async () => {
  // The sim lives in this process behind its HTTP server, so it keeps its state when the worker dies.
  const sim = createSimFromRunbooks(DEFAULT_RUNBOOK_DIR, SCALE);
  const server = await startSimServer({ sim });
  const taskQueue = `test-rv-crash-${randomUUID().slice(0, 8)}`;
  const root = join(__dirname, '..');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'worker.ts')], {
    cwd: root,
    env: { ...process.env, GAMEDAY_AWS: 'sim', GAMEDAY_SIM_URL: server.url, GAMEDAY_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let childErr = '';
  child.stderr!.on('data', (b: Buffer) => (childErr += b.toString()));
  let second: { worker: Worker; running: Promise<void>; connection: NativeConnection; stopBudget: () => Promise<void> } | undefined;
  try {
    const handle = await w.client.workflow.start(restoreVerificationWorkflow, {
      taskQueue,
      workflowId: w.id('rv-crash'),
      args: [{ runbook: 'analytics-prod' }],
    });
    const data = await waitForStep(
      handle,
      ['restore', 'await-cluster', 'create-instance', 'await-instance'],
      () => `child worker stderr: ${childErr.slice(-2000)}`,
    );
    const clusterId = data.tempClusterId as string;
    // Kill it once the restore request has reached AWS (the step begins just before the call).
    const until = Date.now() + 60_000;
    while (sim.world.log.find({ resource: clusterId, event: 'cluster-restore-requested' }).length === 0) {
      if (Date.now() > until)
        throw new Error(`the restore of ${clusterId} was never requested; child worker stderr: ${childErr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(sim.world.log.find({ resource: clusterId, event: 'cluster-restore-requested' })).toHaveLength(1);
    expect(sim.world.log.find({ resource: clusterId, event: 'cluster-deleted' })).toHaveLength(0);

    // A new worker on the same queue, same sim: Temporal retries the workflow task and the
    // timed-out activity there; the run finishes and its cleanup runs.
    const connection = await NativeConnection.connect(loadTemporalConnection().options);
    const deps = {
      aws: sim,
      clock: sim.world.clock,
      canary: sim.canary,
      logger: createLogger({ level: 'warn', name: 'rv-crash' }),
      runbookDir: DEFAULT_RUNBOOK_DIR,
    };
    // The same workflow interceptors as the killed worker (composeWorker's): the run's history holds counted results.
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: createActivities(deps),
      interceptors: { activity: [awsCallCountInterceptors], workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES] },
    });
    second = { worker, running: worker.run(), connection, stopBudget: await runBudgetWorkers(connection, taskQueue, deps) };
    const report = (await handle.result()) as RunReport;
    expect(report.outcome).toBe('completed');
    expect(sim.world.log.find({ resource: clusterId, event: 'cluster-restore-requested' })).toHaveLength(1); // not restored twice
    expect(sim.world.log.find({ resource: `${clusterId}-1`, event: 'instance-deleted' })).toHaveLength(1);
    expect(sim.world.log.find({ resource: clusterId, event: 'cluster-deleted' })).toHaveLength(1);
    // AWS calls per run across the kill: exact when the report says so, else a lower bound that says it is one.
    const simCalls = sim.world.apiCalls.filter((c) => c.service !== 'dns' && c.caller === undefined).length;
    const { awsCalls, awsCallsUncounted } = report.measurement.resolution;
    if (awsCallsUncounted === undefined) expect(awsCalls).toBe(simCalls);
    else expect(awsCalls).toBeLessThan(simCalls);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (second) {
      second.worker.shutdown();
      await second.running;
      await second.stopBudget();
      await second.connection.close();
    }
    await server.close();
    sim.close();
  }
  expect(childErr).not.toContain('worker failed');
}, 240_000);

describe('runbook SQL checks on real databases', () => {
  let pg: TestDatabase;
  let maria: TestDatabase;
  const secretArn = 'arn:aws:secretsmanager:us-east-2:444455556666:secret:gameday/analytics-canary-Qw12Er';
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  beforeAll(async () => {
    [pg, maria] = await Promise.all([startPostgres(), startMariadb()]);
    await pg.exec('create table events (id int primary key, created_at timestamptz not null)');
    await maria.exec('create table events (id int primary key, created_at datetime(3) not null)');
    for (const db of [pg, maria]) {
      for (let i = 1; i <= 3; i++)
        await db.exec(db.engine === 'postgres' ? 'insert into events values ($1, $2)' : 'insert into events values (?, ?)', [
          i,
          twoDaysAgo,
        ]);
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all([pg?.destroy(), maria?.destroy()]);
  });

  function runnerFor(db: TestDatabase) {
    return createSqlCheckRunner(
      { secrets: () => testSecrets({ [secretArn]: db.credentials }) },
      { resolveHost: () => ({ host: db.host, port: db.port }) },
    );
  }
  function targetFor(db: TestDatabase): CanaryTarget {
    return {
      engine: db.engine,
      endpoint: 'restored.cluster-sim.us-east-2.rds.amazonaws.com',
      database: db.database,
      secretArn,
      region: 'us-east-2',
      table: 'gameday_canary',
    };
  }

  test.each(['postgres', 'mysql'])('%s: counts and newest timestamps, read-only', async (engine) => {
    const db = engine === 'postgres' ? pg : maria;
    const runner = runnerFor(db);
    expect(await runner.run(targetFor(db), 'select count(*) from events')).toBe(3);
    const newest = await runner.run(targetFor(db), 'select max(created_at) from events');
    expect(newest).toBe(twoDaysAgo.getTime());
    const now = Date.now();
    expect(judgeSqlCheck({ name: 'rows', sql: '', min: 3, kind: 'count' }, 3, now, 86_400_000).status).toBe('pass');
    expect(judgeSqlCheck({ name: 'rows', sql: '', min: 4, kind: 'count' }, 3, now, 86_400_000).status).toBe('fail');
    expect(judgeSqlCheck({ name: 'fresh', sql: '', kind: 'newest-timestamp' }, newest, now, 3 * 86_400_000).status).toBe('pass');
    expect(judgeSqlCheck({ name: 'fresh', sql: '', kind: 'newest-timestamp' }, newest, now, 86_400_000).status).toBe('fail');
    // Checks run in a read-only transaction: a write is refused and changes nothing.
    await expect(runner.run(targetFor(db), 'delete from events')).rejects.toThrow(/read.only/i);
    expect(await runner.run(targetFor(db), 'select count(*) from events')).toBe(3);
  });

  test('a stale restored table fails the verification by name (MariaDB) and cleanup still happens', async () => {
    const taskQueue = `test-rv-sql-${randomUUID().slice(0, 8)}`;
    const connection = await NativeConnection.connect(loadTemporalConnection().options);
    const deps = { ...w.deps };
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: { ...createActivities(deps), ...createRestoreActivities(deps, { sqlChecks: runnerFor(maria) }) },
    });
    const running = worker.run();
    const stopBudget = await runBudgetWorkers(connection, taskQueue, deps, { sqlChecks: runnerFor(maria) });
    try {
      // The runbook as sent by the CLI, with SQL checks and the test server's database name.
      const yaml = readFileSync(join(DEFAULT_RUNBOOK_DIR, 'analytics-prod.yaml'), 'utf8')
        .replace('database: analytics', `database: ${maria.database}`)
        .replace(
          /restore:[\s\S]*$/,
          'restore:\n  checks:\n    - { name: events present, sql: "select count(*) from events", min: 3 }\n    - { name: events fresh, sql: "select max(created_at) from events", kind: newest-timestamp }\n',
        );
      const failure = await failureOf(
        w.client.workflow.execute(restoreVerificationWorkflow, {
          taskQueue,
          workflowId: w.id('rv-sql'),
          args: [{ runbook: 'analytics-prod', runbookYaml: yaml }],
        }),
      );
      expect(failure.type).toBe('RestoreVerificationFailed');
      expect(failure.message).toMatch(/events fresh: newest .* is older than restore point − RPO/);
      expect(failure.message).not.toMatch(/events present/);
      const report = failure.details?.[0] as RunReport;
      const checks = (report.details as { checks: { name: string; status: string }[] }).checks;
      expect(checks.find((c) => c.name === 'events present')?.status).toBe('pass');
      const d = report.details as Record<string, string>;
      await expectCleanedUp(d.restoredCluster!, d.restoredInstance!);
    } finally {
      worker.shutdown();
      await running;
      await stopBudget();
      await connection.close();
    }
  });
});

describe('RDS call budget of the drill activities', () => {
  test('releases calls in arrival order, at least 1000 / rate clock ms apart, even when all arrive at once', async () => {
    const clock = scaledClock({ simEpochMs: 0, wallEpochMs: Date.now(), scale: 100 });
    const spacer = new CallSpacer(clock, 5);
    const released: { i: number; at: number }[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => spacer.take().then((at) => released.push({ i, at }))));
    expect(released.map((r) => r.i)).toEqual([...Array(12).keys()]);
    for (let k = 1; k < released.length; k++) expect(released[k]!.at - released[k - 1]!.at).toBeGreaterThanOrEqual(200);
  });

  test('only RDS is budgeted; other services pass through; no budget = the same clients', () => {
    expect(withRdsBudget(w.sim, w.sim.world.clock, undefined)).toBe(w.sim);
    const budgeted = withRdsBudget(w.sim, w.sim.world.clock, 10);
    expect(budgeted.mode).toBe('sim');
    expect(budgeted.route53({})).toBeDefined();
    expect(budgeted.rds({ region: 'us-east-2' }).region).toBe('us-east-2');
  });
});
