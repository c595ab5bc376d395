/** `checkRegionCutSteadyState`: the steady state before the cut. Read only. */
import type { RegionCutCheck, RegionCutPlan, RegionCutSteadyState } from '../../contracts/region-cut';
import type { ActivityDeps } from '../deps';
import { readAlarms, readDns, readHealthChecks, readLoadBalancers, recordValuesByRegion } from './reads';

/**
 * Reads, before any fault: the entry-point load balancers are active, the health checks of both
 * regions healthy, DNS answers with the cut region, its health alarms and the stop-condition alarms
 * OK. Every check is returned with what it found; the workflow refuses to inject when one fails.
 */
export async function checkRegionCutSteadyState(deps: ActivityDeps, plan: RegionCutPlan): Promise<RegionCutSteadyState> {
  const ref = { region: plan.region, account: plan.account };
  const checks: RegionCutCheck[] = [];
  const lbs = await readLoadBalancers(deps, ref, plan.loadBalancers);
  checks.push({
    name: `load balancers of ${plan.region} active`,
    ok: lbs.length === plan.loadBalancers.length && lbs.every((l) => l.state === 'active'),
    found: lbs.map((l) => `${l.name}=${l.state}`).join(', ') || 'none',
  });
  for (const hc of await readHealthChecks(deps, ref, [...plan.healthChecks, ...plan.secondaryHealthChecks])) {
    checks.push({ name: `health check ${hc.healthCheckId} healthy`, ok: hc.healthy, found: hc.healthy ? 'healthy' : 'unhealthy' });
  }
  const valuesByRegion = await recordValuesByRegion(deps, plan);
  checks.push({
    name: `record ${plan.recordName} has a set per region`,
    ok: Boolean(valuesByRegion[plan.region]?.length && valuesByRegion[plan.secondaryRegion]?.length),
    found:
      Object.entries(valuesByRegion)
        .map(([r, v]) => `${r}: ${v.join(' ')}`)
        .join('; ') || 'no set found',
  });
  const dns = await readDns(deps, plan, valuesByRegion);
  checks.push({
    name: `DNS answers with ${plan.region}`,
    ok: dns.region === plan.region,
    found: `${dns.values.join(' ')} (${dns.region ?? 'unknown region'})`,
  });
  const alarms = await readAlarms(deps, ref, [...plan.healthAlarms, ...plan.stopConditionAlarms]);
  for (const name of [...plan.healthAlarms, ...plan.stopConditionAlarms]) {
    const a = alarms.find((x) => x.alarmName === name);
    checks.push({ name: `alarm ${name} OK`, ok: a?.stateValue === 'OK', found: a ? a.stateValue : 'no such alarm in the region' });
  }
  return { ok: checks.every((c) => c.ok), checks, valuesByRegion, at: deps.clock.now() };
}
