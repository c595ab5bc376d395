/** `awaitHealthAlarmsFired`: the health alarms of the cut region go to ALARM. */
import type { Detection, RegionCutRef } from '../../contracts/region-cut';
import type { ActivityDeps } from '../deps';
import { detect } from '../scenario-watch';
import { readAlarms } from './reads';

/**
 * Polls the health alarms until every one is in ALARM; each alarm's first ALARM read is in
 * `items`, so one that never fired is named. Started before the fault. Returns a Detection,
 * `timedOut` when not all fired.
 */
export function awaitHealthAlarmsFired(
  deps: ActivityDeps,
  input: RegionCutRef & { readonly alarms: readonly string[]; readonly timeoutMs: number; readonly pollIntervalMs: number },
): Promise<Detection> {
  return detect({
    what: `health alarms ${input.alarms.join(', ')} in ALARM`,
    read: () => readAlarms(deps, input, input.alarms),
    done: (s) => input.alarms.every((n) => s.find((a) => a.alarmName === n)?.stateValue === 'ALARM'),
    describe: (s) => s.map((a) => `${a.alarmName}=${a.stateValue}`).join(', ') || 'no alarm found',
    items: (s) => s.filter((a) => a.stateValue === 'ALARM').map((a) => a.alarmName),
    clock: deps.clock,
    intervalMs: input.pollIntervalMs,
    timeoutMs: input.timeoutMs,
  });
}
