/**
 * A watch of the health alarms for a while after a traffic step.
 */
import type { AlarmState } from '../aws/ports';
import { pollUntil } from '../aws/poll';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks, readRiding } from './activity-context';
import { activityPollOptions } from './activity-poll';
import type { HealthAlarmsResult, PollSettings } from '../../contracts/promotion';

/**
 * Watches the health alarms of `regions` (runbook `alarms.health`) for `durationMs` of clock time
 * after a traffic step; returns at once with `ok: false` when one enters ALARM.
 */
export async function watchHealthAlarms(
  deps: ActivityDeps,
  input: { readonly runbook: Runbook; readonly regions: readonly string[]; readonly durationMs: number; readonly poll: PollSettings },
): Promise<HealthAlarmsResult> {
  const hooks = activityHooks();
  const byRegion = input.regions
    .map((region) => ({ region, names: input.runbook.alarms.health[region] ?? [] }))
    .filter((x) => x.names.length > 0);
  const readAll = async (): Promise<AlarmState[]> => {
    const out: AlarmState[] = [];
    for (const { region, names } of byRegion) {
      const cw = deps.aws.cloudwatch({ region, accountId: input.runbook.account });
      out.push(...(await readRiding(() => cw.describeAlarms(names), deps.clock, hooks.signal ? { signal: hooks.signal } : {})));
    }
    return out;
  };
  const start = deps.clock.now();
  const firing = (states: readonly AlarmState[]): boolean => states.some((s) => s.stateValue === 'ALARM');
  // Done when an alarm fires or the watch period is over; the deadline is one poll past the
  // period, so the period's end is always reached as `done`, never as a timeout.
  const { state: states, observedAt } = await pollUntil({
    ...activityPollOptions(
      deps.clock,
      hooks,
      { intervalMs: input.poll.intervalMs, fastIntervalMs: input.poll.intervalMs },
      input.durationMs + input.poll.intervalMs,
    ),
    read: () => withAwsErrors(readAll, 'cloudwatch.describeAlarms'),
    done: (s) => firing(s) || deps.clock.now() - start >= input.durationMs,
    what: `health alarms of ${input.regions.join(', ')}`,
  });
  return { ok: !firing(states), alarms: states.map((s) => ({ alarmName: s.alarmName, stateValue: s.stateValue })), checkedAt: observedAt };
}
