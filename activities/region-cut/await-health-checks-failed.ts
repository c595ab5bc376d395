/** `awaitHealthChecksFailed`: the Route 53 health checks of the cut region fail. */
import type { Detection, RegionCutRef } from '../../contracts/region-cut';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { readHealthChecks } from './reads';

/**
 * Polls the health checks (`GetHealthCheckStatus`, the checkers' majority view) until every one
 * reports unhealthy; each check's first unhealthy read is in `items`. Started before the fault, so
 * its first read saw them healthy. Returns a Detection, `timedOut` when they never failed.
 */
export function awaitHealthChecksFailed(
  deps: ActivityDeps,
  input: RegionCutRef & { readonly healthChecks: readonly string[]; readonly timeoutMs: number; readonly pollIntervalMs: number },
): Promise<Detection> {
  return detect({
    what: `Route 53 health checks ${input.healthChecks.join(', ')} unhealthy`,
    read: () => readHealthChecks(deps, input, input.healthChecks),
    done: (s) => s.every((h) => !h.healthy),
    describe: (s) => s.map((h) => `${h.healthCheckId}=${h.healthy ? 'healthy' : 'unhealthy'}`).join(', '),
    items: (s) => s.filter((h) => !h.healthy).map((h) => h.healthCheckId),
    clock: deps.clock,
    intervalMs: input.pollIntervalMs,
    timeoutMs: input.timeoutMs,
  });
}
