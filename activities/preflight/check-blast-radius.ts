/**
 * Preflight policy check: the account, every region and the clusters' tags lie within the
 * runbook's blast radius.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { check, read } from './check-helpers';

/** Every region the runbook touches, with the field that names it. */
function regionsUsed(rb: Runbook): { region: string; field: string }[] {
  const used: { region: string; field: string }[] = [];
  if (rb.aurora) {
    used.push({ region: rb.aurora.primaryRegion, field: 'aurora.primaryRegion' });
    rb.aurora.members.forEach((m, i) => used.push({ region: m.region, field: `aurora.members.${i}.region` }));
  }
  rb.elasticache.replicationGroups.forEach((g, i) => used.push({ region: g.region, field: `elasticache.replicationGroups.${i}.region` }));
  Object.keys(rb.alarms.health).forEach((r) => used.push({ region: r, field: `alarms.health.${r}` }));
  if (rb.route53) {
    Object.keys(rb.route53.healthChecks).forEach((r) => used.push({ region: r, field: `route53.healthChecks.${r}` }));
    const routing = rb.route53.routing;
    if (routing.policy === 'weighted')
      Object.keys(routing.setIds).forEach((r) => used.push({ region: r, field: `route53.routing.setIds.${r}` }));
    if (routing.policy === 'arc') {
      used.push({ region: routing.clusterRegion, field: 'route53.routing.clusterRegion' });
      Object.keys(routing.routingControls).forEach((r) => used.push({ region: r, field: `route53.routing.routingControls.${r}` }));
    }
  }
  return used;
}

/**
 * Policy checks before anything else: the account and every region the runbook names lie
 * within `blastRadius`, and the Aurora clusters carry `blastRadius.requiredTags`.
 */
export async function checkBlastRadius(deps: ActivityDeps, rb: Runbook): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  const accounts = rb.blastRadius.accounts;
  checks.push(check('blast radius: account', accounts.includes(rb.account), `one of ${accounts.join(', ')}`, rb.account));
  const allowed = rb.blastRadius.regions;
  const outside = regionsUsed(rb).filter((u) => !allowed.includes(u.region));
  checks.push(
    check(
      'blast radius: regions',
      outside.length === 0,
      `every region within ${allowed.join(', ')}`,
      outside.length === 0 ? 'all within' : outside.map((u) => `${u.field}=${u.region}`).join(', '),
    ),
  );
  const required = Object.entries(rb.blastRadius.requiredTags);
  if (required.length > 0 && rb.aurora && outside.length === 0) {
    const wanted = required.map(([k, v]) => `${k}=${v}`).join(', ');
    for (const m of rb.aurora.members) {
      const r = await read(() => deps.aws.rds({ region: m.region, accountId: rb.account }).describeDbCluster(m.clusterId));
      const name = `blast radius: tags of cluster ${m.clusterId}`;
      if (r.missing !== undefined) {
        checks.push(check(name, false, wanted, r.missing));
        continue;
      }
      const tags = r.value.tags;
      const missing = required.filter(([k, v]) => tags[k] !== v);
      checks.push(
        check(
          name,
          missing.length === 0,
          wanted,
          missing.length === 0 ? wanted : `missing ${missing.map(([k]) => `${k}=${tags[k] ?? '(absent)'}`).join(', ')}`,
        ),
      );
    }
  }
  return checks;
}
