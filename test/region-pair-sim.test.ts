/**
 * The simulated AWS's control plane driving a real PostgreSQL pair (sim/real/sim-binding.ts): the
 * primary's region impaired in the sim stops the real primary, the sim's global failover promotes
 * the real standby (`pg_promote()`) and moves the real writer endpoint; the canary writes through
 * the runbook's global writer endpoint on the real servers and the report matches the databases.
 */
import { pollUntil } from '../activities/aws/poll';
import { readCanaryRows } from '../activities/canary/canary-reader';
import { runCanaryWriterLoop } from '../activities/canary/canary-writer';
import type { CanaryTarget } from '../activities/canary/canary-store';
import { measure } from '../lib/timeline';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';
import { groundTruth } from '../sim/real/ground-truth';
import { startPgRegionPair } from '../sim/real/pg-pair';
import type { RegionPair } from '../sim/real/region-pair';
import { bindRegionPair } from '../sim/real/sim-binding';

let pair: RegionPair;
beforeAll(async () => {
  pair = await startPgRegionPair({ lagMs: 400 });
}, 120_000);
afterAll(async () => {
  await pair?.destroy();
});

test('a region loss and a global failover in the sim lose and promote the real servers; the report equals the ground truth', async () => {
  const rb = loadRunbookByName('payments-prod');
  const sim = new SimAws({ scale: 20, seed: 7, tickMs: 2 });
  try {
    sim.seedFromRunbook(rb);
    const clock = sim.world.clock;
    const [p, s] = rb.aurora!.members;
    const rdsP = sim.rds({ region: p!.region, accountId: rb.account });
    const rdsS = sim.rds({ region: s!.region, accountId: rb.account });
    const primary = await rdsP.describeDbCluster(p!.clusterId);
    const secondary = await rdsS.describeDbCluster(s!.clusterId);
    const binding = bindRegionPair(sim, {
      pair,
      globalClusterId: rb.aurora!.globalClusterId!,
      primary: { arn: primary.dbClusterArn, id: p!.clusterId, region: p!.region },
      secondary: { arn: secondary.dbClusterArn, id: s!.clusterId, region: s!.region },
    });
    const target: CanaryTarget = {
      engine: 'postgres',
      endpoint: rb.canary!.endpoint,
      database: rb.canary!.database,
      secretArn: rb.canary!.secretArn,
      region: p!.region,
      table: rb.canary!.table,
    };
    const runId = `sim-bound-${Date.now()}`;
    const rate = 2; // per simulated second: 40 writes per wall second at scale 20
    const stop = new AbortController();
    const writing = runCanaryWriterLoop({
      connector: binding.connector,
      target,
      runId,
      ratePerSecond: rate,
      clock,
      maxDurationMs: 3_600_000,
      signal: stop.signal,
    });
    await new Promise((r) => setTimeout(r, 1500));
    sim.rdsSim.impairRegion(p!.region);
    await binding.settled(); // the real primary is down
    const requestedAt = clock.now();
    await rdsS.failoverGlobalCluster({
      globalClusterIdentifier: rb.aurora!.globalClusterId!,
      targetDbClusterArn: secondary.dbClusterArn,
      allowDataLoss: true,
    });
    await pollUntil({
      read: () => rdsS.describeGlobalCluster(rb.aurora!.globalClusterId!),
      done: (g) => g.members.some((m) => m.dbClusterArn === secondary.dbClusterArn && m.isWriter),
      clock,
      intervalMs: 1000,
      timeoutMs: 30 * 60_000,
      what: 'failover',
    });
    await binding.settled(); // the real standby is promoted and the writer endpoint moved
    expect(binding.operations.map((o) => o.what)).toEqual(['lose-region', 'promote', 'repoint-writer']);
    await clock.sleep(20_000); // the canary writes on the new writer
    stop.abort();
    const writer = await writing;
    expect(writer.firstWriteAfterOutage).toBeDefined();
    const reader = await readCanaryRows({
      connector: binding.connector,
      target: { ...target, endpoint: secondary.endpoint! },
      runId,
      clock,
    });
    const m = measure({
      timeline: [{ name: 'promotion-started', at: requestedAt, source: 'failoverGlobalCluster' }],
      targets: { rpoMs: 60_000, rtoMs: 3_600_000 },
      canary: { writer, reader },
      resolution: {},
    });
    const truth = groundTruth(
      await pair.oldPrimaryRows(rb.canary!.table, runId),
      await pair.newWriterRows(rb.canary!.table, runId),
      requestedAt,
      rate,
      writer.inDoubtSeqs,
    );
    expect(truth.lostWrites).toBeGreaterThan(0); // 400 ms of real lag = 8 simulated s of writes in flight
    expect(m.lostWrites).toBe(truth.lostWrites);
    expect(m.rpo.status).toBe('measured');
    if (m.rpo.status === 'measured') expect(Math.abs(m.rpo.valueMs - truth.rpoMs)).toBeLessThanOrEqual(1000 / rate);
    const cleaned = await pair.cleanCanary(rb.canary!.table, runId);
    expect(cleaned.map((c) => c.deleted > 0)).toEqual([true, true]);
    await pair.reprotect();
    binding.unbind();
  } finally {
    sim.close();
  }
});
