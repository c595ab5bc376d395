/**
 * The activity proxies of the region cut, grouped by intent: validation, reads, mutations, undo,
 * and the measured waits of a plan. Deterministic workflow code; not a workflow.
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { AzLossActivities } from '../../activities';
import type { RegionCutActivities } from '../../activities/region-cut';
import type { RegionCutPlan } from '../../contracts/region-cut';

type Acts = RegionCutActivities & Pick<AzLossActivities, 'startFisExperiment' | 'stopFisExperiment'>;

const NON_RETRYABLE = ['InvalidRegionCutInput', 'FaultNotInjected'];

/** Validation (first activity). */
export const prep = proxyActivities<Acts>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});
/** Single reads. */
export const observe = proxyActivities<Acts>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});
/** Single mutations (template create, experiment start). */
export const mutate = proxyActivities<Acts>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 6 },
});
/** Undo steps: stop the experiment (waits until terminal), delete the template. */
export const undo = proxyActivities<Acts>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/**
 * The measured waits of a plan, bounded by its detection timeout (clock ms ≥ wall ms). A cancelled
 * wait is awaited until the activity has stopped, so nothing keeps polling after the run.
 */
export function waits(plan: RegionCutPlan) {
  return proxyActivities<Acts>({
    startToCloseTimeout: plan.detectionTimeoutMs + 5 * 60_000,
    heartbeatTimeout: Math.max(10_000, Math.ceil((4 * plan.pollIntervalMs) / plan.clockScale)),
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}
