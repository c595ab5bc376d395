/**
 * The simulated canary data plane: endpoint resolution (global writer, cluster, reader endpoints),
 * writes only on a writable cluster, replication to secondaries after their lag, reads per
 * cluster, table lifecycle and the errors the canary writer counts.
 */
import { join } from 'node:path';
import type { CanaryTarget } from '../activities/canary/canary-store';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';

const RUNBOOKS = join(__dirname, '..', 'runbooks');
const target = (endpoint: string): CanaryTarget => ({
  engine: 'postgres',
  endpoint,
  database: 'payments',
  secretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gameday/payments-canary-AbCdEf',
  region: 'us-east-1',
  table: 'gameday_canary',
});
const GLOBAL = 'payments-global.global-abc123.global.rds.amazonaws.com';
const USE1 = 'payments-use1.cluster-sim.us-east-1.rds.amazonaws.com';
const USW2 = 'payments-usw2.cluster-sim.us-west-2.rds.amazonaws.com';
const USW2_RO = 'payments-usw2.cluster-ro-sim.us-west-2.rds.amazonaws.com';

describe('sim canary data plane', () => {
  let sim: SimAws;
  beforeEach(() => {
    sim = new SimAws({ scale: 1200, seed: 3 });
    const rb = loadRunbookByName('payments-prod', RUNBOOKS);
    sim.rdsSim.seed(rb);
    sim.secretsSim.seed(rb);
  });
  afterEach(() => sim.close());

  test('the runbook global endpoint resolves to the primary; writes replicate to the secondary after its lag', async () => {
    const writer = await sim.canary.connect(target(GLOBAL));
    await writer.ensureTable();
    const reader = await sim.canary.connect(target(USW2_RO));
    sim.rdsSim.setReplicationLag('payments-usw2', 10 * 60_000);
    const t = sim.world.now();
    for (let seq = 1; seq <= 5; seq++) expect(await writer.write('r1', seq, t + seq)).toEqual({ seq, at: t + seq });
    expect(await (await sim.canary.connect(target(USE1))).presentSeqs('r1', 1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(await reader.presentSeqs('r1', 1, 5)).toEqual([]);
    expect(await reader.newest('r1')).toBeUndefined();
    await sim.world.clock.sleep(10 * 60_000 + 1000);
    expect(await reader.presentSeqs('r1', 2, 4)).toEqual([2, 3, 4]);
    expect(await reader.newest('r1')).toEqual({ seq: 5, at: t + 5 });
  });

  test('a secondary, an impaired region and an unknown host refuse with the errors the writer counts', async () => {
    await expect(sim.canary.connect(target('nope.cluster-x.us-east-1.rds.amazonaws.com'))).rejects.toMatchObject({ name: 'UnknownHost' });
    const writer = await sim.canary.connect(target(GLOBAL));
    await expect(writer.write('r2', 1, 1)).rejects.toMatchObject({ name: 'UndefinedTable' });
    await writer.ensureTable();
    await expect((await sim.canary.connect(target(USW2))).write('r2', 1, 1)).rejects.toMatchObject({ name: 'ConnectionRefused' });
    sim.rdsSim.impairRegion('us-east-1');
    await expect(writer.write('r2', 2, 2)).rejects.toMatchObject({ name: 'ConnectionRefused', retryable: true });
    await expect(writer.presentSeqs('r2', 1, 2)).rejects.toMatchObject({ name: 'ConnectionRefused' });
    sim.rdsSim.restoreRegion('us-east-1');
    await writer.write('r2', 3, 3);
    expect(await writer.presentSeqs('r2', 1, 3)).toEqual([3]);
  });

  test('deleteRun removes the run everywhere and reports the count; many writes stay consistent', async () => {
    const writer = await sim.canary.connect(target(GLOBAL));
    await writer.ensureTable();
    for (let seq = 1; seq <= 5000; seq++) await writer.write('r3', seq, seq);
    await writer.write('other', 1, 1);
    expect((await writer.presentSeqs('r3', 1, 5000)).length).toBe(5000);
    expect(await writer.presentSeqs('r3', 4990, 9999)).toEqual([4990, 4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000]);
    await sim.world.clock.sleep(2000);
    expect(sim.canary.countRows('arn:aws:rds:us-west-2:111122223333:cluster:payments-usw2', 'payments.gameday_canary', 'r3')).toBe(5000);
    expect(await writer.deleteRun('r3')).toBe(5000);
    expect(await writer.presentSeqs('r3', 1, 5000)).toEqual([]);
    expect(await (await sim.canary.connect(target(USW2_RO))).presentSeqs('r3', 1, 5000)).toEqual([]);
    expect(await writer.presentSeqs('other', 1, 1)).toEqual([1]);
  });
});
