/** Read-only hooks for the canary and CloudWatch: endpoint resolution, replication targets and lag. */
import type { RdsState } from './state';

/** Resolves a canary endpoint to a cluster ARN (global writer, cluster or reader endpoint). */
export function resolveEndpoint(rds: RdsState, endpoint: string): string | undefined {
  const host = endpoint
    .replace(/^[a-z]+:\/\//, '')
    .split(/[:/]/)[0]!
    .toLowerCase();
  const [id, kind, region] = host.split('.');
  if (!id || !kind) return undefined;
  if (kind.startsWith('global-')) {
    for (const g of rds.globals.values()) if (g.id.toLowerCase() === id) return g.writerArn;
    return undefined;
  }
  if (kind.startsWith('cluster-')) {
    for (const c of rds.clusters.values()) {
      if (c.id.toLowerCase() === id && (region === undefined || c.region === region)) return c.arn;
    }
  }
  return undefined;
}

/** Connected secondaries a write on `arn` replicates to, with their lag. */
export function replicaTargets(rds: RdsState, arn: string): { arn: string; lagMs: number }[] {
  const c = rds.clusters.get(arn);
  if (!c?.globalId) return [];
  const g = rds.globals.get(rds.globalArn(c.account, c.globalId));
  if (!g || g.writerArn !== arn) return [];
  const out: { arn: string; lagMs: number }[] = [];
  for (const a of g.memberArns) {
    if (a === arn) continue;
    const s = rds.clusters.get(a)!;
    if (s.syncStatus === 'connected') out.push({ arn: a, lagMs: s.lagMs });
  }
  return out;
}

/**
 * Replication lag (ms) of a secondary right now: its configured lag, or the time since
 * replication stopped (source region impaired, failover, detach). 0 for a primary/standalone.
 * Feeds CloudWatch `AuroraGlobalDBReplicationLag` / `AuroraGlobalDBRPOLag`.
 */
export function replicationLagMs(rds: RdsState, clusterId: string): number {
  rds.world.advance();
  const c = rds.clusterByIdAnywhere(clusterId);
  const g = c.globalId ? rds.globals.get(rds.globalArn(c.account, c.globalId)) : undefined;
  if (!g || g.writerArn === c.arn || !g.memberArns.includes(c.arn)) return 0;
  const cutAt = rds.sim.canary.cluster(c.arn).cutAt;
  return cutAt === undefined ? c.lagMs : Math.max(c.lagMs, rds.world.now() - cutAt);
}
