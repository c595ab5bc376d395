/** `awaitRegionRestored`: after the experiment is stopped, the cut region serves again. */
import type { Detection, RegionCutPlan } from '../../contracts/region-cut';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { readAlarms, readDns, readHealthChecks } from './reads';

/**
 * Polls until the cut region's health checks are healthy, its health alarms OK and DNS answers
 * with it again (the world the next scenario of a game day starts from). Returns a Detection,
 * `timedOut` when the region did not come back.
 */
export function awaitRegionRestored(
  deps: ActivityDeps,
  input: { readonly plan: RegionCutPlan; readonly valuesByRegion: Readonly<Record<string, readonly string[]>>; readonly timeoutMs: number },
): Promise<Detection> {
  const { plan } = input;
  const ref = { region: plan.region, account: plan.account };
  return detect({
    what: `${plan.region} restored: health checks healthy, alarms OK, DNS answers with it`,
    read: async () => ({
      hcs: await readHealthChecks(deps, ref, plan.healthChecks),
      alarms: await readAlarms(deps, ref, plan.healthAlarms),
      dns: await readDns(deps, plan, input.valuesByRegion),
    }),
    done: (s) => s.hcs.every((h) => h.healthy) && s.alarms.every((a) => a.stateValue === 'OK') && s.dns.region === plan.region,
    describe: (s) =>
      [
        ...s.hcs.map((h) => `${h.healthCheckId}=${h.healthy ? 'healthy' : 'unhealthy'}`),
        ...s.alarms.map((a) => `${a.alarmName}=${a.stateValue}`),
        `dns=${s.dns.region ?? '?'}`,
      ].join(', '),
    clock: deps.clock,
    intervalMs: plan.pollIntervalMs,
    timeoutMs: input.timeoutMs,
  });
}
