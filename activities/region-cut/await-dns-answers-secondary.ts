/** `awaitDnsAnswersSecondary`: the resolver answers the record with the secondary region. */
import type { Detection, RegionCutPlan } from '../../contracts/region-cut';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { readDns } from './reads';

/**
 * Resolves the record (through the resolver clients use: caches and TTLs included) until the
 * answer carries the secondary region's values. Started before the fault. Returns a Detection,
 * `timedOut` when DNS never moved.
 */
export function awaitDnsAnswersSecondary(
  deps: ActivityDeps,
  input: { readonly plan: RegionCutPlan; readonly valuesByRegion: Readonly<Record<string, readonly string[]>>; readonly timeoutMs: number },
): Promise<Detection> {
  const { plan } = input;
  return detect({
    what: `DNS ${plan.recordName} answers with ${plan.secondaryRegion}`,
    read: () => readDns(deps, plan, input.valuesByRegion),
    done: (a) => a.region === plan.secondaryRegion,
    describe: (a) => `${a.values.join(' ')} (${a.region ?? 'unknown region'})`,
    clock: deps.clock,
    intervalMs: plan.pollIntervalMs,
    timeoutMs: input.timeoutMs,
  });
}
