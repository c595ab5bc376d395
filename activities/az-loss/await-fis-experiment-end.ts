/** `awaitFisExperimentEnd`: the wait for an experiment to end on its own (completed, stop condition, failure). */
import type { ExperimentEnd, FisRef } from '../../contracts/az-loss';
import { withAwsErrors } from '../aws/errors';
import { pollUntil } from '../aws/poll';
import type { FisExperiment } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { activityHooks } from '../promotion/activity-context';
import { FIS_TERMINAL_STATES, actionStartsOf, readExperiment } from './fis-common';

/** Input of `awaitFisExperimentEnd`. */
export interface AwaitExperimentEndInput extends FisRef {
  readonly experimentId: string;
  readonly stopConditionAlarms: readonly string[];
  readonly timeoutMs: number;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
}

/**
 * Waits (heartbeating) until the experiment reaches a terminal state, then says how it ended:
 * a `stopped` experiment with a stop-condition alarm in ALARM (or named in the reason) was
 * halted by that stop condition. Cancelled by the workflow when recovery is verified first.
 */
export async function awaitFisExperimentEnd(deps: ActivityDeps, input: AwaitExperimentEndInput): Promise<ExperimentEnd> {
  const hooks = activityHooks();
  const res = await pollUntil<FisExperiment>({
    read: () => readExperiment(deps, input, input.experimentId),
    done: (e) => FIS_TERMINAL_STATES.includes(e.state.status),
    clock: deps.clock,
    intervalMs: input.pollIntervalMs ?? 1000,
    fastIntervalMs: input.pollIntervalMs ?? 1000,
    timeoutMs: input.timeoutMs,
    heartbeat: hooks.heartbeat,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    what: `FIS experiment ${input.experimentId} to end`,
  });
  const e = res.state;
  const reason = e.state.reason;
  let fired = reason ? input.stopConditionAlarms.filter((a) => reason.includes(a)) : [];
  if (e.state.status === 'stopped' && input.stopConditionAlarms.length > 0) {
    const states = await withAwsErrors(
      () => deps.aws.cloudwatch({ region: input.region, accountId: input.account }).describeAlarms(input.stopConditionAlarms),
      'cloudwatch.describeAlarms(stop conditions)',
    );
    fired = [...new Set([...fired, ...states.filter((s) => s.stateValue === 'ALARM').map((s) => s.alarmName)])];
  }
  return {
    experimentId: e.id,
    status: e.state.status,
    ...(reason ? { reason } : {}),
    endedAt: e.endTime ?? res.observedAt,
    firedAlarms: fired,
    haltedByStopCondition: e.state.status === 'stopped' && fired.length > 0,
    actionStarts: actionStartsOf(e),
  };
}
