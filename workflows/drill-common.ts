/**
 * Helpers shared by the drill workflows (restore verification, Backtrack, orphan sweeper).
 * Deterministic workflow code; deliberately NOT re-exported from `workflows/index.ts`, so none of
 * these functions is registered as a workflow type.
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { RestoreActivities } from '../activities/restore-activities';

/** Activity proxies sized from the plan (heartbeat timeouts follow the clock's scale). */
export function drillActivities(plan: { pollIntervalMs: number; clockScale: number; waitTimeoutMs: number }) {
  const heartbeatMs = Math.max(5_000, Math.ceil((4 * plan.pollIntervalMs) / plan.clockScale));
  const waitMs = Math.ceil(plan.waitTimeoutMs / plan.clockScale) + 60_000;
  const common = { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED } as const;
  return {
    /**
     * One AWS mutation or one data-plane step each; retried with backoff, bounded. One call never
     * needs long, and a short timeout is how fast a lost worker's call is retried elsewhere.
     */
    mutate: proxyActivities<RestoreActivities>({
      ...common,
      startToCloseTimeout: '30 seconds',
      retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '30 seconds' },
    }),
    /** State waits: heartbeat each poll, so a lost worker is noticed within `heartbeatMs`. */
    observe: proxyActivities<RestoreActivities>({
      ...common,
      startToCloseTimeout: waitMs,
      heartbeatTimeout: heartbeatMs,
      retry: { maximumAttempts: 20, initialInterval: '1 second', maximumInterval: '30 seconds' },
    }),
    /** Cleanup: retried until it succeeds (only a non-retryable error, e.g. not our resource, stops it). */
    cleanup: proxyActivities<RestoreActivities>({
      ...common,
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds' }, // no maximumAttempts: unlimited
    }),
    cleanupWait: proxyActivities<RestoreActivities>({
      ...common,
      startToCloseTimeout: waitMs,
      heartbeatTimeout: heartbeatMs,
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds' }, // no maximumAttempts: unlimited
    }),
  };
}

/** The innermost message of a failure chain (ActivityFailure → ApplicationFailure → …). */
export function failureMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let msg = e?.message ?? String(err);
  while (e && typeof e === 'object' && e.cause) {
    e = e.cause as { message?: string; cause?: unknown };
    if (e?.message) msg = e.message;
  }
  return msg;
}

/** The failure type of the innermost ApplicationFailure, if any. */
export function failureType(err: unknown): string | undefined {
  let e = err as { type?: string; cause?: unknown } | undefined;
  let type: string | undefined;
  while (e && typeof e === 'object') {
    if (typeof e.type === 'string') type = e.type;
    e = e.cause as { type?: string; cause?: unknown } | undefined;
  }
  return type;
}
