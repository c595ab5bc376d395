/**
 * The activity proxies of the AZ-loss game day, grouped by intent (validation, reads, mutations,
 * undo, canary, the long waits of a plan). Deterministic workflow code; not a workflow.
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { AzLossActivities, CanaryActivities } from '../../activities';
import type { AzLossPlan } from '../../contracts/az-loss';

const NON_RETRYABLE = ['InvalidAzLossInput', 'InvalidFisTemplate', 'InvalidRunbook', 'RunbookValidationError'];

/** Validation (first activity). */
export const prep = proxyActivities<AzLossActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});
/** Single reads (steady state, template lookup, baselines, experiment). */
export const observe = proxyActivities<AzLossActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});
/** Single mutations (template create/update, experiment start). */
export const mutate = proxyActivities<AzLossActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 6 },
});
/** Undo steps: stop the experiment (waits until terminal). */
export const undo = proxyActivities<AzLossActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});
/** The canary data plane: first write, read, row cleanup. */
export const canaryActs = proxyActivities<CanaryActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 10 },
});

/**
 * Long waits of a plan (watches, experiment end, health alarms): bounded by its recovery timeout
 * (clock ms ≥ wall ms: the sim clock runs faster). A cancelled wait is awaited until the activity
 * has stopped (it learns of the cancellation at its next heartbeat, within 4 s), so nothing keeps
 * polling after the run.
 */
export function waits(plan: AzLossPlan) {
  return proxyActivities<AzLossActivities>({
    startToCloseTimeout: plan.recoveryTimeoutMs + 5 * 60_000,
    heartbeatTimeout: '5 seconds',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}
