/** Global-cluster operations of the simulated Aurora: switchover, failover (with data loss), re-adding the old primary, detach. */
import type { GlobalCluster } from '../../activities/aws/ports';
import { RDS_DURATIONS, SEC, err, lostSeqs, type ClusterState, type GlobalState, type RdsState } from './state';
import { viewGlobal } from './views';

/** Planned switchover (RPO 0): pending → switching-over (old primary fenced) → promotion after replication drains → available. */
export function switchover(rds: RdsState, globalId: string, targetRef: string, region: string, account?: string): GlobalCluster {
  const { g, target, primary } = globalPromotionParties(rds, globalId, targetRef, region, account);
  if (!rds.isWritableCluster(primary.arn)) {
    throw err(
      'InvalidDBClusterStateFault',
      `The primary DB cluster ${primary.arn} is not available; use FailoverGlobalCluster with AllowDataLoss for an unplanned failover.`,
    );
  }
  const t0 = beginGlobalOperation(rds, g, primary, target, 'switchover');
  rds.event(target, t0, `Global switchover to DB cluster ${target.id} in Region ${target.region} started.`, ['global-failover']);
  const t1 = t0 + rds.world.between(...RDS_DURATIONS.switchoverPending);
  const t2 = Math.max(t0 + rds.world.between(...RDS_DURATIONS.switchoverTotal), t1 + target.lagMs + 5 * SEC);
  const t3 = t2 + rds.world.between(...RDS_DURATIONS.switchoverFinish);
  rds.transition(t1, () => {
    g.failoverState = { ...g.failoverState!, status: 'switching-over' };
    primary.fenced = true;
    rds.world.record({
      service: 'rds',
      resource: primary.id,
      event: 'cluster-writes-blocked',
      at: t1,
      detail: { reason: 'switchover: old primary demoted' },
    });
    rds.event(primary, t1, `Old primary DB cluster ${primary.id} in Region ${primary.region} successfully shut down.`, ['global-failover']);
    rds.event(
      target,
      t1,
      `Waiting for data synchronization across global cluster members. Current lags behind primary DB cluster: ${target.lagMs} ms.`,
      ['global-failover'],
    );
  });
  rds.transition(t2, () => {
    // Replication drains before the promotion: RPO 0.
    for (const a of g.memberArns) if (a !== primary.arn) rds.sim.canary.drain(a);
    for (const a of g.memberArns) if (a !== target.arn && a !== primary.arn) rds.sim.canary.copyRows(target.arn, a);
    rds.sim.canary.copyRows(target.arn, primary.arn);
    g.writerArn = target.arn;
    primary.fenced = false;
    target.fenced = false;
    rds.world.record({
      service: 'rds',
      resource: g.id,
      event: 'global-promotion-complete',
      at: t2,
      detail: { newWriter: target.arn, clusterId: target.id, region: target.region, mode: 'switchover' },
    });
    rds.world.record({
      service: 'rds',
      resource: g.id,
      event: 'writes-lost',
      at: t2,
      detail: { count: 0, mode: 'switchover', newWriter: target.arn },
    });
    // RDS-EVENT-0184: the new writer exists (the cluster accepts writes from here on).
    rds.event(target, t2, `New primary DB cluster ${target.id} in Region ${target.region} was successfully promoted.`, ['global-failover']);
  });
  rds.transition(t3, () => {
    endGlobalOperation(
      rds,
      g,
      target,
      t3,
      'global-switchover-complete',
      // RDS-EVENT-0185
      `Global switchover to DB cluster ${target.id} in Region ${target.region} finished.`,
    );
  });
  return viewGlobal(rds, g);
}

/** Unplanned failover with data loss: replication into the target is cut, the unreplicated tail is lost, the old primary is re-added later. */
export function failover(rds: RdsState, globalId: string, targetRef: string, region: string, account?: string): GlobalCluster {
  const { g, target, primary } = globalPromotionParties(rds, globalId, targetRef, region, account);
  const t0 = beginGlobalOperation(rds, g, primary, target, 'failover');
  const t1 = t0 + rds.world.between(...RDS_DURATIONS.failoverPending);
  const t2 = Math.max(t0 + rds.world.between(...RDS_DURATIONS.failoverTotal), t1 + 5 * SEC);
  const t3 = t2 + rds.world.between(...RDS_DURATIONS.failoverFinish);
  rds.transition(t1, () => {
    g.failoverState = { ...g.failoverState!, status: 'failing-over' };
    // Replication into the target stops now; whatever has not arrived is the unreplicated tail.
    rds.sim.canary.cut(target.arn, t1);
    primary.fenced = true;
    const impaired = rds.world.impairedRegions.has(primary.region);
    rds.world.record({
      service: 'rds',
      resource: primary.id,
      event: 'cluster-writes-blocked',
      at: t1,
      detail: { reason: 'failover: write fencing', fenced: !impaired },
    });
    const writer = primary.writerId ?? primary.id;
    rds.event(
      primary,
      t1,
      impaired
        ? `Attempt to block writes for DB cluster ${primary.id} in Region ${primary.region} timed out.`
        : `Attempt to block writes for DB cluster ${primary.id} in Region ${primary.region} succeeded.`,
      ['notification', 'global-database'],
      writer,
      'db-instance',
    );
  });
  rds.transition(t2, () => {
    const lost = rds.sim.canary.dropUnreplicated(target.arn, t2);
    for (const a of g.memberArns) if (a !== target.arn && a !== primary.arn) rds.sim.canary.copyRows(target.arn, a);
    g.writerArn = target.arn;
    target.fenced = false;
    primary.syncStatus = 'pending-resync';
    rds.world.record({
      service: 'rds',
      resource: g.id,
      event: 'global-promotion-complete',
      at: t2,
      detail: { newWriter: target.arn, clusterId: target.id, region: target.region, mode: 'failover' },
    });
    rds.world.record({
      service: 'rds',
      resource: g.id,
      event: 'writes-lost',
      at: t2,
      detail: { count: lost.length, mode: 'failover', newWriter: target.arn, cutAt: t1, seqs: lostSeqs(lost) },
    });
    // RDS-EVENT-0238 when the target has become the writer; the global cluster's failover state
    // clears (and the global writer endpoint's DNS moves, RDS-EVENT-0397) a little later.
    rds.event(target, t2, `Global failover to DB cluster ${target.id} in Region ${target.region} completed.`, ['global-failover']);
  });
  rds.transition(t3, () => {
    endGlobalOperation(rds, g, target, t3, 'global-failover-complete');
    if (rds.world.impairedRegions.has(primary.region)) primary.awaitingReadd = true;
    else scheduleReadd(rds, primary, t3 + rds.world.between(...RDS_DURATIONS.readdOldPrimary));
  });
  return viewGlobal(rds, g);
}

/** The old primary re-joins as a secondary after a failover (its unreplicated tail is discarded). */
export function scheduleReadd(rds: RdsState, old: ClusterState, at: number): void {
  const g = old.globalId ? rds.globals.get(rds.globalArn(old.account, old.globalId)) : undefined;
  if (!g) return;
  rds.event(old, at - 1, `Started resynchronizing members of DB cluster ${old.id} in Region ${old.region} after global failover.`, [
    'global-failover',
  ]);
  rds.transition(at, () => {
    if (!rds.clusters.has(old.arn) || !g.memberArns.includes(old.arn) || g.writerArn === old.arn) return;
    rds.sim.canary.copyRows(g.writerArn, old.arn);
    old.syncStatus = 'connected';
    old.fenced = false;
    rds.world.record({ service: 'rds', resource: old.id, event: 'member-resynced', at, detail: { globalId: g.id, writer: g.writerArn } });
    rds.event(old, at, `Finished resynchronizing members of DB cluster ${old.id} in Region ${old.region} after global failover.`, [
      'global-failover',
    ]);
  });
}

/** Detaches a member from its global cluster: a secondary is promoted to a standalone cluster (its unreplicated tail is lost). */
export function detach(rds: RdsState, globalId: string, clusterRef: string, region: string, account?: string): GlobalCluster {
  const g = rds.globalById(globalId, account);
  const c = rds.clusterByRef(clusterRef, region, account);
  assertMember(rds, g, c);
  assertNoGlobalOperation(rds, g);
  const t0 = rds.world.now();
  if (g.writerArn === c.arn) {
    if (g.memberArns.length > 1) {
      throw err(
        'InvalidGlobalClusterStateFault',
        `The primary DB cluster ${c.arn} can't be removed from global cluster ${g.id} while it has secondary clusters; remove the secondaries first.`,
      );
    }
    rds.mutate(t0, () => {
      g.memberArns = [];
      c.globalId = undefined;
    });
    rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-detached', at: t0, detail: { globalId: g.id } });
    return viewGlobal(rds, g);
  }
  rds.mutate(t0, () => {
    g.memberArns = g.memberArns.filter((a) => a !== c.arn);
    c.status = 'promoting';
    rds.sim.canary.cut(c.arn, t0);
  });
  rds.world.record({ service: 'rds', resource: g.id, event: 'global-detach-requested', at: t0, detail: { cluster: c.arn } });
  const t1 = t0 + rds.world.between(...RDS_DURATIONS.detach);
  rds.transition(t1, () => {
    const lost = rds.sim.canary.dropUnreplicated(c.arn, t1);
    c.globalId = undefined;
    c.status = 'available';
    c.fenced = false;
    c.syncStatus = 'connected';
    rds.world.record({ service: 'rds', resource: c.id, event: 'cluster-detached', at: t1, detail: { globalId: g.id } });
    rds.world.record({
      service: 'rds',
      resource: g.id,
      event: 'writes-lost',
      at: t1,
      detail: { count: lost.length, mode: 'detach', newWriter: c.arn, cutAt: t0, seqs: lostSeqs(lost) },
    });
    // No event: the RDS event catalog (USER_Events.Messages) documents none for RemoveFromGlobalCluster,
    // so a detach is timed by its observation window alone.
  });
  return viewGlobal(rds, g);
}

/**
 * Resolves and checks the parties of a switchover or failover: no operation in flight, the target
 * a member of the global cluster but not its writer, and promotable; `primary` is the writer.
 */
export function globalPromotionParties(
  rds: RdsState,
  globalId: string,
  targetRef: string,
  region: string,
  account?: string,
): { g: GlobalState; target: ClusterState; primary: ClusterState } {
  const g = rds.globalById(globalId, account);
  const target = rds.clusterByRef(targetRef, region, account);
  assertNoGlobalOperation(rds, g);
  assertMember(rds, g, target);
  if (g.writerArn === target.arn) {
    throw err('InvalidGlobalClusterStateFault', `The DB cluster ${target.arn} is already the primary cluster of global cluster ${g.id}.`);
  }
  assertPromotable(rds, target);
  return { g, target, primary: rds.clusters.get(g.writerArn)! };
}

/** Starts a switchover or failover now (status, pending `failoverState`, ground truth); returns its start time. */
export function beginGlobalOperation(
  rds: RdsState,
  g: GlobalState,
  primary: ClusterState,
  target: ClusterState,
  kind: 'switchover' | 'failover',
): number {
  const t0 = rds.world.now();
  g.status = kind === 'switchover' ? 'switching-over' : 'failing-over';
  g.failoverState = {
    status: 'pending',
    fromDbClusterArn: primary.arn,
    toDbClusterArn: target.arn,
    isDataLossAllowed: kind === 'failover',
  };
  rds.world.record({
    service: 'rds',
    resource: g.id,
    event: `global-${kind}-requested`,
    at: t0,
    detail: { from: primary.arn, to: target.arn },
  });
  return t0;
}

/**
 * Ends a switchover or failover at `at`: the global cluster available again, `event` recorded,
 * `message` (if any) and the DNS change (RDS-EVENT-0397, its catalog text) in the event log.
 */
export function endGlobalOperation(rds: RdsState, g: GlobalState, target: ClusterState, at: number, event: string, message?: string): void {
  g.failoverState = undefined;
  g.status = 'available';
  rds.world.record({ service: 'rds', resource: g.id, event, at, detail: { newWriter: target.arn } });
  if (message !== undefined) rds.event(target, at, message, ['global-failover']);
  rds.event(target, at, 'Aurora finished changing the DNS name that the global writer endpoint resolves to.', ['global-failover']);
}

/** Throws unless `c` is a member of `g`. */
export function assertMember(rds: RdsState, g: GlobalState, c: ClusterState): void {
  if (!g.memberArns.includes(c.arn)) {
    throw err('InvalidGlobalClusterStateFault', `The DB cluster ${c.arn} is not a member of global cluster ${g.id}.`);
  }
}

/** Throws while a switchover or failover of `g` is in flight. */
export function assertNoGlobalOperation(rds: RdsState, g: GlobalState): void {
  if (g.failoverState) {
    throw err(
      'InvalidGlobalClusterStateFault',
      `Global cluster ${g.id} is in ${g.failoverState.status} state; wait for the current switchover or failover to finish.`,
    );
  }
}

/** Throws unless `c` is available and serves reads. */
export function assertPromotable(rds: RdsState, c: ClusterState): void {
  if (c.status !== 'available' || !rds.isReadableCluster(c.arn)) {
    throw err(
      'InvalidDBClusterStateFault',
      `DB cluster ${c.id} is not in an available state (status ${c.status}) or has no available DB instance.`,
    );
  }
}
