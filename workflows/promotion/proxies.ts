/**
 * Activity proxies of the region promotion, grouped by intent (`mutate`, `observe`, `canary`,
 * `cleanup`) so call sites read as policy. Heartbeat timeouts follow the plan's poll interval at
 * its clock scale. Deterministic.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CanaryActivities, PromotionActivities } from '../../activities';
import type { PromotionPlan } from '../../contracts/promotion';

/** The first activity: validates the input and resolves the plan (no AWS call). */
export const prepare = proxyActivities<PromotionActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumAttempts: 3 },
});

/** Proxies for the steps of `plan` (see the module doc). */
export function promotionActivities(plan: PromotionPlan) {
  const heartbeatTimeout = Math.max(10_000, Math.ceil((3 * Math.max(plan.poll.intervalMs, plan.poll.fastIntervalMs)) / plan.clockScale));
  const retry = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s' } as const;
  return {
    /** One AWS mutation each, read before write so a retry never repeats an effect. */
    mutate: proxyActivities<PromotionActivities>({ startToCloseTimeout: '2m', heartbeatTimeout, retry: { ...retry, maximumAttempts: 12 } }),
    /** Reads and state waits (heartbeating every poll). */
    observe: proxyActivities<PromotionActivities>({
      startToCloseTimeout: '4h',
      heartbeatTimeout,
      retry: { ...retry, maximumAttempts: 20 },
    }),
    /** The canary reader. */
    canary: proxyActivities<CanaryActivities>({
      startToCloseTimeout: '2m',
      heartbeatTimeout,
      retry: { initialInterval: '1s', maximumAttempts: 5 },
    }),
    /** Canary rows on an endpoint that may be in the lost region: tried twice, then noted. */
    cleanup: proxyActivities<CanaryActivities>({ startToCloseTimeout: '30s', retry: { initialInterval: '500ms', maximumAttempts: 2 } }),
  };
}

/** The proxies of one promotion. */
export type PromotionProxies = ReturnType<typeof promotionActivities>;
