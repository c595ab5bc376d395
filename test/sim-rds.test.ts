/**
 * The simulated RDS / Aurora: state sequences of switchover, failover, detach, in-region failover,
 * backtrack, PITR and instance lifecycle, observed by polling with the sim clock; ground-truth
 * events; real AWS error names; injected faults. Virtual simulated time (it moves only while the test sleeps on it), no wall timings.
 */
import { join } from 'node:path';
import type { CanaryStore } from '../activities/canary/canary-store';
import type { RdsApi } from '../activities/aws/ports';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';
import type { GroundTruthEvent } from '../sim/world';

const RUNBOOKS = join(__dirname, '..', 'runbooks');
const PAY_USE1 = 'arn:aws:rds:us-east-1:111122223333:cluster:payments-use1';
const PAY_USW2 = 'arn:aws:rds:us-west-2:111122223333:cluster:payments-usw2';

function newSim(scale = 1200): SimAws {
  const sim = new SimAws({ scale, seed: 7, virtualTime: true });
  // Only the services under test are seeded, so this file tests RDS and the canary in isolation.
  for (const name of ['payments-prod', 'orders-prod', 'analytics-prod']) {
    const rb = loadRunbookByName(name, RUNBOOKS);
    sim.rdsSim.seed(rb);
    sim.secretsSim.seed(rb);
  }
  return sim;
}

/** Polls `read` every `everyMs` simulated ms until `done`, returning the distinct successive values. */
async function observe<T>(sim: SimAws, read: () => Promise<T>, done: (v: T) => boolean, everyMs = 1000, maxMs = 60 * 60_000): Promise<T[]> {
  const seen: T[] = [];
  const until = sim.world.now() + maxMs;
  for (;;) {
    const v = await read();
    if (seen.length === 0 || JSON.stringify(seen[seen.length - 1]) !== JSON.stringify(v)) seen.push(v);
    if (done(v)) return seen;
    if (sim.world.now() > until) throw new Error(`not done after ${maxMs} simulated ms; saw ${JSON.stringify(seen)}`);
    await sim.world.clock.sleep(everyMs);
  }
}

/** `seen` is `phases` in order, possibly missing some of the first `mayMiss` (short) phases. */
function expectPhases(seen: readonly string[], phases: readonly string[], mayMiss: number): void {
  const tail = phases.slice(phases.length - seen.length);
  expect(seen).toEqual(tail);
  expect(seen.length).toBeGreaterThanOrEqual(phases.length - mayMiss);
}

/** A canary writer loop through one store, like the canary activity (one write per `everyMs`). */
function startWriter(sim: SimAws, store: CanaryStore, runId: string, everyMs = 200) {
  const acked: number[] = [];
  let failures = 0;
  let stop = false;
  const done = (async () => {
    for (let seq = 1; !stop; seq++) {
      try {
        await store.write(runId, seq, sim.world.now());
        acked.push(seq);
      } catch (e) {
        expect((e as Error).name).toBe('ConnectionRefused');
        failures++;
      }
      await sim.world.clock.sleep(everyMs);
    }
  })();
  return {
    acked,
    failures: () => failures,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

function events(sim: SimAws, event: string, resource?: string): GroundTruthEvent[] {
  return sim.world.log.find({ service: 'rds', event, ...(resource ? { resource } : {}) });
}

const canaryTarget = (endpoint: string) => ({
  engine: 'postgres' as const,
  endpoint,
  database: 'payments',
  secretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gameday/payments-canary-AbCdEf',
  region: 'us-east-1',
  table: 'gameday_canary',
});

describe('sim RDS', () => {
  let sim: SimAws;
  let use1: RdsApi;
  let usw2: RdsApi;
  beforeEach(() => {
    sim = newSim();
    use1 = sim.rds({ region: 'us-east-1', accountId: '111122223333' });
    usw2 = sim.rds({ region: 'us-west-2', accountId: '111122223333' });
  });
  afterEach(() => sim.close());

  test('seeds the global cluster, members, instances per AZ, endpoints and tags from the runbook', async () => {
    const g = await use1.describeGlobalCluster('payments-global');
    expect(g.endpoint).toBe('payments-global.global-sim.global.rds.amazonaws.com');
    expect(g.members).toEqual([
      { dbClusterArn: PAY_USE1, isWriter: true, readers: [PAY_USW2], synchronizationStatus: 'connected' },
      { dbClusterArn: PAY_USW2, isWriter: false, readers: [], synchronizationStatus: 'connected' },
    ]);
    const c = await usw2.describeDbCluster('payments-usw2');
    expect(c).toMatchObject({
      status: 'available',
      engine: 'aurora-postgresql',
      endpoint: 'payments-usw2.cluster-sim.us-west-2.rds.amazonaws.com',
      globalClusterIdentifier: 'payments-global',
      replicationSourceIdentifier: PAY_USE1,
      tags: { gameday: 'allowed' },
    });
    expect(c.latestRestorableTime! - sim.world.now()).toBeLessThanOrEqual(-4 * 60_000);
    const inst = await usw2.listDbInstances({ dbClusterIdentifier: 'payments-usw2' });
    expect(inst.map((i) => i.availabilityZone)).toEqual(['us-west-2a', 'us-west-2b']);
    expect((await sim.rds({ region: 'us-east-2' }).describeDbCluster('analytics-use2')).backtrackWindowSeconds).toBe(86_400);
    expect(sim.rdsSim.writerRegion('payments-global')).toBe('us-east-1');
    expect(sim.rdsSim.isWritable('payments-use1')).toBe(true);
    expect(sim.rdsSim.isWritable('payments-usw2')).toBe(false);
    const lag = sim.rdsSim.replicationLagMs('payments-usw2');
    expect(lag).toBeGreaterThanOrEqual(200);
    expect(lag).toBeLessThanOrEqual(1000);
    expect(sim.rdsSim.replicationLagMs('payments-use1')).toBe(0);
  });

  /** A slower clock for tests that observe the short phases of a global operation by polling. */
  function slower(): void {
    sim.close();
    sim = newSim(300);
    use1 = sim.rds({ region: 'us-east-1', accountId: '111122223333' });
    usw2 = sim.rds({ region: 'us-west-2', accountId: '111122223333' });
  }

  test('switchover: pending → switching-over → done, writer moves, RPO 0 for the canary', async () => {
    slower();
    const store = await sim.canary.connect(canaryTarget('payments-global.global-sim.global.rds.amazonaws.com'));
    await store.ensureTable();
    sim.rdsSim.setReplicationLag('payments-usw2', 3000);
    const w = startWriter(sim, store, 'run-sw');
    await sim.world.clock.sleep(20_000);
    const g0 = await use1.switchoverGlobalCluster({ globalClusterIdentifier: 'payments-global', targetDbClusterArn: PAY_USW2 });
    expect(g0.failoverState).toMatchObject({ status: 'pending', toDbClusterArn: PAY_USW2, isDataLossAllowed: false });
    await expect(
      use1.switchoverGlobalCluster({ globalClusterIdentifier: 'payments-global', targetDbClusterArn: PAY_USW2 }),
    ).rejects.toMatchObject({
      name: 'InvalidGlobalClusterStateFault',
    });
    const seen = await observe(
      sim,
      async () => {
        const g = await usw2.describeGlobalCluster('payments-global');
        return `${g.status}/${g.failoverState?.status ?? '-'}`;
      },
      (s) => s === 'available/-',
    );
    // The first phase lasts only 5–15 simulated s, so a poll may miss it; the order never changes.
    expectPhases(seen, ['switching-over/pending', 'switching-over/switching-over', 'available/-'], 1);
    await sim.world.clock.sleep(20_000);
    await w.stop();
    expect(sim.rdsSim.writerRegion('payments-global')).toBe('us-west-2');
    expect(w.failures()).toBeGreaterThan(0);

    const [req] = events(sim, 'global-switchover-requested');
    const [blocked] = events(sim, 'cluster-writes-blocked', 'payments-use1');
    const [promo] = events(sim, 'global-promotion-complete');
    const [done] = events(sim, 'global-switchover-complete');
    const writable = events(sim, 'cluster-writable', 'payments-usw2');
    expect(promo!.detail).toMatchObject({ newWriter: PAY_USW2 });
    expect(req!.at).toBeLessThan(blocked!.at);
    expect(blocked!.at).toBeLessThan(promo!.at);
    expect(writable.map((e) => e.at)).toEqual([promo!.at]);
    expect(promo!.at).toBeLessThan(done!.at);
    expect(promo!.at - req!.at).toBeGreaterThanOrEqual(60_000);
    expect(promo!.at - req!.at).toBeLessThanOrEqual(180_000 + 20_000);
    expect(events(sim, 'writes-lost')[0]!.detail).toMatchObject({ count: 0 });

    // Every acked write is on the new writer, and writes failed only between demotion and promotion.
    const present = await store.presentSeqs('run-sw', 1, w.acked[w.acked.length - 1]!);
    expect(present).toEqual(w.acked);
    const evs = await usw2.describeEvents({ sourceIdentifier: 'payments-usw2', startTime: req!.at });
    // The catalog's texts (USER_Events.Messages): 0181 started, 0183 sync wait, 0184 promoted at the writer change, 0185 finished, 0397 DNS.
    expect(evs.map((e) => e.message)).toEqual([
      'Global switchover to DB cluster payments-usw2 in Region us-west-2 started.',
      expect.stringMatching(
        /^Waiting for data synchronization across global cluster members\. Current lags behind primary DB cluster: \d+ ms\.$/,
      ),
      'New primary DB cluster payments-usw2 in Region us-west-2 was successfully promoted.',
      'Global switchover to DB cluster payments-usw2 in Region us-west-2 finished.',
      'Aurora finished changing the DNS name that the global writer endpoint resolves to.',
    ]);
    expect(evs.map((e) => e.date)).toEqual([req!.at, blocked!.at, promo!.at, done!.at, done!.at]);
    const old = await use1.describeEvents({ sourceIdentifier: 'payments-use1', startTime: req!.at });
    expect(old.map((e) => [e.message, e.date])).toEqual([
      ['Old primary DB cluster payments-use1 in Region us-east-1 successfully shut down.', blocked!.at],
    ]);
  });

  test('failover with data loss: pending → failing-over, unreplicated tail lost and counted', async () => {
    slower();
    const store = await sim.canary.connect(canaryTarget('payments-global.global-sim.global.rds.amazonaws.com'));
    await store.ensureTable();
    sim.rdsSim.setReplicationLag('payments-usw2', 20_000);
    const w = startWriter(sim, store, 'run-fo');
    await sim.world.clock.sleep(60_000);
    sim.rdsSim.impairRegion('us-east-1');
    await expect(use1.describeGlobalCluster('payments-global')).rejects.toMatchObject({
      name: 'InternalFailure',
      httpStatus: 500,
      retryable: true,
    });
    await usw2.failoverGlobalCluster({ globalClusterIdentifier: 'payments-global', targetDbClusterArn: PAY_USW2, allowDataLoss: true });
    const seen = await observe(
      sim,
      async () => {
        const g = await usw2.describeGlobalCluster('payments-global');
        return `${g.status}/${g.failoverState?.status ?? '-'}`;
      },
      (s) => s === 'available/-',
    );
    expectPhases(seen, ['failing-over/pending', 'failing-over/failing-over', 'available/-'], 1);
    await sim.world.clock.sleep(10_000);
    await w.stop();
    const g = await usw2.describeGlobalCluster('payments-global');
    expect(g.members.find((m) => m.isWriter)!.dbClusterArn).toBe(PAY_USW2);
    expect(g.members.find((m) => !m.isWriter)!.synchronizationStatus).toBe('pending-resync');

    const present = new Set(await store.presentSeqs('run-fo', 1, w.acked[w.acked.length - 1]!));
    const lostAcked = w.acked.filter((s) => !present.has(s));
    const [lost] = events(sim, 'writes-lost');
    expect(lostAcked.length).toBeGreaterThan(0);
    expect(lost!.detail).toMatchObject({ count: lostAcked.length, mode: 'failover', seqs: { 'run-fo': lostAcked } });
    const [promo] = events(sim, 'global-promotion-complete');
    expect(events(sim, 'cluster-writable', 'payments-usw2')[0]!.at).toBe(promo!.at);
    // RDS-EVENT-0238 is dated when the target became the writer; 0397 when the failover state cleared.
    const evs = await usw2.describeEvents({ sourceIdentifier: 'payments-usw2', startTime: promo!.at - 600_000 });
    const [complete] = events(sim, 'global-failover-complete');
    expect(evs.map((e) => [e.message, e.date])).toEqual([
      ['Global failover to DB cluster payments-usw2 in Region us-west-2 completed.', promo!.at],
      ['Aurora finished changing the DNS name that the global writer endpoint resolves to.', complete!.at],
    ]);
    expect(events(sim, 'cluster-unwritable', 'payments-use1')[0]!.at).toBe(events(sim, 'region-impaired')[0]!.at);

    // The old primary is re-added as a secondary once its region recovers.
    sim.rdsSim.restoreRegion('us-east-1');
    await observe(
      sim,
      async () => (await use1.describeGlobalCluster('payments-global')).members.every((m) => m.synchronizationStatus === 'connected'),
      (x) => x,
    );
    expect(events(sim, 'member-resynced', 'payments-use1')).toHaveLength(1);
  });

  test('detach: the secondary leaves the global cluster and becomes writable after seconds', async () => {
    slower();
    const g = await usw2.removeFromGlobalCluster({ globalClusterIdentifier: 'payments-global', dbClusterArn: PAY_USW2 });
    expect(g.members.map((m) => m.dbClusterArn)).toEqual([PAY_USE1]);
    const seen = await observe(
      sim,
      async () => (await usw2.describeDbCluster('payments-usw2')).status,
      (s) => s === 'available',
    );
    expect(seen).toEqual(['promoting', 'available']);
    expect((await usw2.describeDbCluster('payments-usw2')).globalClusterIdentifier).toBeUndefined();
    const [req] = events(sim, 'global-detach-requested');
    const [writable] = events(sim, 'cluster-writable', 'payments-usw2');
    expect(writable!.at - req!.at).toBeGreaterThanOrEqual(30_000);
    expect(writable!.at - req!.at).toBeLessThanOrEqual(90_000);
    expect(sim.rdsSim.isWritable('payments-usw2')).toBe(true);
    expect(sim.rdsSim.isWritable('payments-use1')).toBe(true);
    // AWS's event catalog documents no event for a detach: the sim invents none.
    expect(await usw2.describeEvents({ sourceIdentifier: 'payments-usw2', startTime: req!.at })).toEqual([]);
  });

  test('in-region failover: failing-over → available with the writer in another AZ; AZ loss fails over by itself', async () => {
    slower();
    const before = await use1.describeDbCluster('payments-use1');
    expect(before.members.find((m) => m.isClusterWriter)!.dbInstanceIdentifier).toBe('payments-use1-a');
    await use1.failoverDbCluster({ dbClusterIdentifier: 'payments-use1' });
    const seen = await observe(
      sim,
      async () => (await use1.describeDbCluster('payments-use1')).status,
      (s) => s === 'available',
    );
    expect(seen).toEqual(['failing-over', 'available']);
    const after = await use1.describeDbCluster('payments-use1');
    expect(after.members.find((m) => m.isClusterWriter)!.dbInstanceIdentifier).toBe('payments-use1-b');
    expect(events(sim, 'cluster-writer-changed', 'payments-use1')[0]!.detail).toMatchObject({
      from: 'payments-use1-a',
      to: 'payments-use1-b',
    });

    sim.rdsSim.impairAz('us-east-1', 'us-east-1b');
    expect(sim.rdsSim.isWritable('payments-use1')).toBe(false);
    expect((await use1.describeDbInstance('payments-use1-b')).status).toBe('stopped');
    await observe(
      sim,
      async () => sim.rdsSim.isWritable('payments-use1'),
      (x) => x,
    );
    expect(events(sim, 'cluster-writer-changed', 'payments-use1')[1]!.detail).toMatchObject({ to: 'payments-use1-a' });
    const stopped = events(sim, 'instance-stopped', 'payments-use1-b')[0]!;
    const back = events(sim, 'cluster-writable', 'payments-use1').at(-1)!;
    expect(back.at - stopped.at).toBeGreaterThanOrEqual(30_000);
    expect(back.at - stopped.at).toBeLessThanOrEqual(60_000);
    sim.rdsSim.restoreAz('us-east-1', 'us-east-1b');
    await observe(
      sim,
      async () => (await use1.describeDbInstance('payments-use1-b')).status,
      (s) => s === 'available',
    );
  });

  test('backtrack: refused for PostgreSQL and global members, rewinds an Aurora MySQL cluster', async () => {
    const now = sim.world.now();
    await expect(use1.backtrackDbCluster({ dbClusterIdentifier: 'payments-use1', backtrackTo: now - 60_000 })).rejects.toMatchObject({
      name: 'InvalidDBClusterStateFault',
      message: expect.stringContaining('aurora-postgresql'),
    });
    const euw1 = sim.rds({ region: 'eu-west-1' });
    await expect(euw1.backtrackDbCluster({ dbClusterIdentifier: 'orders-euw1', backtrackTo: now - 60_000 })).rejects.toMatchObject({
      name: 'InvalidDBClusterStateFault',
      message: expect.stringContaining('global database'),
    });

    const use2 = sim.rds({ region: 'us-east-2' });
    const store = await sim.canary.connect({
      ...canaryTarget('analytics-use2.cluster-ghi789.us-east-2.rds.amazonaws.com'),
      engine: 'mysql',
      database: 'analytics',
    });
    await store.ensureTable();
    const base = sim.world.now() - 20_000;
    for (let seq = 1; seq <= 20; seq++) await store.write('run-bt', seq, base + seq * 1000);
    const b = await use2.backtrackDbCluster({ dbClusterIdentifier: 'analytics-use2', backtrackTo: base + 9_500 });
    expect(b.status).toBe('applying');
    const seen = await observe(
      sim,
      async () => (await use2.describeDbCluster('analytics-use2')).status,
      (s) => s === 'available',
      500,
    );
    expectPhases(seen, ['backtracking', 'available'], 1); // backtracking lasts only 5–20 simulated s
    const [req] = events(sim, 'backtrack-requested');
    const [doneBt] = events(sim, 'backtrack-completed');
    expect(events(sim, 'cluster-unwritable', 'analytics-use2')[0]!.at).toBe(req!.at);
    expect(events(sim, 'cluster-writable', 'analytics-use2')[0]!.at).toBe(doneBt!.at);
    const [bt] = await use2.describeDbClusterBacktracks({
      dbClusterIdentifier: 'analytics-use2',
      backtrackIdentifier: b.backtrackIdentifier,
    });
    expect(bt!.status).toBe('completed');
    const remaining = await store.presentSeqs('run-bt', 1, 20);
    expect(remaining).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events(sim, 'backtrack-completed')[0]!.detail).toMatchObject({ rowsRemoved: 20 - remaining.length });
    await expect(
      use2.describeDbClusterBacktracks({ dbClusterIdentifier: 'analytics-use2', backtrackIdentifier: 'nope' }),
    ).rejects.toMatchObject({
      name: 'DBClusterBacktrackNotFoundFault',
    });
  });

  test('PITR restore: creating → available after minutes, instance lifecycle, deletion rules', async () => {
    const store = await sim.canary.connect(canaryTarget('payments-use1.cluster-sim.us-east-1.rds.amazonaws.com'));
    await store.ensureTable();
    const t0 = sim.world.now();
    for (let seq = 1; seq <= 10; seq++) await store.write('run-pitr', seq, t0 - 20 * 60_000 + seq * 60_000);
    const restoreTo = t0 - 14 * 60_000 - 30_000; // seqs 1..5 are older
    const tags = { 'gameday:run': 'r1' };
    const c = await use1.restoreDbClusterToPointInTime({
      sourceDbClusterIdentifier: 'payments-use1',
      dbClusterIdentifier: 'payments-drill',
      restoreToTime: restoreTo,
      tags,
    });
    expect(c).toMatchObject({ status: 'creating', tags });
    await expect(
      use1.restoreDbClusterToPointInTime({
        sourceDbClusterIdentifier: 'payments-use1',
        dbClusterIdentifier: 'payments-drill',
        useLatestRestorableTime: true,
        tags,
      }),
    ).rejects.toMatchObject({ name: 'DBClusterAlreadyExistsFault' });
    await expect(
      use1.restoreDbClusterToPointInTime({
        sourceDbClusterIdentifier: 'payments-use1',
        dbClusterIdentifier: 'x2',
        restoreToTime: t0,
        tags,
      }),
    ).rejects.toMatchObject({ name: 'InvalidRestoreFault' });
    await expect(
      use1.createDbInstance({
        dbInstanceIdentifier: 'payments-drill-1',
        dbClusterIdentifier: 'payments-drill',
        engine: 'aurora-postgresql',
        dbInstanceClass: 'db.r6g.large',
        tags,
      }),
    ).rejects.toMatchObject({ name: 'InvalidDBClusterStateFault' });
    const seen = await observe(
      sim,
      async () => (await use1.describeDbCluster('payments-drill')).status,
      (s) => s === 'available',
      10_000,
    );
    expect(seen).toEqual(['creating', 'available']);
    const [avail] = events(sim, 'cluster-available', 'payments-drill');
    expect(avail!.at - t0).toBeGreaterThanOrEqual(5 * 60_000);
    expect(avail!.at - t0).toBeLessThanOrEqual(15 * 60_000 + 1000);
    expect((await use1.listDbClusters({ tags })).map((x) => x.dbClusterIdentifier)).toEqual(['payments-drill']);

    await use1.createDbInstance({
      dbInstanceIdentifier: 'payments-drill-1',
      dbClusterIdentifier: 'payments-drill',
      engine: 'aurora-postgresql',
      dbInstanceClass: 'db.r6g.large',
      tags,
    });
    await expect(
      use1.createDbInstance({
        dbInstanceIdentifier: 'x',
        dbClusterIdentifier: 'nope',
        engine: 'aurora-postgresql',
        dbInstanceClass: 'db.r6g.large',
        tags,
      }),
    ).rejects.toMatchObject({ name: 'DBClusterNotFoundFault', httpStatus: 404 });
    expect(
      await observe(
        sim,
        async () => (await use1.describeDbInstance('payments-drill-1')).status,
        (s) => s === 'available',
        10_000,
      ),
    ).toEqual(['creating', 'available']);
    const restored = await sim.canary.connect(canaryTarget('payments-drill.cluster-sim.us-east-1.rds.amazonaws.com'));
    expect(await restored.presentSeqs('run-pitr', 1, 10)).toEqual([1, 2, 3, 4, 5]);

    await expect(use1.deleteDbCluster({ dbClusterIdentifier: 'payments-drill', skipFinalSnapshot: true })).rejects.toMatchObject({
      name: 'InvalidDBClusterStateFault',
      message: 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.',
    });
    await expect(use1.deleteDbCluster({ dbClusterIdentifier: 'payments-use1', skipFinalSnapshot: true })).rejects.toMatchObject({
      name: 'InvalidGlobalClusterStateFault',
    });
    expect((await use1.deleteDbInstance({ dbInstanceIdentifier: 'payments-drill-1', skipFinalSnapshot: true })).status).toBe('deleting');
    expect((await use1.deleteDbCluster({ dbClusterIdentifier: 'payments-drill', skipFinalSnapshot: true })).status).toBe('deleting');
    await observe(
      sim,
      async () =>
        use1.describeDbCluster('payments-drill').then(
          (x) => x.status,
          (e: Error) => e.name,
        ),
      (s) => s === 'DBClusterNotFoundFault',
      10_000,
    );
    await expect(use1.describeDbInstance('payments-drill-1')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    expect(events(sim, 'cluster-deleted', 'payments-drill')).toHaveLength(1);
  });

  test('restore from the seeded automated snapshot', async () => {
    const [snap] = sim.rdsSim.listSnapshots('payments-use1');
    const c = await use1.restoreDbClusterFromSnapshot({
      snapshotIdentifier: snap!.id,
      dbClusterIdentifier: 'payments-snap',
      engine: 'aurora-postgresql',
      tags: {},
    });
    expect(c.status).toBe('creating');
    await expect(
      use1.restoreDbClusterFromSnapshot({
        snapshotIdentifier: 'rds:nope',
        dbClusterIdentifier: 'payments-snap2',
        engine: 'aurora-postgresql',
        tags: {},
      }),
    ).rejects.toMatchObject({ name: 'DBClusterSnapshotNotFoundFault' });
    await observe(
      sim,
      async () => (await use1.describeDbCluster('payments-snap')).status,
      (s) => s === 'available',
      10_000,
    );
  });

  test('unknown resources answer the real not-found errors', async () => {
    await expect(use1.describeGlobalCluster('nope')).rejects.toMatchObject({ name: 'GlobalClusterNotFoundFault', httpStatus: 404 });
    await expect(use1.describeDbCluster('nope')).rejects.toMatchObject({
      name: 'DBClusterNotFoundFault',
      httpStatus: 404,
      retryable: false,
    });
    await expect(use1.describeDbInstance('nope')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    await expect(
      use1.switchoverGlobalCluster({
        globalClusterIdentifier: 'payments-global',
        targetDbClusterArn: 'arn:aws:rds:eu-west-1:111122223333:cluster:orders-euw1',
      }),
    ).rejects.toMatchObject({ name: 'InvalidGlobalClusterStateFault' });
    await expect(usw2.describeDbCluster('payments-use1')).rejects.toMatchObject({ name: 'DBClusterNotFoundFault' });
  });

  test('faults: throttle, 5xx and latency surface with their names; a hang ends when the caller aborts', async () => {
    sim.world.faults.add({ service: 'rds', operation: 'describeDbCluster', kind: 'throttle', count: 1 });
    await expect(use1.describeDbCluster('payments-use1')).rejects.toMatchObject({
      name: 'ThrottlingException',
      retryable: true,
      $retryable: { throttling: true },
    });
    sim.world.faults.add({ service: 'rds', kind: '5xx', count: 1 });
    await expect(use1.describeGlobalCluster('payments-global')).rejects.toMatchObject({
      name: 'InternalFailure',
      httpStatus: 500,
      retryable: true,
    });
    expect((await use1.describeDbCluster('payments-use1')).status).toBe('available');

    sim.world.faults.add({ service: 'rds', kind: 'latency', latencyMs: 30_000, count: 1 });
    const t0 = sim.world.now();
    await use1.describeDbCluster('payments-use1');
    // Node timers may fire up to ~1 wall ms early; at scale 1200 that is 1.2 simulated s.
    expect(sim.world.now() - t0).toBeGreaterThanOrEqual(30_000 - 2 * 1200);

    sim.world.faults.add({ service: 'rds', kind: 'hang', count: 1 });
    const ac = new AbortController();
    const hung = sim.rdsSim.api({ region: 'us-east-1' }, { signal: ac.signal }).describeDbCluster('payments-use1');
    ac.abort(new Error('caller gave up'));
    await expect(hung).rejects.toThrow('caller gave up');
    const calls = sim.world.apiCalls.filter((c) => c.service === 'rds' && c.operation === 'describeDbCluster');
    expect(calls.length).toBe(4);
  });
});
