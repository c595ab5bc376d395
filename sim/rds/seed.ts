/** Seeding the simulated RDS from a runbook, and drift helpers for tests. */
import { parseDuration, type Runbook } from '../../runbooks/schema';
import { MIN, SEC, engineOf, err, versionOf, type ClusterState, type RdsState } from './state';

/** Creates the runbook's Aurora resources (global cluster, members, instances, snapshots) in a healthy state; idempotent. */
export function seed(rds: RdsState, rb: Runbook): void {
  const a = rb.aurora;
  if (!a) return;
  const account = rb.account;
  rds.defaultAccount ??= account;
  const engine = engineOf(a.engine);
  const tags: Record<string, string> = { ...rb.blastRadius.requiredTags, 'gameday:service': rb.service };
  if (rb.fis) tags[rb.fis.targetTag.key] = rb.fis.targetTag.value;
  const now = rds.world.now();
  const backtrack = a.backtrackWindow && engine === 'aurora-mysql' ? Math.round(parseDuration(a.backtrackWindow) / SEC) : 0;
  let primaryArn: string | undefined;
  const memberArns: string[] = [];
  for (const m of a.members) {
    const arn = rds.clusterArn(account, m.region, m.clusterId);
    memberArns.push(arn);
    if (m.region === a.primaryRegion) primaryArn = arn;
    if (rds.clusters.has(arn)) continue;
    const instances = m.instances ?? [
      { id: `${m.clusterId}-a`, az: `${m.region}a` },
      { id: `${m.clusterId}-b`, az: `${m.region}b` },
    ];
    const c: ClusterState = {
      id: m.clusterId,
      arn,
      account,
      region: m.region,
      engine,
      engineVersion: versionOf(engine),
      status: 'available',
      instanceIds: [],
      globalId: a.globalClusterId,
      fenced: false,
      syncStatus: 'connected',
      awaitingReadd: false,
      backtrackWindowSeconds: backtrack,
      createdAt: now - 30 * 24 * 60 * MIN,
      subnetGroup: `${rb.service}-${rb.environment}-db`,
      tags: { ...tags },
      lagMs: Math.round(rds.world.between(...rds.durations.replicationLag)),
      backtracks: [],
    };
    rds.clusters.set(arn, c);
    for (const i of instances) {
      rds.addInstance(c, i.id, i.az, 'db.r6g.large', 'available', tags);
      c.writerId ??= i.id;
    }
    const snapTime = now - 6 * 60 * MIN;
    const snapId = `rds:${m.clusterId}-${new Date(snapTime).toISOString().slice(0, 16).replace(/[T:]/g, '-')}`;
    const snapArn = `arn:aws:rds:${m.region}:${account}:cluster-snapshot:${snapId}`;
    rds.snapshots.set(snapArn, {
      id: snapId,
      arn: snapArn,
      account,
      region: m.region,
      clusterId: m.clusterId,
      engine,
      createdAt: snapTime,
    });
  }
  if (a.globalClusterId && primaryArn) {
    const gArn = rds.globalArn(account, a.globalClusterId);
    if (!rds.globals.has(gArn)) {
      rds.globals.set(gArn, {
        id: a.globalClusterId,
        arn: gArn,
        account,
        engine,
        engineVersion: versionOf(engine),
        status: 'available',
        writerArn: primaryArn,
        memberArns,
      });
    }
  }
}

/** Drift for tests: makes the member in `region` the writer at once (no transition, no data movement). */
export function setWriterRegion(rds: RdsState, globalId: string, region: string): void {
  const g = rds.globalById(globalId);
  const target = g.memberArns.map((a) => rds.clusters.get(a)!).find((c) => c.region === region);
  if (!target) throw err('DBClusterNotFoundFault', `global cluster ${globalId} has no member in ${region}`, 404);
  rds.mutate(rds.world.now(), () => {
    g.writerArn = target.arn;
  });
  rds.world.record({ service: 'rds', resource: globalId, event: 'drift-writer-region', detail: { region, writer: target.arn } });
}

/** Drift for tests: detaches `clusterId` from its global cluster at once, as a standalone writable cluster. */
export function removeMember(rds: RdsState, globalId: string, clusterId: string): void {
  const g = rds.globalById(globalId);
  const c = g.memberArns.map((a) => rds.clusters.get(a)!).find((x) => x.id === clusterId);
  if (!c) throw err('DBClusterNotFoundFault', `${clusterId} is not a member of ${globalId}`, 404);
  rds.mutate(rds.world.now(), () => {
    g.memberArns = g.memberArns.filter((a) => a !== c.arn);
    c.globalId = undefined;
    rds.sim.canary.uncut(c.arn);
  });
  rds.world.record({ service: 'rds', resource: clusterId, event: 'drift-member-removed', detail: { globalId } });
}
