/** AZ and region impairment hooks of the simulated RDS (used by FIS and by tests). */
import { scheduleReadd } from './global-clusters';
import { pickReader, startInRegionFailover } from './in-region-failover';
import { type RdsState } from './state';

/**
 * AZ power interruption: instances in `az` stop; a writer there fails over in-region to a
 * reader in a healthy AZ after 30–60 s (the cluster shows `failing-over` meanwhile).
 */
export function impairAz(rds: RdsState, region: string, az: string): void {
  const now = rds.world.now();
  rds.impairedAzs.add(`${region}/${az}`);
  rds.world.record({ service: 'rds', resource: az, event: 'az-impaired', detail: { region } });
  rds.mutate(now, () => {
    for (const i of rds.instances.values()) {
      if (i.region !== region || i.az !== az || i.status === 'deleting') continue;
      i.status = 'stopped';
      rds.world.record({ service: 'rds', resource: i.id, event: 'instance-stopped', at: now, detail: { az, cluster: i.clusterId } });
    }
  });
  for (const c of rds.clusters.values()) {
    if (c.region !== region || !c.writerId) continue;
    const w = rds.instances.get(rds.instanceArn(c.account, c.region, c.writerId));
    if (w?.az !== az || c.status !== 'available') continue;
    const reader = pickReader(rds, c, undefined);
    if (!reader) continue; // no healthy reader: stays down until the AZ is restored
    startInRegionFailover(rds, c, reader.id, now, 'writer instance lost (AZ impaired)');
  }
}

/** Ends an AZ impairment: its stopped instances come back after 30–90 s. */
export function restoreAz(rds: RdsState, region: string, az: string): void {
  const now = rds.world.now();
  rds.impairedAzs.delete(`${region}/${az}`);
  rds.world.record({ service: 'rds', resource: az, event: 'az-restored', detail: { region } });
  for (const i of rds.instances.values()) {
    if (i.region !== region || i.az !== az || i.status !== 'stopped') continue;
    const at = now + rds.world.between(...rds.durations.instanceRestart);
    rds.transition(at, () => {
      if (i.status !== 'stopped' || !rds.instances.has(i.arn)) return;
      i.status = 'available';
      rds.world.record({ service: 'rds', resource: i.id, event: 'instance-available', at, detail: { az } });
    });
  }
}

/**
 * Regional impairment: every RDS control-plane call in `region` answers InternalFailure (500);
 * its clusters stop accepting canary writes and replication out of the region stops.
 */
export function impairRegion(rds: RdsState, region: string): void {
  const now = rds.world.now();
  rds.mutate(now, () => {
    rds.world.impairedRegions.set(region, now);
    for (const g of rds.globals.values()) {
      if (rds.clusters.get(g.writerArn)?.region !== region) continue;
      for (const a of g.memberArns) if (a !== g.writerArn) rds.sim.canary.cut(a, now);
    }
  });
  rds.world.record({ service: 'rds', resource: region, event: 'region-impaired', at: now });
}

/** Ends a regional impairment; replication resumes and a demoted old primary there is re-added. */
export function restoreRegion(rds: RdsState, region: string): void {
  const now = rds.world.now();
  rds.mutate(now, () => {
    rds.world.impairedRegions.delete(region);
    for (const g of rds.globals.values()) {
      if (rds.clusters.get(g.writerArn)?.region !== region || g.failoverState) continue;
      for (const a of g.memberArns) if (a !== g.writerArn) rds.sim.canary.uncut(a);
    }
  });
  rds.world.record({ service: 'rds', resource: region, event: 'region-restored', at: now });
  for (const c of rds.clusters.values()) {
    if (c.region === region && c.awaitingReadd) {
      c.awaitingReadd = false;
      scheduleReadd(rds, c, now + rds.world.between(...rds.durations.readdOldPrimary));
    }
  }
}
