import type { ActivityDeps } from './deps';

/** Activities of the promotion playbook (placeholder until implemented). */
export function createPromotionActivities(_deps: ActivityDeps) {
  return {};
}
