/**
 * Preflight check of the ElastiCache replication groups.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { check, read } from './check-helpers';

/** ElastiCache replication groups exist and are available. */
export async function checkCacheGroups(deps: ActivityDeps, rb: Runbook): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  for (const g of rb.elasticache.replicationGroups) {
    const r = await read(() => deps.aws.elasticache({ region: g.region, accountId: rb.account }).describeReplicationGroup(g.id));
    const name = `elasticache: ${g.id} (${g.region})`;
    checks.push(check(name, r.value?.status === 'available', 'exists, status available', r.missing ?? `status ${r.value!.status}`));
  }
  return checks;
}
