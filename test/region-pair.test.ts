/**
 * The real region pairs (sim/real/): PostgreSQL streaming replication and MariaDB binlog
 * replication, each through the delaying proxy, driven through a region loss and a detach with a
 * split brain. The report's figures are checked against the databases' ground truth (the old
 * primary restarted in isolation, row by row), and the canary rows are cleaned on every member.
 */
import { runRealPromotionTrial, type RealTrialResult } from '../sim/real/failover-trial';
import { startMariadbRegionPair } from '../sim/real/mariadb-pair';
import { startPgRegionPair } from '../sim/real/pg-pair';
import type { RegionPair } from '../sim/real/region-pair';

const RATE = 10;
const LAG_MS = 1000;

/** The report agrees with the databases: same lost count, RPO within one canary interval. */
function expectMatchesGroundTruth(r: RealTrialResult): void {
  expect(r.measurement.lostWrites).toBe(r.truth.lostWrites);
  expect(r.equal).toBe(true);
  expect(r.rpoErrorMs).toBeDefined();
  expect(Math.abs(r.rpoErrorMs!)).toBeLessThanOrEqual(1000 / RATE);
  expect(r.truth.phantom).toEqual([]);
  // Cleaned on both members (old primary in isolation too), each holding the run's rows.
  expect(r.cleaned).toHaveLength(2);
  expect(r.cleaned.every((c) => c.deleted > 0)).toBe(true);
  expect(r.configuredRate).toBe(RATE);
  expect(r.achievedRate).toBeGreaterThan(RATE / 2);
  expect(r.achievedRate).toBeLessThanOrEqual(RATE * 1.05);
}

describe.each([
  ['postgres', () => startPgRegionPair({ lagMs: LAG_MS })],
  ['mariadb', () => startMariadbRegionPair({ lagMs: LAG_MS })],
] as const)('real %s region pair', (_engine, start) => {
  let pair: RegionPair;
  beforeAll(async () => {
    pair = await start();
  }, 120_000);
  afterAll(async () => {
    await pair?.destroy();
  });

  test('region loss: the writes in flight on the replication link are lost, exactly as the databases say', async () => {
    const before = pair.members();
    const r = await runRealPromotionTrial({ pair, runId: `loss-${Date.now()}`, mode: 'region-loss', ratePerSecond: RATE }, LAG_MS);
    expectMatchesGroundTruth(r);
    // About lag × rate writes were on the wire (bounded loosely: the machine is shared).
    expect(r.truth.lostWrites).toBeGreaterThanOrEqual(3);
    expect(r.truth.lostWrites).toBeLessThanOrEqual(40);
    expect(r.measurement.splitBrain).toBeUndefined();
    expect(r.truth.splitBrain).toBeUndefined();
    // Re-protected: roles swapped, the old primary now follows the new writer.
    expect(pair.members()).toEqual({ primary: before.standby, standby: before.primary });
  });

  test('detach with the old primary still writable: split-brain writes are their own figure, not RPO', async () => {
    const r = await runRealPromotionTrial(
      { pair, runId: `detach-${Date.now()}`, mode: 'detach', ratePerSecond: RATE, splitBrainMs: 1500 },
      LAG_MS,
    );
    expectMatchesGroundTruth(r);
    const promotedAt = r.timeline.find((e) => e.name === 'promotion-started')!.at;
    const sb = r.measurement.splitBrain!;
    expect(sb).toEqual(r.truth.splitBrain);
    expect(sb.writes).toBeGreaterThanOrEqual(5);
    expect(sb.firstAt).toBeGreaterThanOrEqual(promotedAt);
    // RPO covers only writes acked before the promotion: about the lag, never the split-brain window.
    const rpo = r.measurement.rpo;
    expect(rpo.status).toBe('measured');
    if (rpo.status === 'measured') expect(rpo.valueMs).toBeLessThan(sb.lastAt - promotedAt + LAG_MS);
    expect(r.measurement.notes).toContainEqual(expect.stringMatching(/split brain: \d+ writes .* \(not RPO\)/));
  });
});
