/**
 * The health alarms of a region, read once or waited for until OK.
 */
import type { AlarmState } from '../aws/ports';
import { pollUntil } from '../aws/poll';
import { toApplicationFailure, withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks, readRiding } from './activity-context';
import { activityPollOptions } from './activity-poll';
import type { HealthAlarmsResult, PollSettings } from '../../contracts/promotion';

/** Poll intervals of `checkHealthAlarms` when the caller gives none (the `pollUntil` defaults). */
const DEFAULT_ALARM_POLL: PollSettings = { intervalMs: 1000, fastIntervalMs: 250 };

/**
 * Reads the health alarms of `region` (runbook `alarms.health`) until all are OK or `timeoutMs`
 * passes (0 = read once). `ok` is false when one is not OK at the end; when all are OK, `okSince`
 * is CloudWatch's own time the last of them entered OK.
 */
export async function checkHealthAlarms(
  deps: ActivityDeps,
  input: { readonly runbook: Runbook; readonly region: string; readonly poll?: PollSettings; readonly timeoutMs?: number },
): Promise<HealthAlarmsResult> {
  const hooks = activityHooks();
  const { signal } = hooks;
  const names = input.runbook.alarms.health[input.region] ?? [];
  if (names.length === 0) return { ok: true, alarms: [], checkedAt: deps.clock.now() };
  const cw = deps.aws.cloudwatch({ region: input.region, accountId: input.runbook.account });
  const read = (): Promise<AlarmState[]> => readRiding(() => cw.describeAlarms(names), deps.clock, signal ? { signal } : {});
  const allOk = (states: readonly AlarmState[]): boolean => names.every((n) => states.find((s) => s.alarmName === n)?.stateValue === 'OK');
  let states: AlarmState[];
  if (!input.timeoutMs) {
    states = await withAwsErrors(read, `cloudwatch.describeAlarms(${input.region})`);
  } else {
    try {
      states = (
        await pollUntil({
          what: `health alarms of ${input.region} OK`,
          read,
          done: allOk,
          ...activityPollOptions(deps.clock, hooks, input.poll ?? DEFAULT_ALARM_POLL, input.timeoutMs),
        })
      ).state;
    } catch (err) {
      if ((err as Error).name !== 'PollTimeoutError') throw toApplicationFailure(err, `cloudwatch.describeAlarms(${input.region})`);
      states = await withAwsErrors(read, `cloudwatch.describeAlarms(${input.region})`);
    }
  }
  const checkedAt = deps.clock.now();
  const since = names.map((n) => states.find((s) => s.alarmName === n)?.stateUpdatedAt);
  const okSince = allOk(states) && since.every((t) => t !== undefined && t <= checkedAt) ? Math.max(...(since as number[])) : undefined;
  return {
    ok: allOk(states),
    alarms: names.map((n) => ({ alarmName: n, stateValue: states.find((s) => s.alarmName === n)?.stateValue ?? 'MISSING' })),
    checkedAt,
    ...(okSince !== undefined ? { okSince } : {}),
  };
}
