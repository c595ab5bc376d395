/**
 * The canary against real PostgreSQL 15 and real MariaDB: writer and reader, a writer riding out a
 * server restart, RPO from a real database where rows were deleted to simulate loss, and the
 * workflow-side `startCanary` / `stop()` on the real Temporal dev server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsClients } from '../activities/aws/ports';
import type { CanaryConnector, CanaryTarget } from '../activities/canary/canary-store';
import { deleteCanaryRows, readCanaryRows } from '../activities/canary/canary-reader';
import { CANARY_EPOCH_STRIDE, runCanaryWriterLoop, type CanaryWriterCheckpoint } from '../activities/canary/canary-writer';
import { createSqlCanaryConnector } from '../activities/canary/sql-connector';
import type { ActivityDeps } from '../activities/deps';
import { realClock, type Clock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { ackTimes, measure } from '../lib/timeline';
import { canaryProbeWorkflow, stopCanarySignal } from './helpers/canary-workflows';
import { startMariadb, startPostgres, testSecrets, type TestDatabase } from './helpers/databases';
import { connectWorker } from './helpers/worker';

const SECRET = {
  postgres: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gameday/canary-pg-AbC123',
  mysql: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gameday/canary-my-AbC123',
};

const dbs: Partial<Record<'postgres' | 'mysql', TestDatabase>> = {};
let connector: CanaryConnector;

beforeAll(async () => {
  const [pg, my] = await Promise.all([startPostgres(), startMariadb()]);
  dbs.postgres = pg;
  dbs.mysql = my;
  connector = createSqlCanaryConnector({
    secrets: () => testSecrets({ [SECRET.postgres]: pg.credentials, [SECRET.mysql]: my.credentials }),
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(Object.values(dbs).map((d) => d?.destroy()));
});

function targetOf(engine: 'postgres' | 'mysql'): CanaryTarget {
  const db = dbs[engine]!;
  return {
    engine,
    endpoint: db.host,
    port: db.port,
    database: db.database,
    secretArn: SECRET[engine],
    region: 'us-east-1',
    table: 'gameday_canary',
  };
}

/** Rows of `runId` in the canary table (0 while the writer has not created the table yet). */
async function countRows(db: TestDatabase, runId: string): Promise<number> {
  try {
    const rows = (await db.exec(`SELECT count(*) AS n FROM gameday_canary WHERE run_id = '${runId}'`)) as { n: string | number }[];
    return Number(rows[0]!.n);
  } catch (err) {
    if (/gameday_canary/.test(String(err))) return 0; // table not created yet
    throw err;
  }
}

/** Resolves once `check` holds (polling every 50 ms); the test's own timeout bounds it. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

describe.each(['postgres', 'mysql'] as const)('canary on %s', (engine) => {
  test('writer and reader: every acked write is present, RPO 0', async () => {
    const ctrl = new AbortController();
    const running = runCanaryWriterLoop({
      connector,
      target: targetOf(engine),
      runId: `basic-${engine}`,
      ratePerSecond: 50,
      clock: realClock,
      maxDurationMs: 60_000,
      signal: ctrl.signal,
      ringSize: 10,
    });
    await until(async () => (await countRows(dbs[engine]!, `basic-${engine}`)) >= 30);
    ctrl.abort();
    const writer = await running;
    expect(writer.failedAttempts).toBe(0);
    expect(writer.unavailableReason).toBeUndefined();
    // ringSize 10: older acks are folded into spans, the newest 10 are exact.
    expect(writer.acked.length).toBe(10);
    expect(writer.ackSpans?.length).toBe(1);
    const reader = await readCanaryRows({ connector, target: targetOf(engine), runId: `basic-${engine}`, clock: realClock });
    const total = writer.acked[writer.acked.length - 1]!.seq;
    expect(reader.presentRanges).toEqual([[1, total]]);
    expect(reader.newest?.seq).toBe(total);
    // The rows with their commit times, as a dead writer's replacement reads them back: equal to
    // the acks, whose span times are exact (deltas), not interpolated.
    const { times } = ackTimes(writer);
    const store = await connector.connect(targetOf(engine));
    try {
      expect(await store.rows(`basic-${engine}`, 2, total - 1)).toEqual(
        Array.from({ length: total - 2 }, (_, i) => ({ seq: i + 2, at: times.get(i + 2) })),
      );
    } finally {
      await store.close();
    }
    const m = measure({ timeline: [], targets: { rpoMs: 5000, rtoMs: 60_000 }, canary: { writer, reader }, resolution: {} });
    expect(m.rpo).toMatchObject({ status: 'measured', valueMs: 0 });
    expect(m.lostWrites).toBe(0);
    expect(await deleteCanaryRows(connector, targetOf(engine), `basic-${engine}`)).toBe(total);
  });

  test('writer rides out a server restart and records the outage', async () => {
    const db = dbs[engine]!;
    const runId = `restart-${engine}`;
    const count = (): Promise<number> => countRows(db, runId);
    const ctrl = new AbortController();
    let last: CanaryWriterCheckpoint | undefined;
    const running = runCanaryWriterLoop({
      connector,
      target: targetOf(engine),
      runId,
      ratePerSecond: 20,
      clock: realClock,
      maxDurationMs: 120_000,
      signal: ctrl.signal,
      heartbeat: (cp) => void (last = cp),
    });
    await until(async () => (await count()) >= 10);
    await db.stop();
    await until(() => (last?.result.failedAttempts ?? 0) > 0);
    await db.start();
    const before = await count();
    await until(async () => (await count()) >= before + 10);
    ctrl.abort();
    const writer = await running;

    expect(writer.failedAttempts).toBeGreaterThan(0);
    expect(writer.firstFailureAt).toBeDefined();
    expect(writer.lastFailureAt).toBeGreaterThanOrEqual(writer.firstFailureAt!);
    expect(writer.firstWriteAfterOutage).toBeDefined();
    expect(writer.firstWriteAfterOutage!.at).toBeGreaterThan(writer.lastFailureAt!);
    // Writes before the outage keep exact times (pinned), writes after it resume.
    const seqs = writer.acked.map((a) => a.seq);
    expect(seqs.some((s) => s < writer.firstWriteAfterOutage!.seq)).toBe(true);
    expect(seqs.some((s) => s > writer.firstWriteAfterOutage!.seq)).toBe(true);

    const reader = await readCanaryRows({ connector, target: targetOf(engine), runId, clock: realClock });
    const m = measure({ timeline: [], targets: { rpoMs: 5000, rtoMs: 60_000 }, canary: { writer, reader }, resolution: {} });
    // A clean restart loses nothing that was acked.
    expect(m.lostWrites).toBe(0);
    expect(m.rpo).toMatchObject({ status: 'measured', valueMs: 0, verdict: 'pass' });
    await deleteCanaryRows(connector, targetOf(engine), runId);
  });

  test('RPO from a real database where the newest rows were lost', async () => {
    const db = dbs[engine]!;
    const runId = `loss-${engine}`;
    const ctrl = new AbortController();
    const running = runCanaryWriterLoop({
      connector,
      target: targetOf(engine),
      runId,
      ratePerSecond: 50,
      clock: realClock,
      maxDurationMs: 60_000,
      signal: ctrl.signal,
    });
    await until(async () => (await countRows(db, runId)) >= 40);
    ctrl.abort();
    const writer = await running;
    const last = writer.acked[writer.acked.length - 1]!;
    const keepUpTo = last.seq - 15;
    await db.exec(`DELETE FROM gameday_canary WHERE run_id = '${runId}' AND seq > ${keepUpTo}`);
    const reader = await readCanaryRows({ connector, target: targetOf(engine), runId, clock: realClock });
    expect(reader.newest?.seq).toBe(keepUpTo);
    const keptAt = writer.acked.find((a) => a.seq === keepUpTo)!.at;
    const m = measure({ timeline: [], targets: { rpoMs: 100, rtoMs: 60_000 }, canary: { writer, reader }, resolution: {} });
    expect(m.lostWrites).toBe(15);
    expect(m.rpo).toMatchObject({ status: 'measured', valueMs: last.at - keptAt });
    expect(m.rpo.status === 'measured' && m.rpo.valueMs).toBeGreaterThan(0);
    await deleteCanaryRows(connector, targetOf(engine), runId);
  });
});

/** A clock whose sleeps pass instantly in virtual time (the writes stay real). */
function virtualClock(start: number): Clock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      now += ms;
      await new Promise((r) => setImmediate(r));
    },
    // Heartbeats come every 1000 × scale clock ms: every 10 s of virtual time.
    scale: 10,
  };
}

test('a long run (8 min at 10/s, > 100 KB uncompacted) with an outage stays under 100 KB and keeps exact times around the outage', async () => {
  const clock = virtualClock(1_700_000_000_000);
  const start = clock.now();
  // The database refuses connections for 40 s of virtual time from minute 4 (the writer going away).
  const outage = { from: start + 4 * 60_000, to: start + 4 * 60_000 + 40_000 };
  const faulty: CanaryConnector = {
    async connect(target) {
      const store = await connector.connect(target);
      const down = (): boolean => clock.now() >= outage.from && clock.now() < outage.to;
      if (down()) {
        await store.close();
        throw Object.assign(new Error('connect ECONNREFUSED (test outage)'), { name: 'ConnectionRefused' });
      }
      return {
        ...store,
        async write(runId, seq, at) {
          if (down()) throw Object.assign(new Error('Connection terminated unexpectedly (test outage)'), { name: 'ConnectionTerminated' });
          return store.write(runId, seq, at);
        },
      };
    },
  };
  const runId = 'long-run';
  const writer = await runCanaryWriterLoop({
    connector: faulty,
    target: targetOf('postgres'),
    runId,
    ratePerSecond: 10,
    clock,
    maxDurationMs: 8 * 60_000,
  });
  const size = JSON.stringify(writer).length;
  expect(size).toBeLessThan(100_000);
  expect(writer.failedAttempts).toBeGreaterThan(0);
  expect(writer.firstFailureAt).toBeGreaterThanOrEqual(outage.from);
  expect(writer.firstWriteAfterOutage!.at).toBeGreaterThanOrEqual(outage.to);
  const spans = writer.ackSpans ?? [];
  const ackedCount = writer.acked.length + spans.reduce((n, sp) => n + sp.toSeq - sp.fromSeq + 1, 0);
  expect(ackedCount).toBeGreaterThan(3000);
  expect(ackedCount * JSON.stringify(writer.acked[0]).length).toBeGreaterThan(100_000); // would not fit uncompacted
  // The 300 writes before the outage are exact (not interpolated).
  const exactBefore = writer.acked.filter((a) => a.at < outage.from && a.at >= outage.from - 30_000);
  expect(exactBefore.length).toBeGreaterThanOrEqual(290);
  // Lose the last 20 writes before the outage on the "new writer": RPO exact from exact acks.
  const lastBefore = exactBefore[exactBefore.length - 1]!;
  await dbs.postgres!.exec(`DELETE FROM gameday_canary WHERE run_id = $1 AND seq > $2 AND seq <= $3`, [
    runId,
    lastBefore.seq - 20,
    lastBefore.seq,
  ]);
  const reader = await readCanaryRows({ connector, target: targetOf('postgres'), runId, clock });
  const m = measure({ timeline: [], targets: { rpoMs: 5000, rtoMs: 900_000 }, canary: { writer, reader }, resolution: {} });
  const keptAt = writer.acked.find((a) => a.seq === lastBefore.seq - 20)!.at;
  expect(m.lostWrites).toBe(20);
  expect(m.rpo).toMatchObject({ status: 'measured', valueMs: lastBefore.at - keptAt });
  expect(m.notes ?? []).not.toContainEqual(expect.stringMatching(/interpolated/));
  await deleteCanaryRows(connector, targetOf('postgres'), runId);
});

test('a retried writer attempt resumes from the heartbeat checkpoint in a new epoch: no seq is reused', async () => {
  const clock = virtualClock(1_700_000_000_000);
  const runId = 'resume-run';
  let checkpoint: CanaryWriterCheckpoint | undefined;
  // First attempt: 30 s of virtual time, heartbeating (as the activity does) — then "the worker dies".
  const dead = await runCanaryWriterLoop({
    connector,
    target: targetOf('mysql'),
    runId,
    clock,
    maxDurationMs: 30_000,
    heartbeat: (cp) => void (checkpoint = cp),
  });
  expect(checkpoint).toBeDefined();
  const resumedFrom = checkpoint!;
  // The dead attempt acked writes after its last checkpoint (t = 20 s): those seqs are on the table.
  const deadLast = dead.acked[dead.acked.length - 1]!.seq;
  expect(deadLast).toBeGreaterThanOrEqual(resumedFrom.nextSeq);
  // Second attempt resumes: earlier acks kept, seqs continue in epoch 2 (never reusing the dead attempt's).
  const writer = await runCanaryWriterLoop({
    connector,
    target: targetOf('mysql'),
    runId,
    clock,
    maxDurationMs: 10_000,
    resume: resumedFrom,
  });
  const seqs = writer.acked.map((a) => a.seq);
  const before = resumedFrom.result.acked.map((a) => a.seq);
  expect(before.length).toBeGreaterThan(100); // the last checkpoint (t = 20 s) carried ~200 acks
  expect(seqs.slice(0, before.length)).toEqual(before);
  expect(writer.epoch).toBe(2);
  expect(seqs[before.length]).toBe(CANARY_EPOCH_STRIDE + 1);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs.filter((s) => s > before[before.length - 1]! && s <= deadLast)).toEqual([]);
  // Writes of the dead attempt after its last checkpoint are on the database but not in the
  // result: not acked as far as the measurement knows, so never counted as lost.
  const reader = await readCanaryRows({ connector, target: targetOf('mysql'), runId, clock });
  const m = measure({ timeline: [], targets: { rpoMs: 5000, rtoMs: 900_000 }, canary: { writer, reader }, resolution: {} });
  expect(m.lostWrites).toBe(0);
  await deleteCanaryRows(connector, targetOf('mysql'), runId);
});

test('a restarted writer whose epoch was not kept moves past the epochs it finds on the database', async () => {
  const clock = virtualClock(1_700_000_000_000);
  const runId = 'epoch-from-db';
  const first = await runCanaryWriterLoop({ connector, target: targetOf('postgres'), runId, clock, maxDurationMs: 2_000 });
  expect(first.epoch).toBe(1);
  // No checkpoint, no epoch given (a crash before the first heartbeat): the database says epoch 1 is taken.
  const second = await runCanaryWriterLoop({ connector, target: targetOf('postgres'), runId, clock, maxDurationMs: 2_000 });
  expect(second.epoch).toBe(2);
  expect(second.acked[0]!.seq).toBe(CANARY_EPOCH_STRIDE + 1);
  expect(second.achievedRatePerSecond).toBeGreaterThan(0);
  await deleteCanaryRows(connector, targetOf('postgres'), runId);
});

test('reader on an unreachable endpoint reports why instead of guessing', async () => {
  const target = { ...targetOf('postgres'), port: 1 };
  const reader = await readCanaryRows({ connector, target, runId: 'nobody', clock: realClock, attempts: 2, retryDelayMs: 10 });
  expect(reader.unavailableReason).toMatch(/could not read the canary on 127\.0\.0\.1 after 2 attempts/);
  const m = measure({
    timeline: [],
    targets: { rpoMs: 5000, rtoMs: 60_000 },
    canary: { writer: { runId: 'nobody', ratePerSecond: 10, acked: [{ seq: 1, at: 1 }], failedAttempts: 0 }, reader },
    resolution: {},
  });
  expect(m.rpo.status).toBe('not-measured');
});

test('startCanary/stop in a workflow returns the writer result through cancellation', async () => {
  const db = dbs.postgres!;
  const runbookDir = mkdtempSync(join(tmpdir(), 'gameday-rb-'));
  writeFileSync(
    join(runbookDir, 'canary-test.yaml'),
    [
      'service: canarytest',
      'environment: test',
      'tier: tier0',
      'account: "111122223333"',
      'blastRadius: { accounts: ["111122223333"], regions: [us-east-1] }',
      'aurora: { engine: postgres, primaryRegion: us-east-1, members: [{ region: us-east-1, clusterId: canary-use1 }] }',
      `canary: { endpoint: 127.0.0.1, port: ${db.port}, database: ${db.database}, secretArn: "${SECRET.postgres}", ratePerSecond: 20 }`,
    ].join('\n'),
  );
  const deps: ActivityDeps = {
    // The measurement activities under test reach AWS only through the canary connector.
    aws: { mode: 'real', secrets: () => testSecrets({ [SECRET.postgres]: db.credentials }) } as unknown as AwsClients,
    clock: realClock,
    logger: createLogger({ level: 'warn' }),
    runbookDir,
    canary: connector,
  };
  const { client, taskQueue, stop } = await connectWorker('canary-sql', {
    deps,
    workflows: { workflowsPath: require.resolve('./helpers/canary-workflows') },
    shutdownGraceTime: '5s',
  });
  try {
    const runId = `wf-canary-${Date.now()}`;
    const handle = await client.workflow.start(canaryProbeWorkflow, {
      taskQueue,
      workflowId: runId,
      args: [{ runbook: 'canary-test', runId, readEndpoint: '127.0.0.1' }],
    });
    await until(async () => (await countRows(db, runId)) >= 20);
    await handle.signal(stopCanarySignal);
    const out = await handle.result();
    expect(out.writer.unavailableReason).toBeUndefined();
    expect(out.writer.ratePerSecond).toBe(20);
    expect(out.writer.acked.length).toBeGreaterThanOrEqual(20);
    expect(out.deleted).toBeGreaterThanOrEqual(out.writer.acked.length);
    expect(out.measurement.rpo).toMatchObject({ status: 'measured', valueMs: 0 });
    expect(out.measurement.lostWrites).toBe(0);
  } finally {
    await stop();
    rmSync(runbookDir, { recursive: true, force: true });
  }
});
