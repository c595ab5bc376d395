/** `stopFisExperiment`: the undo of the fault. */
import type { FisRef, StoppedExperiment } from '../../contracts/az-loss';
import { withAwsErrors } from '../aws/errors';
import { pollUntil } from '../aws/poll';
import type { FisExperiment } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { activityHooks } from '../promotion/activity-context';
import { FIS_TERMINAL_STATES, fisApi, readExperiment } from './fis-common';

/**
 * Stops an experiment and waits until it is terminal. Reads first: an experiment already ended
 * (or stopping) is not stopped again, so a retry or a second undo is harmless. The workflow calls
 * it from its undo stack (non-cancellable).
 */
export async function stopFisExperiment(
  deps: ActivityDeps,
  input: FisRef & { readonly experimentId: string; readonly timeoutMs?: number },
): Promise<StoppedExperiment> {
  const before = await readExperiment(deps, input, input.experimentId);
  let stoppedByUs = false;
  if (!FIS_TERMINAL_STATES.includes(before.state.status) && before.state.status !== 'stopping') {
    await withAwsErrors(() => fisApi(deps, input).stopExperiment(input.experimentId), `fis.stopExperiment(${input.experimentId})`);
    stoppedByUs = true;
    deps.logger.info({ experimentId: input.experimentId }, 'FIS experiment stop requested');
  }
  const hooks = activityHooks();
  const res = await pollUntil<FisExperiment>({
    read: () => readExperiment(deps, input, input.experimentId),
    done: (e) => FIS_TERMINAL_STATES.includes(e.state.status),
    clock: deps.clock,
    intervalMs: 1000,
    timeoutMs: input.timeoutMs ?? 10 * 60_000,
    heartbeat: hooks.heartbeat,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    what: `FIS experiment ${input.experimentId} to stop`,
  });
  return {
    status: res.state.state.status,
    ...(res.state.state.reason ? { reason: res.state.state.reason } : {}),
    stoppedByUs,
    endedAt: res.state.endTime ?? res.observedAt,
  };
}
