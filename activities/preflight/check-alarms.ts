/**
 * Preflight check of the health and stop-condition alarms.
 */
import type { PreflightCheck } from '../../contracts/preflight';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import { check, read } from './check-helpers';

/** Health alarms (per region) and FIS stop-condition alarms (primary region) exist and are OK. */
export async function checkAlarms(deps: ActivityDeps, rb: Runbook): Promise<PreflightCheck[]> {
  const byRegion = new Map<string, string[]>();
  for (const [region, names] of Object.entries(rb.alarms.health)) byRegion.set(region, [...names]);
  const stopRegion = rb.aurora?.primaryRegion ?? rb.blastRadius.regions[0]!;
  if (rb.alarms.stopConditions.length > 0) byRegion.set(stopRegion, [...(byRegion.get(stopRegion) ?? []), ...rb.alarms.stopConditions]);
  const checks: PreflightCheck[] = [];
  for (const [region, names] of byRegion) {
    const unique = [...new Set(names)];
    const r = await read(() => deps.aws.cloudwatch({ region, accountId: rb.account }).describeAlarms(unique));
    for (const name of unique) {
      const a = r.value?.find((x) => x.alarmName === name);
      checks.push(
        check(
          `alarm ${name} (${region})`,
          a?.stateValue === 'OK',
          'exists, state OK',
          r.missing ?? (a ? `state ${a.stateValue}${a.stateReason ? ` (${a.stateReason})` : ''}` : 'no such alarm'),
        ),
      );
    }
  }
  return checks;
}
