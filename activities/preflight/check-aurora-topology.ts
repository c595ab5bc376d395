/**
 * Preflight check of the Aurora global cluster's topology.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { check, clusterIdOf, read } from './check-helpers';

/**
 * Aurora topology: the global cluster exists and is available, its members are exactly the
 * runbook's clusters, the writer is in `primaryRegion`, every member cluster and instance
 * exists, is available and sits in its AZ.
 */
export async function checkAuroraTopology(deps: ActivityDeps, rb: Runbook): Promise<PreflightCheck[]> {
  const aurora = rb.aurora;
  if (!aurora) return [];
  const checks: PreflightCheck[] = [];
  const rds = (region: string) => deps.aws.rds({ region, accountId: rb.account });
  const primary = aurora.members.find((m) => m.region === aurora.primaryRegion)!;

  if (aurora.globalClusterId) {
    const gid = aurora.globalClusterId;
    const g = await read(() => rds(aurora.primaryRegion).describeGlobalCluster(gid));
    if (g.missing !== undefined) {
      checks.push(check(`aurora: global cluster ${gid}`, false, 'exists and available', g.missing));
    } else {
      const gc = g.value;
      checks.push(
        check(
          `aurora: global cluster ${gid}`,
          gc.status === 'available' && !gc.failoverState,
          'status available, no switchover or failover in progress',
          gc.failoverState ? `status ${gc.status}, failover ${gc.failoverState.status}` : `status ${gc.status}`,
        ),
      );
      const found = gc.members.map((mem) => clusterIdOf(mem.dbClusterArn));
      const expectedIds = aurora.members.map((m) => `${m.clusterId} (${m.region})`).sort();
      const foundIds = found.map((f) => `${f.id} (${f.region})`).sort();
      checks.push(
        check(
          `aurora: members of ${gid}`,
          expectedIds.join(', ') === foundIds.join(', '),
          expectedIds.join(', '),
          foundIds.join(', ') || '(none)',
        ),
      );
      const writer = gc.members.find((mem) => mem.isWriter);
      const w = writer ? clusterIdOf(writer.dbClusterArn) : undefined;
      checks.push(
        check(
          `aurora: writer region of ${gid}`,
          w?.region === aurora.primaryRegion && w.id === primary.clusterId,
          `writer ${primary.clusterId} in ${aurora.primaryRegion} (runbook aurora.primaryRegion)`,
          w ? `writer ${w.id} in ${w.region}` : 'no writer member',
        ),
      );
      for (const mem of gc.members.filter((x) => !x.isWriter)) {
        const s = mem.synchronizationStatus;
        if (s !== undefined)
          checks.push(
            check(`aurora: replication of ${clusterIdOf(mem.dbClusterArn).id}`, s === 'connected', 'synchronization connected', s),
          );
      }
    }
  }

  for (const m of aurora.members) {
    const c = await read(() => rds(m.region).describeDbCluster(m.clusterId));
    const name = `aurora: cluster ${m.clusterId} in ${m.region}`;
    if (c.missing !== undefined) {
      checks.push(check(name, false, 'exists and available', c.missing));
      continue;
    }
    const cl = c.value;
    const inGlobal = !aurora.globalClusterId || cl.globalClusterIdentifier === aurora.globalClusterId;
    checks.push(
      check(
        name,
        cl.status === 'available' && inGlobal,
        aurora.globalClusterId ? `status available, member of ${aurora.globalClusterId}` : 'status available',
        aurora.globalClusterId ? `status ${cl.status}, member of ${cl.globalClusterIdentifier ?? '(none)'}` : `status ${cl.status}`,
      ),
    );
    if (m.region === aurora.primaryRegion && m.instances && m.instances.length > 0) {
      const writer = cl.members.find((x) => x.isClusterWriter)?.dbInstanceIdentifier;
      checks.push(
        check(
          `aurora: writer instance of ${m.clusterId}`,
          writer === m.instances[0]!.id,
          `${m.instances[0]!.id} (first of aurora.members[].instances)`,
          writer ?? '(no writer)',
        ),
      );
    }
    for (const inst of m.instances ?? []) {
      const i = await read(() => rds(m.region).describeDbInstance(inst.id));
      const iname = `aurora: instance ${inst.id}`;
      if (i.missing !== undefined) {
        checks.push(check(iname, false, `available in ${inst.az}`, i.missing));
        continue;
      }
      const di = i.value;
      checks.push(
        check(
          iname,
          di.status === 'available' && di.availabilityZone === inst.az && di.dbClusterIdentifier === m.clusterId,
          `available in ${inst.az}, in cluster ${m.clusterId}`,
          `${di.status} in ${di.availabilityZone ?? '?'}, in cluster ${di.dbClusterIdentifier ?? '?'}`,
        ),
      );
    }
  }
  return checks;
}
