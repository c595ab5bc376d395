/**
 * The reads of a region cut: Route 53 health checks, the health alarms, the record's values per
 * region, which region a DNS answer points at, and the entry-point load balancers. Read only.
 */
import type { RegionCutPlan, RegionCutRef } from '../../contracts/region-cut';
import { withAwsErrors } from '../aws/errors';
import type { AlarmState, HealthCheckStatus, LoadBalancer } from '../aws/ports';
import type { ActivityDeps } from '../deps';

/** Status of each health check. */
export async function readHealthChecks(deps: ActivityDeps, ref: RegionCutRef, ids: readonly string[]): Promise<HealthCheckStatus[]> {
  const api = deps.aws.route53({ accountId: ref.account });
  const out: HealthCheckStatus[] = [];
  for (const id of ids) out.push(await withAwsErrors(() => api.getHealthCheckStatus(id), `route53.getHealthCheckStatus(${id})`));
  return out;
}

/** State of each named alarm of the region (an absent alarm is missing from the answer). */
export function readAlarms(deps: ActivityDeps, ref: RegionCutRef, names: readonly string[]): Promise<AlarmState[]> {
  return withAwsErrors(
    () => deps.aws.cloudwatch({ region: ref.region, accountId: ref.account }).describeAlarms(names),
    `cloudwatch.describeAlarms(${names.join(',')})`,
  );
}

/** The entry-point load balancers of the region. */
export function readLoadBalancers(deps: ActivityDeps, ref: RegionCutRef, names: readonly string[]): Promise<LoadBalancer[]> {
  return withAwsErrors(
    () => deps.aws.elbv2({ region: ref.region, accountId: ref.account }).describeLoadBalancers(names),
    `elbv2.describeLoadBalancers(${names.join(',')})`,
  );
}

/** Values (CNAME targets, alias DNS names) of the record's set of each region, from the routing of the runbook. */
export async function recordValuesByRegion(deps: ActivityDeps, plan: RegionCutPlan): Promise<Record<string, string[]>> {
  const api = deps.aws.route53({ accountId: plan.account });
  const sets = await withAwsErrors(
    () => api.listResourceRecordSets({ hostedZoneId: plan.hostedZoneId, name: plan.recordName }),
    `route53.listResourceRecordSets(${plan.hostedZoneId})`,
  );
  const norm = (n: string): string => n.toLowerCase().replace(/\.$/, '');
  const routing = plan.runbook.route53!.routing;
  const setIdOf = (region: string): string | undefined =>
    routing.policy === 'failover'
      ? region === plan.region
        ? routing.primarySetId
        : region === plan.secondaryRegion
          ? routing.secondarySetId
          : undefined
      : routing.policy === 'weighted'
        ? routing.setIds[region]
        : undefined;
  const out: Record<string, string[]> = {};
  for (const region of [plan.region, plan.secondaryRegion]) {
    const set = sets.find((r) => norm(r.name) === norm(plan.recordName) && (r.setIdentifier === setIdOf(region) || r.region === region));
    if (set) out[region] = [...(set.values ?? []), ...(set.aliasTarget ? [set.aliasTarget.dnsName] : [])].map(norm);
  }
  return out;
}

/** The region whose record values a DNS answer carries, or undefined (e.g. an alias answered with addresses). */
export function regionOfAnswer(values: readonly string[], byRegion: Readonly<Record<string, readonly string[]>>): string | undefined {
  const norm = (n: string): string => n.toLowerCase().replace(/\.$/, '');
  const answer = values.map(norm);
  return Object.entries(byRegion).find(([, vs]) => vs.some((v) => answer.includes(v)))?.[0];
}

/** What the resolver answers now, and the region it points at. */
export async function readDns(
  deps: ActivityDeps,
  plan: RegionCutPlan,
  byRegion: Readonly<Record<string, readonly string[]>>,
): Promise<{ values: readonly string[]; region?: string }> {
  const a = await withAwsErrors(() => deps.aws.dns().resolve(plan.recordName), `dns.resolve(${plan.recordName})`);
  const region = regionOfAnswer(a.values, byRegion);
  return { values: a.values, ...(region ? { region } : {}) };
}
