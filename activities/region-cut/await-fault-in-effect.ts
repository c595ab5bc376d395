/** `awaitFaultInEffect`: when the cut took effect. */
import { ApplicationFailure } from '@temporalio/common';
import type { FaultInEffect, RegionCutRef } from '../../contracts/region-cut';
import { pollUntil } from '../aws/poll';
import type { FisExperiment } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { FIS_TERMINAL_STATES, readExperiment } from '../az-loss/fis-common';
import { activityHooks } from '../promotion/activity-context';

/**
 * Reads the experiment until its cut action has started, and returns the action's start time as
 * FIS reports it (the fault taking effect, not a poll time). Fails non-retryably
 * (`FaultNotInjected`) when the experiment ends first (a stop condition, a failed target
 * resolution), naming its status and reason.
 */
export async function awaitFaultInEffect(
  deps: ActivityDeps,
  input: RegionCutRef & { readonly experimentId: string; readonly actionName: string; readonly timeoutMs: number },
): Promise<FaultInEffect> {
  const hooks = activityHooks();
  const started = (e: FisExperiment): boolean => e.actions[input.actionName]?.startTime !== undefined;
  const res = await pollUntil<FisExperiment>({
    read: () => readExperiment(deps, input, input.experimentId),
    done: started,
    failed: (e) =>
      FIS_TERMINAL_STATES.includes(e.state.status) ? `experiment ${e.state.status}: ${e.state.reason ?? 'no reason given'}` : undefined,
    clock: deps.clock,
    intervalMs: 500,
    fastIntervalMs: 500,
    timeoutMs: input.timeoutMs,
    heartbeat: hooks.heartbeat,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    what: `FIS action ${input.actionName} of ${input.experimentId} to start`,
  }).catch((err: unknown) => {
    if ((err as Error).name === 'PollFailedError')
      throw ApplicationFailure.create({ type: 'FaultNotInjected', message: (err as Error).message, nonRetryable: true });
    throw err;
  });
  return {
    experimentId: input.experimentId,
    actionName: input.actionName,
    at: res.state.actions[input.actionName]!.startTime!,
    observedAt: res.observedAt,
  };
}
