/**
 * Preflight check of traffic routing (Route 53 records or ARC routing controls) and health checks.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { check, read, sameName, targetOf } from './check-helpers';

/**
 * Traffic routing: the Route 53 records (failover PRIMARY/SECONDARY or weights) or ARC routing
 * controls send traffic to `aurora.primaryRegion`, and the health checks are healthy.
 */
export async function checkTrafficRouting(deps: ActivityDeps, rb: Runbook): Promise<PreflightCheck[]> {
  const r53 = rb.route53;
  if (!r53) return [];
  const checks: PreflightCheck[] = [];
  const primaryRegion = rb.aurora?.primaryRegion;
  const primaryCluster = rb.aurora?.members.find((m) => m.region === primaryRegion)?.clusterId;
  const route53 = deps.aws.route53({ accountId: rb.account });
  const routing = r53.routing;

  if (routing.policy === 'failover' || routing.policy === 'weighted') {
    const r = await read(() => route53.listResourceRecordSets({ hostedZoneId: r53.hostedZoneId, name: r53.recordName }));
    if (r.missing !== undefined) {
      checks.push(check(`route53: records ${r53.recordName}`, false, `records in zone ${r53.hostedZoneId}`, r.missing));
    } else {
      const sets = r.value.filter((rs) => sameName(rs.name, r53.recordName));
      const bySet = (id: string) => sets.find((rs) => rs.setIdentifier === id);
      if (routing.policy === 'failover') {
        for (const [id, role] of [
          [routing.primarySetId, 'PRIMARY'],
          [routing.secondarySetId, 'SECONDARY'],
        ] as const) {
          const rs = bySet(id);
          checks.push(
            check(
              `route53: ${role} record ${r53.recordName} (${id})`,
              rs?.failover === role,
              `set ${id} with failover ${role}`,
              rs
                ? `set ${id} with failover ${rs.failover ?? '(none)'} → ${targetOf(rs)}`
                : `no record set ${id} (found: ${sets.map((s) => s.setIdentifier ?? '(simple)').join(', ') || 'none'})`,
            ),
          );
        }
        const prim = bySet(routing.primarySetId);
        if (prim && primaryRegion && primaryCluster) {
          const target = targetOf(prim);
          const pointsThere = prim.region === primaryRegion || target.includes(primaryCluster) || target.includes(`.${primaryRegion}.`);
          checks.push(check(`route53: PRIMARY record target`, pointsThere, `the ${primaryRegion} cluster ${primaryCluster}`, target));
        }
      } else {
        const weights = Object.entries(routing.setIds).map(([region, id]) => ({ region, id, weight: bySet(id)?.weight }));
        const missing = weights.filter((w) => w.weight === undefined);
        const wrong = weights.filter((w) => w.weight !== undefined && (w.region === primaryRegion ? w.weight === 0 : w.weight > 0));
        const foundText = weights.map((w) => `${w.id}=${w.weight ?? '(missing)'}`).join(', ');
        checks.push(
          check(
            `route53: weights of ${r53.recordName}`,
            missing.length === 0 && wrong.length === 0,
            `all weight on ${primaryRegion ?? '?'} (${primaryRegion ? (routing.setIds[primaryRegion] ?? '?') : '?'}), 0 elsewhere`,
            foundText,
          ),
        );
      }
    }
  } else {
    const arc = deps.aws.arc({ region: routing.clusterRegion, accountId: rb.account, clusterEndpoints: routing.clusterEndpoints });
    for (const [region, arn] of Object.entries(routing.routingControls)) {
      const want = region === primaryRegion ? 'On' : 'Off';
      const s = await read(() => arc.getRoutingControlState(arn));
      checks.push(check(`arc: routing control ${region}`, s.value?.state === want, want, s.missing ?? s.value!.state));
    }
  }

  for (const [region, id] of Object.entries(r53.healthChecks)) {
    const h = await read(() => route53.getHealthCheckStatus(id));
    const name = `route53: health check ${id} (${region})`;
    if (h.missing !== undefined) checks.push(check(name, false, 'healthy', h.missing));
    else
      checks.push(
        check(
          name,
          h.value.healthy,
          'healthy',
          h.value.healthy
            ? 'healthy'
            : `unhealthy (${h.value.observations.map((o) => `${o.region}: ${o.status}`).join('; ') || 'no observations'})`,
        ),
      );
  }
  return checks;
}
