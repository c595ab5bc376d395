/**
 * Activity proxies of the drill playbooks (restore verification, Backtrack drill, orphan sweeper),
 * grouped by intent and sized from the plan: heartbeat timeouts follow the clock's scale. Every
 * proxy waits for a cancelled activity to finish (`WAIT_CANCELLATION_COMPLETED`), so an undo never
 * runs while the step it undoes is still changing AWS. Not a workflow module (not re-exported from
 * `index.ts`).
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';

/** What sizes a drill's proxies. */
export interface DrillSizing {
  /** Poll interval of the waits, clock ms. */
  readonly pollIntervalMs: number;
  /** Simulated ms per wall ms of the activity clock. */
  readonly clockScale: number;
  /** Bound of each wait, clock ms. */
  readonly waitTimeoutMs: number;
}

const WAIT = { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED } as const;

/** The first step of a drill (validation, reads only): bounded retries. */
export function prepareProxy<A>() {
  return proxyActivities<A>({
    ...WAIT,
    startToCloseTimeout: '2 minutes',
    retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '20 seconds' },
  });
}

/** The proxies of a drill's steps and undos (see the module doc). */
export function drillProxies<A>(plan: DrillSizing) {
  const heartbeatTimeout = Math.max(5_000, Math.ceil((4 * plan.pollIntervalMs) / plan.clockScale));
  const waitMs = Math.ceil(plan.waitTimeoutMs / plan.clockScale) + 60_000;
  const forever = { initialInterval: '1 second', maximumInterval: '30 seconds' } as const; // no maximumAttempts
  return {
    /** One AWS mutation or one data-plane step each: a short timeout, so a lost worker's call is retried soon. */
    mutate: proxyActivities<A>({
      ...WAIT,
      startToCloseTimeout: '30 seconds',
      retry: { ...forever, maximumAttempts: 10 },
    }),
    /** State waits: heartbeat each poll, so a lost worker is noticed within the heartbeat timeout. */
    observe: proxyActivities<A>({
      ...WAIT,
      startToCloseTimeout: waitMs,
      heartbeatTimeout,
      retry: { ...forever, maximumAttempts: 20 },
    }),
    /** Undo mutations: retried until they succeed (only a non-retryable error, e.g. not our resource, stops them). */
    undo: proxyActivities<A>({ ...WAIT, startToCloseTimeout: '30 seconds', retry: forever }),
    /** Undo waits (a deleted cluster gone): retried until they succeed. */
    undoWait: proxyActivities<A>({ ...WAIT, startToCloseTimeout: waitMs, heartbeatTimeout, retry: forever }),
  };
}
